"""Classifying an item: its class (question, complaint, …), the reason, its sentiment and
language, each ``None``/"" when nothing can tell — never a made-up label.

The classifier is pluggable: the inbox's triage model (``varde.inbox.triage_model``) installs
itself with ``set_classifier`` from the app's ``ready``; without one, items keep a null class and
a person sets it. Sentiment comes from the listening model: from the classifier when it judged
it on the way (the triage model does, embedding each text once), else through listening's own
adapter, which answers "not judged" when the model is not installed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from varde.inbox.choices import Sentiment, TriageClass
from varde.listening import pipeline as listening_pipeline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    triage_class: TriageClass
    reason: str  # shown beside the class: why the classifier thinks so
    #: Listening's sentiment label when the classifier judged it too (else judge asks).
    sentiment: str | None = None


@dataclass(frozen=True)
class Judged:
    triage_class: str | None
    reason: str
    sentiment: str | None
    language: str


Classifier = Callable[[Sequence[tuple[str, str]]], list[Verdict | None]]
"""Takes (text, language) pairs and answers one verdict (or None) for each."""

_classifier: Classifier | None = None


def set_classifier(classifier: Classifier | None) -> Classifier | None:
    """Install the triage classifier (None removes it, for tests); answers the one it replaces."""
    global _classifier  # one process-wide plug, set at start-up
    previous, _classifier = _classifier, classifier
    return previous


def _sentiments(texts: Sequence[str]) -> list[str | None]:
    guesses = listening_pipeline.default_sentiment(texts, tier=settings.VARDE_INBOX_SENTIMENT_TIER)
    return [
        guess.label if guess is not None and guess.label in Sentiment.values else None
        for guess in guesses
    ]


def judge(texts: Sequence[str], *, language: str = "") -> list[Judged]:
    """Language, class and sentiment for each text; empty texts (a follow) are not judged.
    ``language`` is the one the reasons are written in (the workspace's; default the site's)."""
    languages = [listening_pipeline.detect_language(text) if text else "" for text in texts]
    verdicts: list[Verdict | None] = [None] * len(texts)
    if _classifier is not None and texts:
        verdicts = _classified(_classifier, texts, languages, language)
    sentiments = [_given_sentiment(v) for v in verdicts]
    wanted = [i for i, text in enumerate(texts) if text.strip() and sentiments[i] is None]
    for index, label in zip(wanted, _sentiments([texts[i] for i in wanted]), strict=True):
        sentiments[index] = label
    return [
        Judged(
            triage_class=str(v.triage_class) if v is not None and text.strip() else None,
            reason=v.reason[:300] if v is not None and text.strip() else "",
            sentiment=sentiment if text.strip() else None,
            language=lang,
        )
        for text, v, sentiment, lang in zip(texts, verdicts, sentiments, languages, strict=True)
    ]


def _classified(
    classifier: Classifier, texts: Sequence[str], languages: Sequence[str], language: str
) -> list[Verdict | None]:
    """The classifier's verdicts; none when it fails (the items are kept, unclassified, and a
    person sets the class: reading the inbox never stops for the classifier)."""
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            return list(classifier(list(zip(texts, languages, strict=True))))
    except Exception:
        logger.exception("The triage classifier failed on %d texts", len(texts))
        return [None] * len(texts)


def _given_sentiment(verdict: Verdict | None) -> str | None:
    if verdict is None or verdict.sentiment not in Sentiment.values:
        return None
    return verdict.sentiment
