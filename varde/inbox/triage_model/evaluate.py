"""Figures for the triage classifier on a labelled file: ``varde inbox triage-eval --dataset F``.

Three kinds of file, each scored on what its labels can tell:

* a binary TweetEval folder file (``offensive``/``hate`` ``*_text.txt``): offensive or not —
  the item is offensive when triage says ``offensive``; macro-F1 over the two sides and F1 of
  the offensive side;
* a sentiment file (TweetEval sentiment, NoReC_sentence ``.json``): a proxy for the praise and
  complaint signals — negative ↔ complaint or offensive, positive ↔ praise, neutral ↔ any other
  class; macro-F1 over the three;
* JSON lines of ``{"text": …, "class": …}`` (what ``varde inbox corrections`` prints, or a
  hand-labelled set): the seven classes; macro-F1 over the classes the file has.

The answer is one JSON line, with the speed in texts per second.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from varde.inbox.choices import TriageClass
from varde.listening.sentiment import datasets
from varde.listening.sentiment.evaluate import f1, macro_f1


def read_jsonl(path: Path) -> datasets.Labelled:
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("class") in TriageClass.values and str(row.get("text", "")).strip():
            texts.append(str(row["text"]))
            labels.append(str(row["class"]))
    return datasets.Labelled(texts, labels)


def _task(path: Path, labels: Sequence[str]) -> str:
    if path.suffix == ".jsonl":
        return "triage"
    if set(labels) <= {"0", "1"}:
        return "offensive"
    return "sentiment"


def _as_task(task: str, gold: str, predicted: str) -> tuple[str, str]:
    if task == "offensive":
        return (
            "offensive" if gold == "1" else "not",
            "offensive" if predicted == "offensive" else "not",
        )
    if task == "sentiment":
        side = {"complaint": "negative", "offensive": "negative", "praise": "positive"}
        return gold, side.get(predicted, "neutral")
    return gold, predicted


def evaluate(path: Path, *, tier: str = "auto", limit: int = 0) -> dict[str, object]:
    from varde.inbox.triage_model import classify

    data = read_jsonl(path) if path.suffix == ".jsonl" else datasets.read_dataset(path)
    texts, labels = data.texts, data.labels
    if limit:
        texts, labels = texts[:limit], labels[:limit]
    task = _task(path, labels)
    started = time.perf_counter()
    verdicts = classify([(text, "") for text in texts], tier=tier)
    seconds = time.perf_counter() - started
    predicted = [str(v.triage_class) if v is not None else "other" for v in verdicts]
    pairs = [_as_task(task, g, p) for g, p in zip(labels, predicted, strict=True)]
    gold, pred = [g for g, _ in pairs], [p for _, p in pairs]
    out: dict[str, object] = {
        "dataset": str(path),
        "task": task,
        "tier": _tier_used(tier),
        "n": len(texts),
        "macro_f1": round(macro_f1(gold, pred), 4) if gold else 0.0,
        "accuracy": round(sum(a == b for a, b in pairs) / len(pairs), 4) if pairs else 0.0,
        "f1": {c: round(f1(gold, pred, c), 4) for c in sorted(set(gold))},
        "predicted": dict(Counter(predicted).most_common()),
        "seconds": round(seconds, 2),
        "texts_per_s": round(len(texts) / seconds, 1) if seconds else 0.0,
    }
    return out


def _tier_used(tier: str) -> str:
    from varde.listening.sentiment import embedding

    if tier == "auto":
        return "model" if embedding.model_available() else "lexicon"
    return tier
