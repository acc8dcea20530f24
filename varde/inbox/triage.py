"""Classifying an item: its class (question, complaint, …), the reason, its sentiment and
language, each ``None``/"" when nothing can tell — never a made-up label.

The classifier is pluggable: the triage model (issue 13, item 2) registers itself with
``set_classifier`` from its app's ``ready``; until then items keep a null class and a person
sets it. Sentiment comes from the listening model through listening's own adapter, which
answers "not judged" when the model is not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings

from varde.inbox.choices import Sentiment, TriageClass
from varde.listening import pipeline as listening_pipeline


@dataclass(frozen=True)
class Verdict:
    triage_class: TriageClass
    reason: str  # shown beside the class: why the classifier thinks so


@dataclass(frozen=True)
class Judged:
    triage_class: str | None
    reason: str
    sentiment: str | None
    language: str


Classifier = Callable[[Sequence[tuple[str, str]]], list[Verdict | None]]
"""Takes (text, language) pairs and answers one verdict (or None) for each."""

_classifier: Classifier | None = None


def set_classifier(classifier: Classifier | None) -> None:
    """Install the triage classifier (None removes it, for tests)."""
    global _classifier  # noqa: PLW0603 - one process-wide plug, set at start-up
    _classifier = classifier


def _sentiments(texts: Sequence[str]) -> list[str | None]:
    guesses = listening_pipeline.default_sentiment(texts, tier=settings.VARDE_INBOX_SENTIMENT_TIER)
    return [
        guess.label if guess is not None and guess.label in Sentiment.values else None
        for guess in guesses
    ]


def judge(texts: Sequence[str]) -> list[Judged]:
    """Language, class and sentiment for each text; empty texts (a follow) are not judged."""
    languages = [listening_pipeline.detect_language(text) if text else "" for text in texts]
    verdicts: list[Verdict | None] = [None] * len(texts)
    if _classifier is not None and texts:
        verdicts = list(_classifier(list(zip(texts, languages, strict=True))))
    wanted = [i for i, text in enumerate(texts) if text.strip()]
    sentiments: list[str | None] = [None] * len(texts)
    for index, label in zip(wanted, _sentiments([texts[i] for i in wanted]), strict=True):
        sentiments[index] = label
    return [
        Judged(
            triage_class=str(v.triage_class) if v is not None and text.strip() else None,
            reason=v.reason[:300] if v is not None and text.strip() else "",
            sentiment=sentiment,
            language=language,
        )
        for text, v, sentiment, language in zip(texts, verdicts, sentiments, languages, strict=True)
    ]
