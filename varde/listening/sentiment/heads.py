"""The model tier's heads: linear classifiers over e5 embeddings, shipped in ``data/heads.npz``.

Each head is a multinomial (or, with one row, binary) logistic regression: ``coef`` of shape
``(classes, EMBEDDING_DIM)`` and ``bias`` of shape ``(classes,)``, stored as float32 and applied
with numpy — no scikit-learn at run time. ``tools/train_sentiment.py`` writes the file.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from .embedding import EMBEDDING_DIM

HEADS_FILE = "heads.npz"


@dataclass(frozen=True)
class Head:
    name: str
    classes: tuple[str, ...]
    coef: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    #: Binary head: the decision threshold on its probability. Sentiment: below this probability
    #: a polar label gives way to neutral.
    threshold: float = 0.0
    #: How much the lexicon's scores add to the head's logits (chosen on the validation splits;
    #: 0 = the embeddings alone).
    lexicon_weight: float = 0.0

    def probabilities(
        self, x: npt.NDArray[np.float32], lexicon_scores: npt.NDArray[np.float64] | None = None
    ) -> npt.NDArray[np.float64]:
        """``(n, classes)`` probabilities for ``(n, EMBEDDING_DIM)`` embeddings; a binary head
        gives one column, the probability of its class. ``lexicon_scores`` (``(n, classes)``,
        the lexicon's raw scores in the same class order) are added with ``lexicon_weight``."""
        z = x.astype(np.float64) @ self.coef.T.astype(np.float64) + self.bias
        if lexicon_scores is not None and self.lexicon_weight:
            z = z + self.lexicon_weight * lexicon_scores
        if len(self.classes) == 1:
            out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
            return out
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        result: npt.NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
        return result


@dataclass(frozen=True)
class Heads:
    heads: dict[str, Head]
    meta: dict[str, Any]

    def __getitem__(self, name: str) -> Head:
        return self.heads[name]


def parse(data: bytes) -> Heads:
    """Read a heads file, checking every head against the embedding width."""
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
        heads: dict[str, Head] = {}
        for name, spec in meta["heads"].items():
            coef = np.asarray(npz[f"{name}_coef"], dtype=np.float32)
            bias = np.asarray(npz[f"{name}_bias"], dtype=np.float32)
            classes = tuple(spec["classes"])
            if coef.shape != (len(classes), EMBEDDING_DIM) or bias.shape != (len(classes),):
                raise ValueError(
                    f"head {name!r}: coef {coef.shape}, bias {bias.shape}; expected "
                    f"({len(classes)}, {EMBEDDING_DIM}) and ({len(classes)},)"
                )
            heads[name] = Head(
                name,
                classes,
                coef,
                bias,
                float(spec.get("threshold", 0.0)),
                float(spec.get("lexicon_weight", 0.0)),
            )
    return Heads(heads, meta)


@cache
def shipped() -> Heads:
    """The heads shipped with Varde."""
    data = (
        resources.files("varde.listening.sentiment")
        .joinpath("data")
        .joinpath(HEADS_FILE)
        .read_bytes()
    )
    return parse(data)
