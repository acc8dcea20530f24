"""Readers for the labelled-text formats of ``shared/data/`` (training, evaluation, benchmarks).

Two formats: TweetEval folders (``{split}_text.txt`` and ``{split}_labels.txt``, one example a line,
integer labels) and NoReC_sentence JSON lists of ``{sent_id, text, label}``. Labels are returned
as the names this package uses (``negative``/``neutral``/``positive``; ``0``/``1`` for the binary
offensive and hate sets).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SENTIMENT_BY_INDEX = ("negative", "neutral", "positive")

# The TweetEval text files carry some characters as literal JSON escapes (``\u002c``, ``\u2019``).
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True, slots=True)
class Labelled:
    texts: list[str]
    labels: list[str]


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_tweeteval(folder: Path, split: str, *, sentiment: bool) -> Labelled:
    """A TweetEval split; ``sentiment`` maps 0/1/2 to names, else labels stay ``"0"``/``"1"``."""
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    raw = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()
    if len(texts) != len(raw):
        raise ValueError(f"{folder}/{split}: {len(texts)} texts but {len(raw)} labels")
    labels = [SENTIMENT_BY_INDEX[int(x)] if sentiment else str(int(x)) for x in raw]
    return Labelled([_unescape(t).strip() for t in texts], labels)


def read_norec(path: Path) -> Labelled:
    """A NoReC_sentence JSON file (labels Positive/Negative/Neutral)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return Labelled([r["text"] for r in rows], [str(r["label"]).lower() for r in rows])


def read_dataset(path: Path) -> Labelled:
    """A labelled file in either format: a ``.json`` NoReC file, or a TweetEval ``*_text.txt``
    (its ``*_labels.txt`` beside it; sentiment labels when the folder's ``mapping.txt`` says so)."""
    if path.suffix == ".json":
        return read_norec(path)
    if not path.name.endswith("_text.txt"):
        raise ValueError(f"{path}: expected a NoReC .json or a TweetEval *_text.txt file")
    split = path.name.removesuffix("_text.txt")
    mapping = path.parent / "mapping.txt"
    is_sentiment = mapping.exists() and "neutral" in mapping.read_text(encoding="utf-8")
    return read_tweeteval(path.parent, split, sentiment=is_sentiment)
