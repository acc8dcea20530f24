"""The lexicon tier: word weights looked up in a table, no model — for backfills and for when the
embedding model is not installed.

A lexicon is a table of token → weights per class plus a bias per class; a text's score for a class
is the bias plus the weights of the distinct tokens it contains, and a softmax (or, for a
binary lexicon, a logistic) turns the scores into probabilities. The shipped tables
(``data/lexicon_*.json``) were learned from the training splits by ``tools/train_sentiment.py``
(a regularised linear model over word presence, the strongest words kept) and extended with a few
hand-written Norwegian words the training data lacks; see docs/listening.md for their accuracy.

Tokens are lower-cased words (æ, ø and å are letters), emoticons and emoji. A word within three
tokens after a negation ("not", "ikke", "aldri", …) and before the next punctuation becomes
``neg_<word>``, so "not good" and "good" weigh differently.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_TOKEN = re.compile(
    r"https?://\S+|www\.\S+"  # links
    r"|@\w+"  # handles
    r"|#?\w+(?:['’]\w+)*"  # words and hashtags (don't, vi'kke)
    r"|[:;=8][-']?[()dDpP/\\|*]+|<3|[()]+[-']?[:;=]"  # emoticons
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]"  # emoji
    r"|[.!?,;:]+",  # clause punctuation: ends a negation's scope
    re.UNICODE,
)
_NEGATION_WORDS = (
    "not no never nothing nobody none nor neither cannot cant dont doesnt didnt isnt arent "
    "wasnt werent wont wouldnt shouldnt couldnt aint hardly without "
    "ikke ikkje aldri ingen ingenting intet inga verken hverken neppe uten"
)
_NEGATIONS = frozenset(_NEGATION_WORDS.split())
_PUNCTUATION = frozenset(".!?,;:")
NEGATION_SCOPE = 3
#: Words that weigh less than this are not named as evidence ("the", "a" carry a little weight).
MIN_PULL = 0.3
#: The lexicon tier flags a text as offensive/hateful only when at least one word weighs this
#: much: the thresholds were chosen on validation sets where a third to a half of the tweets are
#: offensive, and without this a long harmless text can cross them on small weights alone. 0.5
#: was chosen on TweetEval offensive val (F1 of ``flagged`` 0.57; 0.59 with no floor, 0.35 at 1.0).
STRONG_WORD = 0.5


def tokens(text: str) -> list[str]:
    """The features of ``text``: normalised tokens with negation marks, in order."""
    out: list[str] = []
    scope = 0
    for match in _TOKEN.finditer(text.lower()):
        tok = match.group(0)
        if _PUNCTUATION.issuperset(tok):
            scope = 0
            continue
        if tok.startswith(("http", "www.")):
            out.append("<url>")
            continue
        if tok.startswith("@"):
            out.append("@user")
            continue
        tok = tok.replace("’", "'")
        bare = tok.replace("'", "")
        if bare in _NEGATIONS or tok.endswith("n't"):
            out.append(tok)
            scope = NEGATION_SCOPE
            continue
        if tok.isdigit():
            tok = "<num>"
        if scope:
            out.append("neg_" + tok)
            scope -= 1
        else:
            out.append(tok)
    return out


@dataclass(frozen=True, slots=True)
class Scored:
    """A lexicon's verdict on one text."""

    probabilities: tuple[float, ...]
    #: The raw scores (bias plus weights) behind ``probabilities``, one per class.
    scores: tuple[float, ...]
    #: The tokens of the text found in the lexicon, with their weights per class.
    hits: tuple[tuple[str, tuple[float, ...]], ...]

    def evidence(
        self, k: int = 0, n: int = 5, min_pull: float = MIN_PULL
    ) -> tuple[tuple[str, float], ...]:
        """The ``n`` tokens that pulled most toward class ``k``: (token, pull), strongest first,
        leaving out those under ``min_pull``. The pull is the token's weight for ``k`` less the
        mean of its other weights (its weight, for a binary lexicon)."""
        pulls = []
        for tok, w in self.hits:
            pull = w[k] - (sum(w) - w[k]) / (len(w) - 1) if len(w) > 1 else w[k]
            if pull >= min_pull:
                pulls.append((tok, round(pull, 3)))
        pulls.sort(key=lambda p: -p[1])
        return tuple(pulls[:n])


@dataclass(frozen=True)
class Lexicon:
    """A table of token weights. ``classes`` names the columns; one class means a binary lexicon
    whose probability is the logistic of its score."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    #: Sentiment: below this probability a polar label gives way to neutral. Binary: the threshold.
    threshold: float = 0.0

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Lexicon:
        classes = tuple(str(c) for c in raw["classes"])
        bias = tuple(float(b) for b in raw["bias"])
        table: dict[str, tuple[float, ...]] = {}
        for word, w in raw["weights"].items():
            row = tuple(float(x) for x in (w if isinstance(w, list) else [w]))
            if len(row) != len(classes):
                raise ValueError(f"lexicon entry {word!r} has {len(row)} weights")
            table[str(word)] = row
        if len(bias) != len(classes):
            raise ValueError("lexicon bias does not match its classes")
        return cls(classes, bias, table, float(raw.get("threshold", 0.0)))

    def score(self, text: str) -> Scored:
        scores = list(self.bias)
        hits: list[tuple[str, tuple[float, ...]]] = []
        for tok in dict.fromkeys(tokens(text)):
            w = self.weights.get(tok)
            if w is None:
                continue
            hits.append((tok, w))
            for k, x in enumerate(w):
                scores[k] += x
        probs = (_logistic(scores[0]),) if len(self.classes) == 1 else _softmax(scores)
        return Scored(probs, tuple(scores), tuple(hits))

    def score_many(self, texts: Iterable[str]) -> list[Scored]:
        return [self.score(t) for t in texts]


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softmax(scores: Sequence[float]) -> tuple[float, ...]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return tuple(e / total for e in exps)


@cache
def shipped(name: str) -> Lexicon:
    """A lexicon shipped in ``data/``: ``"sentiment"``, ``"offensive"`` or ``"hate"``."""
    raw = (
        resources.files("varde.listening.sentiment")
        .joinpath("data")
        .joinpath(f"lexicon_{name}.json")
        .read_text(encoding="utf-8")
    )
    return Lexicon.from_json(json.loads(raw))
