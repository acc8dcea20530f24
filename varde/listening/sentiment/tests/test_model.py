"""The model tier: e5 embeddings and the shipped heads. Loaded once per session (the engine keeps
one model per process), in one xdist worker."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from varde.lib import netguard
from varde.listening import sentiment
from varde.listening.sentiment import embedding

pytestmark = pytest.mark.xdist_group("sentiment_model")


def test_model_loads_offline():
    netguard.install()  # any connection beyond this machine raises
    with pytest.raises(netguard.InternetAccessBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    sentiment.load_model()
    x = embedding.embed(["hei", "hello"])
    assert x.shape == (2, embedding.EMBEDDING_DIM)
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-3)


POSITIVE = [
    "I love this, thank you so much!",
    "Great service, highly recommended",
    "Tusen takk, dette er helt fantastisk!",
    "Strålende konsert, anbefales på det varmeste",
]
NEGATIVE = [
    "This is the worst service I have ever had",
    "Terrible app, it crashes all the time and I hate it",
    "Elendig kundeservice, jeg er skikkelig skuffet",
    "Filmen var kjedelig og altfor lang",
]
NEUTRAL = [
    "The meeting starts at 10 am on Tuesday.",
    "Butikken holder åpent til klokken 18 på lørdag.",
]


def test_obvious_cases_in_both_languages():
    texts = POSITIVE + NEGATIVE + NEUTRAL
    results = sentiment.classify_sentiment(texts, tier="model")
    expected = ["positive"] * 4 + ["negative"] * 4 + ["neutral"] * 2
    assert [r.label for r in results] == expected
    assert all(r.tier == "model" for r in results)
    assert (results[0].language, results[2].language) == ("en", "nb")


def test_batching_equals_one_by_one():
    texts = POSITIVE + NEGATIVE + ["", "   ", "x" * 3000]
    batched = sentiment.classify_sentiment(texts, tier="model", batch_size=8)
    single = [sentiment.classify_sentiment([t], tier="model")[0] for t in texts]
    for a, b in zip(batched, single, strict=True):
        assert a.label == b.label
        assert a.negative == pytest.approx(b.negative, abs=1e-3)
        assert a.positive == pytest.approx(b.positive, abs=1e-3)


def test_empty_input():
    assert sentiment.classify_sentiment([], tier="model") == []
    assert sentiment.classify_offensive([], tier="model") == []


def test_classify_gives_both_from_one_embedding():
    ((sent, off),) = sentiment.classify(["You are a stupid idiot"], tier="model")
    assert sent.label == "negative"
    assert off.flagged
    assert off.tier == "model"


ENGLISH_OFFENSIVE = ["You are a fucking idiot", "shut up you stupid piece of shit"]
# A complaint is criticism, not abuse: the inbox must never hide it as offensive.
ENGLISH_CLEAN = [
    "Thanks for the quick reply, have a nice day",
    "This product is terrible and I want my money back",
]
# Norwegian, for the record of how an English-trained classifier behaves (docs/listening.md):
NORWEGIAN_OFFENSIVE = ["Du er en jævla idiot", "Hold kjeft, din drittsekk"]
NORWEGIAN_CLEAN = [
    "Takk for raskt svar, ha en fin dag",
    "Dette produktet er helt elendig og jeg vil ha pengene tilbake",
]


@pytest.mark.parametrize("tier", ["model", "lexicon"])
def test_offensive_english(tier):
    results = sentiment.classify_offensive(ENGLISH_OFFENSIVE + ENGLISH_CLEAN, tier=tier)
    assert [r.flagged for r in results] == [True, True, False, False]
    assert results[0].reason.startswith(f"flagged by the {tier} tier")


@pytest.mark.parametrize("tier", ["model", "lexicon"])
def test_offensive_norwegian(tier):
    """English training data; the lexicon tier adds hand-written Norwegian insults. Clean
    Norwegian must not be flagged; these plain insults are caught."""
    results = sentiment.classify_offensive(NORWEGIAN_OFFENSIVE + NORWEGIAN_CLEAN, tier=tier)
    assert [r.flagged for r in results] == [True, True, False, False], results
