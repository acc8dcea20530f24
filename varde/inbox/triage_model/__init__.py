"""The inbox's triage classifier: question, complaint, praise, lead, spam, offensive or other,
for Norwegian (bokmål) and English, offline on the CPU, with a reason a person can read.

Two parts (docs/inbox.md, "Triage"):

* trained — listening's sentiment (positive/neutral/negative) and an offensive-language head
  over the same multilingual-e5-small embeddings (``model.py``), trained on the labelled sets
  of ``shared/data`` by ``tools/train_sentiment.py`` and ``tools/train_triage.py``;
* transparent — word lists and patterns for questions, buying intent, complaints, praise and
  spam (``rules.py``), where no labelled set exists.

The first rule that holds decides, in this order: spam, offensive (a complaint with offensive
words stays a complaint unless the model is sure: criticism is never hidden), a complaint's
words, buying intent (lead), a question (unless strongly negative), negative sentiment
(complaint), praise, other. :func:`install` makes it the inbox's classifier.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from varde.inbox.triage import Verdict, set_classifier
from varde.inbox.triage_model import decide, model

__all__ = ["classify", "install"]


def classify(pairs: Sequence[tuple[str, str]], *, tier: str | None = None) -> list[Verdict | None]:
    """One verdict per ``(text, language)`` pair (None for an empty text); ``tier`` defaults to
    ``VARDE_INBOX_SENTIMENT_TIER``."""
    texts = [text for text, _ in pairs]
    wanted = [i for i, text in enumerate(texts) if text.strip()]
    out: list[Verdict | None] = [None] * len(texts)
    scores = model.score(
        [texts[i] for i in wanted], tier=tier or settings.VARDE_INBOX_SENTIMENT_TIER
    )
    for i, scored in zip(wanted, scores, strict=True):
        out[i] = decide.verdict(texts[i], scored)
    return out


def install() -> None:
    """Make this the inbox's triage classifier (``InboxConfig.ready``)."""
    set_classifier(classify)
