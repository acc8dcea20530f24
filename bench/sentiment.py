"""Sentiment and offensive-language benchmark: prints one JSON line of figures.

    OMP_NUM_THREADS=1 python bench/sentiment.py [--data ../shared/data] [--cache DIR]

Accuracy on the validation/dev splits of ``shared/data`` for both tiers, through the public API
(``classify_sentiment``, ``classify_offensive``): macro-averaged recall on TweetEval sentiment val,
macro-F1 on NoReC_sentence dev, F1 (offensive/hate class) and macro-F1 on TweetEval offensive and
hate val. Speed on one core (``OMP_NUM_THREADS=1`` is set here before the engine loads): texts/s
of each tier, model load time, peak RSS. See docs/benchmarks.md.

``--cache DIR`` reuses the embeddings ``tools/train_sentiment.py embed`` cached for the val/dev
splits (made by the same ``embedding.embed``; the bench checks a sample against a live run), so
the accuracy part takes seconds instead of minutes; speed is always measured live.
"""

from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import hashlib
import json
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from varde.listening import sentiment  # noqa: E402
from varde.listening.sentiment import datasets, embedding, evaluate, heads, lexicon  # noqa: E402


def _key(text: str) -> str:
    return hashlib.sha1(embedding.prepare(text).encode("utf-8"), usedforsecurity=False).hexdigest()


def _install_cache(cache: Path) -> int:
    """Serve cached embeddings by text; embed anything missing live."""
    sys.path.insert(0, str(ROOT / "tools"))
    os.environ["VARDE_EMBED_CACHE"] = str(cache)
    import train_sentiment as ts

    table: dict[str, np.ndarray] = {}
    for name in ("tweet_val", "norec_dev", "offensive_val", "hate_val"):
        x, texts, _ = ts.cached(name)
        for vec, text in zip(x, texts, strict=True):
            table[_key(text)] = vec
    live = embedding.embed

    def cached_embed(texts: Sequence[str], batch_size: int = embedding.BATCH_SIZE) -> np.ndarray:
        out = np.zeros((len(texts), embedding.EMBEDDING_DIM), dtype=np.float32)
        missing = []
        for i, t in enumerate(texts):
            vec = table.get(_key(t))
            if vec is None:
                missing.append(i)
            else:
                out[i] = vec
        if missing:
            out[missing] = live([texts[i] for i in missing], batch_size)
        return out

    embedding.embed = cached_embed  # type: ignore[assignment]
    return len(table)


def _accuracy(data: Path, tier: sentiment.Tier) -> dict[str, float]:
    tw = datasets.read_tweeteval(data / "tweeteval" / "sentiment", "val", sentiment=True)
    no = datasets.read_norec(data / "norec_sentence" / "3class" / "dev.json")
    out = {
        "tweeteval_val_macro_recall": evaluate.macro_recall(
            tw.labels, [s.label for s in sentiment.classify_sentiment(tw.texts, tier=tier)]
        ),
        "norec_dev_macro_f1": evaluate.macro_f1(
            no.labels, [s.label for s in sentiment.classify_sentiment(no.texts, tier=tier)]
        ),
    }
    for task in ("offensive", "hate"):
        va = datasets.read_tweeteval(data / "tweeteval" / task, "val", sentiment=False)
        res = sentiment.classify_offensive(va.texts, tier=tier)
        t = heads.shipped()[task].threshold if tier == "model" else lexicon.shipped(task).threshold
        pred = ["1" if getattr(r, task) >= t else "0" for r in res]
        out[f"{task}_val_f1"] = evaluate.f1(va.labels, pred, "1")
        out[f"{task}_val_macro_f1"] = evaluate.macro_f1(va.labels, pred)
        if task == "offensive":
            flagged = ["1" if r.flagged else "0" for r in res]
            out["offensive_val_flagged_f1"] = evaluate.f1(va.labels, flagged, "1")
    return {k: round(v, 4) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--speed-texts", type=int, default=200)
    args = parser.parse_args()

    t0 = time.perf_counter()
    sentiment.load_model()
    load_s = time.perf_counter() - t0

    tw = datasets.read_tweeteval(args.data / "tweeteval" / "sentiment", "val", sentiment=True)
    no = datasets.read_norec(args.data / "norec_sentence" / "3class" / "dev.json")
    half = args.speed_texts // 2
    sample = tw.texts[:half] + no.texts[:half]

    t0 = time.perf_counter()
    live = sentiment.classify_sentiment(sample, tier="model")
    model_rate = len(sample) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    sentiment.classify_offensive(sample, tier="model")
    offensive_rate = len(sample) / (time.perf_counter() - t0)
    lex_texts = tw.texts + no.texts
    t0 = time.perf_counter()
    sentiment.classify_sentiment(lex_texts, tier="lexicon")
    lexicon_rate = len(lex_texts) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    sentiment.classify_offensive(lex_texts, tier="lexicon")
    lexicon_offensive_rate = len(lex_texts) / (time.perf_counter() - t0)

    figures: dict[str, object] = {"bench": "sentiment", "threads": 1}
    if args.cache is not None:
        figures["cached_embeddings"] = _install_cache(args.cache)
        again = sentiment.classify_sentiment(sample, tier="model")
        figures["cache_max_prob_diff"] = round(
            max(
                abs(a.positive - b.positive) + abs(a.negative - b.negative)
                for a, b in zip(live, again, strict=True)
            ),
            4,
        )
    figures["model"] = _accuracy(args.data, "model")
    figures["lexicon"] = _accuracy(args.data, "lexicon")
    figures.update(
        {
            "model_load_s": round(load_s, 3),
            "model_sentiment_texts_per_s": round(model_rate, 1),
            "model_offensive_texts_per_s": round(offensive_rate, 1),
            "lexicon_sentiment_texts_per_s": round(lexicon_rate, 1),
            "lexicon_offensive_texts_per_s": round(lexicon_offensive_rate, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
