"""Figures for a labelled file: ``python -m varde.listening.sentiment eval --dataset FILE``.

The file is in a format of ``shared/data/`` (a NoReC_sentence ``.json``, or a TweetEval
``*_text.txt`` with its ``*_labels.txt`` beside it). Sentiment files are scored with
:func:`classify_sentiment`, binary offensive/hate files with :func:`classify_offensive`; the
answer is one JSON line. ``varde listening eval`` is meant to call :func:`evaluate`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import TierChoice, classify_offensive, classify_sentiment, datasets, heads, lexicon


def recall(y: Sequence[str], p: Sequence[str], c: str) -> float:
    n = sum(1 for a in y if a == c)
    return sum(1 for a, b in zip(y, p, strict=True) if a == b == c) / n if n else 0.0


def f1(y: Sequence[str], p: Sequence[str], c: str) -> float:
    pairs = list(zip(y, p, strict=True))
    tp = sum(1 for a, b in pairs if a == b == c)
    wrong = sum(1 for a, b in pairs if (a == c) != (b == c))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def macro_recall(y: Sequence[str], p: Sequence[str]) -> float:
    classes = sorted(set(y))
    return sum(recall(y, p, c) for c in classes) / len(classes)


def macro_f1(y: Sequence[str], p: Sequence[str]) -> float:
    classes = sorted(set(y))
    return sum(f1(y, p, c) for c in classes) / len(classes)


def evaluate(path: Path, *, tier: TierChoice = "auto", task: str = "") -> dict[str, object]:
    """Scores of one tier on one labelled file. ``task`` (``offensive`` or ``hate``) says which
    probability a binary file is scored on; by default the file's folder name decides."""
    data = datasets.read_dataset(path)
    out: dict[str, object] = {"dataset": str(path), "n": len(data.texts)}
    if set(data.labels) <= {"0", "1"}:
        task = task or ("hate" if "hate" in path.parent.name else "offensive")
        results = classify_offensive(data.texts, tier=tier)
        tier_used = results[0].tier if results else "lexicon"
        threshold = (
            heads.shipped()[task].threshold
            if tier_used == "model"
            else lexicon.shipped(task).threshold
        )
        pred = ["1" if getattr(r, task) >= threshold else "0" for r in results]
        out.update(task=task, f1=f1(data.labels, pred, "1"))
    else:
        sentiments = classify_sentiment(data.texts, tier=tier)
        tier_used = sentiments[0].tier if sentiments else "lexicon"
        pred = [s.label for s in sentiments]
        out["task"] = "sentiment"
    out.update(
        tier=tier_used,
        macro_recall=round(macro_recall(data.labels, pred), 4),
        macro_f1=round(macro_f1(data.labels, pred), 4),
        accuracy=round(sum(a == b for a, b in zip(data.labels, pred, strict=True)) / len(pred), 4),
    )
    if "f1" in out:
        out["f1"] = round(float(out["f1"]), 4)  # type: ignore[arg-type]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m varde.listening.sentiment")
    sub = parser.add_subparsers(dest="cmd", required=True)
    ev = sub.add_parser("eval", help="figures for a labelled file, one JSON line")
    ev.add_argument("--dataset", type=Path, required=True)
    ev.add_argument("--tier", choices=["auto", "model", "lexicon"], default="auto")
    ev.add_argument("--task", choices=["offensive", "hate"], default="")
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(evaluate(args.dataset, tier=args.tier, task=args.task)) + "\n")
    return 0
