"""The rules, one by one, through the public API."""

from __future__ import annotations

import pytest
from django.utils import translation

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.content.choices import ApprovalState
from varde.content.models import PostMedia
from varde.content.services import post_create, post_set_channel_text
from varde.policy.choices import SignatureRule
from varde.policy.guard import GuardReport, Severity, guard_check_draft, guard_check_post
from varde.policy.models import GuardSettings
from varde.policy.services import hashtag_confirm
from varde.policy.text import hashtags_in
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.strategy.models import Network, StrategyPlan, TermRule, TermSeverity
from varde.strategy.tests.factories import ChannelFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def check(workspace, text, *, author=None, channels=(), **kwargs) -> GuardReport:
    return guard_check_draft(
        workspace=workspace,
        author=author,
        text=text,
        channel_ids=[c.pk for c in channels],
        **kwargs,
    )


def codes(report: GuardReport) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in report.findings]


# --- Terms ------------------------------------------------------------------------------------


def test_clean_post_has_no_findings(plan):
    report = check(plan, "Velkommen til butikken vår i dag! #varde")
    assert report.findings == ()
    assert not report.blocks
    assert report.messages() == []


def test_banned_term_blocks_and_risky_term_warns(plan):
    report = check(plan, "Nå er alt GRATIS, og vi er billigst i byen.")
    assert codes(report) == [("banned_term", Severity.BLOCK), ("risky_term", Severity.WARN)]
    assert report.blocks
    assert "Not allowed in ads" in report.findings[0].message
    assert "“gratis”" in report.findings[0].message


def test_a_term_listed_for_one_language_applies_to_posts_in_that_language(plan, workspace):
    # "hell" is luck in Norwegian and a curse in English.
    TermRule.objects.create(
        workspace=workspace, term="hell", severity=TermSeverity.BLOCK, language="en"
    )
    assert check(plan, "Lykke til og godt hell med turen, vi ses på verkstedet!").findings == ()
    english = check(plan, "What the hell is this bike? You have to see it.")
    assert codes(english) == [("banned_term", Severity.BLOCK)]
    # When the language is unclear every term applies.
    assert codes(check(plan, "hell")) == [("banned_term", Severity.BLOCK)]


def test_terms_match_whole_words_only(plan):
    # "gratisprøve" and "ugratis" contain the term but are other words.
    assert check(plan, "Bestill en gratisprøve i dag, ugratis er det ikke").findings == ()
    # Punctuation, line starts and hashtags are word boundaries.
    assert codes(check(plan, "(gratis)")) == [("banned_term", Severity.BLOCK)]
    assert codes(check(plan, "gratis!\nKom")) == [("banned_term", Severity.BLOCK)]


def test_norwegian_letters_match_case_insensitively_and_in_nfd(plan):
    assert codes(check(plan, "ÆRLIG TALT, dette er bra")) == [("banned_term", Severity.BLOCK)]
    # "å" typed as "a" + combining ring (NFD), as some keyboards send it.
    nfd = "Vi selger sma\u030a ba\u030ater"
    assert codes(check(plan, nfd)) == [("risky_term", Severity.WARN)]
    # The phrase matches across any spacing, but not as part of a longer word.
    assert codes(check(plan, "små\n båter")) == [("risky_term", Severity.WARN)]
    assert check(plan, "små båterne").findings == ()


# --- Advertising disclosure -------------------------------------------------------------------


def test_paid_post_without_label_blocks_and_says_what_to_add(plan):
    report = check(plan, "Se vårt nye tilbud på sko", is_paid=True)
    assert codes(report) == [("ad_disclosure_missing", Severity.BLOCK)]
    assert "Annonse:" in report.findings[0].message
    assert "#annonse" in report.findings[0].message


@pytest.mark.parametrize(
    "text",
    ["Annonse: Se vårt nye tilbud", "REKLAME | Sko til hele familien", "#annonse Nye sko"],
)
def test_paid_post_with_label_at_the_start_passes(plan, text):
    assert check(plan, text, is_paid=True).findings == ()


def test_label_hidden_late_in_the_text_warns(plan):
    text = "Sko til hele familien. " * 8 + "#reklame"
    assert codes(check(plan, text, is_paid=True)) == [("ad_disclosure_hidden", Severity.WARN)]


def test_label_inside_another_word_does_not_count(plan):
    # "reklamebyrå" is a word of its own, not the label.
    report = check(plan, "Vårt reklamebyrå anbefaler skoene", is_paid=True)
    assert codes(report) == [("ad_disclosure_missing", Severity.BLOCK)]


def test_unpaid_post_needs_no_label_and_extra_words_count(plan):
    assert check(plan, "Nye sko").findings == ()
    GuardSettings.objects.create(workspace=plan, extra_disclosure_words="Ad, Sponsored")
    assert check(plan, "Ad: new shoes", is_paid=True).findings == ()


# --- Hashtags ---------------------------------------------------------------------------------


def test_hashtags_are_found_with_norwegian_letters_and_not_in_links():
    text = "Hei #Blåbær og #SOMMER2025! https://example.test/#anchor a#b #blåbær #1 #2025 #_x"
    assert hashtags_in(text) == ["blåbær", "sommer2025", "_x"]


def test_avoided_hashtag_blocks_by_default_and_warns_when_set(plan):
    report = check(plan, "Salg! #BlackFriday")
    assert codes(report) == [("hashtag_avoid", Severity.BLOCK)]
    assert report.findings[0].hashtag == "blackfriday"
    assert "Not our kind of sale" in report.findings[0].message
    GuardSettings.objects.create(workspace=plan, avoided_hashtag_blocks=False)
    assert codes(check(plan, "Salg! #BlackFriday")) == [("hashtag_avoid", Severity.WARN)]


def test_new_hashtag_must_be_confirmed_the_aurora_rule(plan, writer):
    report = check(plan, "#Aurora er trending, se vår Aurora-kjole")
    assert codes(report) == [("hashtag_unconfirmed", Severity.WARN)]
    finding = report.findings[0]
    assert finding.hashtag == "aurora"
    assert "Listening has no mentions of this hashtag yet" in finding.message

    hashtag_confirm(workspace=plan, tag="#AURORA", actor=writer, note="Our dress line")
    assert check(plan, "#Aurora er trending").findings == ()


def test_planned_hashtag_needs_no_confirmation(plan):
    assert check(plan, "#varde #VARDE").findings == ()


def test_hashtag_used_in_an_earlier_published_post_is_known(plan, writer, instagram):
    earlier = post_create(workspace=plan, author=writer, text="Sommer! #strand")
    assert codes(check(plan, "Mer #strand")) == [("hashtag_unconfirmed", Severity.WARN)]
    Delivery.objects.create(
        workspace=plan, post=earlier, channel=instagram, state=DeliveryState.PUBLISHED
    )
    assert check(plan, "Mer #strand").findings == ()
    # A longer tag that starts the same is not the same tag.
    assert codes(check(plan, "#stran")) == [("hashtag_unconfirmed", Severity.WARN)]


def test_no_confirmation_needed_when_the_plan_does_not_ask(plan):
    StrategyPlan.objects.filter(workspace=plan).update(require_hashtag_check=False)
    assert check(plan, "#aurora").findings == ()


def test_confirmation_is_per_workspace(plan, other_workspace, writer):
    hashtag_confirm(workspace=other_workspace, tag="aurora", actor=None)
    assert codes(check(plan, "#aurora")) == [("hashtag_unconfirmed", Severity.WARN)]


# --- Signature --------------------------------------------------------------------------------


def test_signature_rule(plan, writer):
    GuardSettings.objects.create(workspace=plan, signature=SignatureRule.WARN)
    report = check(plan, "Takk for spørsmålet!", author=writer)
    assert codes(report) == [("signature_missing", Severity.WARN)]
    assert "– Kari" in report.findings[0].message
    for signed in (
        "Takk for spørsmålet! – Kari",
        "Takk for spørsmålet! ^Kari #varde",
        "Takk for spørsmålet!\nHilsen Kari Nordmann",
        "Takk!\nKari, kundeservice",
    ):
        assert check(plan, signed, author=writer).findings == (), signed
    # Another name that is nobody in the workspace is not a signature.
    assert codes(check(plan, "Takk! – Ola", author=writer)) == [
        ("signature_missing", Severity.WARN)
    ]
    GuardSettings.objects.filter(workspace=plan).update(signature=SignatureRule.BLOCK)
    assert codes(check(plan, "Takk!", author=writer)) == [("signature_missing", Severity.BLOCK)]


def test_signature_by_a_plan_person_counts(plan, writer):
    GuardSettings.objects.create(workspace=plan, signature=SignatureRule.BLOCK)
    PersonFactory(workspace=plan, name="Ingrid Bakke")
    assert check(plan, "Svar fra oss – Ingrid", author=writer).findings == ()


# --- Who may publish where --------------------------------------------------------------------


def test_channel_not_allowed_for_someone_the_plan_does_not_name(plan, writer, instagram, facebook):
    kari = PersonFactory(workspace=plan, name="Kari Nordmann", user=writer)
    ola = PersonFactory(workspace=plan, name="Ola Hansen")
    ig = ChannelFactory(workspace=plan, network=Network.INSTAGRAM, name="@acme")
    ig.publishers.add(ola)
    ChannelFactory(workspace=plan, network=Network.FACEBOOK, name="Acme")  # nobody named

    report = check(plan, "Hei", author=writer, channels=[instagram, facebook])
    assert codes(report) == [("channel_not_allowed", Severity.BLOCK)]
    assert report.findings[0].channel_id == instagram.pk
    assert "Ola Hansen" in report.findings[0].message

    ig.publishers.add(kari)
    assert check(plan, "Hei", author=writer, channels=[instagram]).findings == ()


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owners_and_admins_may_publish_anywhere(plan, instagram, role):
    boss = member(plan, role)
    ig = ChannelFactory(workspace=plan, network=Network.INSTAGRAM, name="@acme")
    ig.publishers.add(PersonFactory(workspace=plan, name="Ola"))
    assert check(plan, "Hei", author=boss, channels=[instagram]).findings == ()


def test_several_plan_accounts_on_one_network_are_matched_by_name(plan, writer, instagram):
    main = ChannelFactory(workspace=plan, network=Network.INSTAGRAM, name="@acme")
    other = ChannelFactory(workspace=plan, network=Network.INSTAGRAM, name="@acme_jobs")
    other.publishers.add(PersonFactory(workspace=plan, name="Ola"))
    # The connected account is @acme, which names nobody: allowed.
    assert check(plan, "Hei", author=writer, channels=[instagram]).findings == ()
    main.publishers.add(PersonFactory(workspace=plan, name="Per"))
    assert codes(check(plan, "Hei", author=writer, channels=[instagram])) == [
        ("channel_not_allowed", Severity.BLOCK)
    ]


def test_other_workspaces_channels_are_ignored(plan, writer, other_workspace):
    from varde.channels.models import ConnectedAccount

    theirs = ConnectedAccount.objects.create(
        workspace=other_workspace, connector_key="instagram", label="Rival"
    )
    ChannelFactory(workspace=plan, network=Network.INSTAGRAM).publishers.add(
        PersonFactory(workspace=plan)
    )
    assert check(plan, "Hei", author=writer, channels=[theirs]).findings == ()


# --- Alt text ---------------------------------------------------------------------------------


def test_alt_text_missing_warns_or_blocks(plan):
    report = check(plan, "Se bildet", media_alt_texts=["En rød sko", "  "])
    assert codes(report) == [("alt_text_missing", Severity.WARN)]
    assert report.findings[0].message.startswith("1 image")
    assert check(plan, "Se", media_alt_texts=["En rød sko"]).findings == ()
    GuardSettings.objects.create(workspace=plan, alt_text_required=True)
    assert codes(check(plan, "Se", media_alt_texts=[""])) == [("alt_text_missing", Severity.BLOCK)]


# --- Variants, saved posts, language ----------------------------------------------------------


def test_variants_are_checked_for_their_channel(plan, writer, instagram, facebook):
    report = check(
        plan,
        "Nye sko",
        author=writer,
        channels=[instagram, facebook],
        variants={instagram.pk: "Nye sko, helt gratis"},
    )
    assert codes(report) == [("banned_term", Severity.BLOCK)]
    assert report.findings[0].channel_id == instagram.pk
    assert report.findings[0].message.startswith("In the text for Acme on Instagram:")
    # When every channel has its own text, the main text goes nowhere and is not checked.
    report = check(
        plan, "gratis", author=writer, channels=[instagram], variants={instagram.pk: "Nye sko"}
    )
    assert report.findings == ()


def test_blocks_come_before_warnings(plan):
    report = check(plan, "billigst og gratis")
    assert [f.severity for f in report.findings] == [Severity.BLOCK, Severity.WARN]


def test_messages_are_in_the_active_language(plan):
    with translation.override("nb"):
        report = check(plan, "gratis", is_paid=True)
    assert report.blocks
    assert "«gratis» er forbudt" in report.messages()[0]
    assert any("annonse" in m.lower() for m in report.messages())


def test_guard_check_post_reads_variants_paid_flag_and_media(plan, writer, instagram, facebook):
    post = post_create(
        workspace=plan, author=writer, text="Nye sko", approval_state=ApprovalState.APPROVED
    )
    post.is_paid = True
    post.save()
    post_set_channel_text(post=post, channel=facebook, text="Annonse: Nye sko, gratis frakt")
    PostMedia.objects.create(post=post, file="x.jpg", kind=PostMedia.Kind.IMAGE, mime_type="i")
    PostMedia.objects.create(post=post, file="y.mp4", kind=PostMedia.Kind.VIDEO, mime_type="v")
    for channel in (instagram, facebook):
        Delivery.objects.create(workspace=plan, post=post, channel=channel)

    report = guard_check_post(post=post)
    assert sorted(codes(report)) == [
        ("ad_disclosure_missing", Severity.BLOCK),
        ("alt_text_missing", Severity.WARN),
        ("banned_term", Severity.BLOCK),
    ]
    by_code = {f.code: f for f in report.findings}
    assert by_code["banned_term"].channel_id == facebook.pk
    assert by_code["ad_disclosure_missing"].channel_id is None  # the main text, for Instagram

    only_facebook = guard_check_post(post=post, channel_ids=[facebook.pk])
    assert sorted(f.code for f in only_facebook.findings) == ["alt_text_missing", "banned_term"]


def test_a_greeting_word_inside_another_word_is_not_a_signature(plan, writer):
    GuardSettings.objects.create(workspace=plan, signature=SignatureRule.BLOCK)
    # "hilsener" is not "hilsen"; Kari is mentioned, but the post is not signed.
    assert codes(
        check(plan, "Vi sender hilsener fra Kari og gjengen på lageret", author=writer)
    ) == [("signature_missing", Severity.BLOCK)]


def test_thread_and_first_comment_are_checked_for_words_and_hashtags(plan, writer):
    report = check(
        plan,
        "Annonse: nye sykler",
        is_paid=True,
        thread=["Del to", "Del tre er billigst"],
        first_comment="#varde #BlackFriday #Aurora",
    )
    assert sorted(codes(report)) == [
        ("hashtag_avoid", Severity.BLOCK),
        ("hashtag_unconfirmed", Severity.WARN),
        ("risky_term", Severity.WARN),
    ]
    by_code = {f.code: f for f in report.findings}
    assert by_code["risky_term"].message.startswith("In the thread:")
    assert by_code["hashtag_avoid"].message.startswith("In the first comment:")
    # The label is needed in the post itself, not in the comment.
    assert codes(check(plan, "Nye sykler", is_paid=True, first_comment="#annonse")) == [
        ("ad_disclosure_missing", Severity.BLOCK)
    ]


def test_guard_check_post_reads_thread_and_first_comment(plan, writer):
    post = post_create(workspace=plan, author=writer, text="Hei")
    post.thread = ["Helt gratis"]
    post.first_comment = "#aurora"
    post.save()
    assert sorted(f.code for f in guard_check_post(post=post).findings) == [
        "banned_term",
        "hashtag_unconfirmed",
    ]


def test_a_note_that_ends_a_sentence_gets_no_extra_full_stop(plan):
    from varde.strategy.models import TermRule, TermSeverity

    TermRule.objects.create(
        workspace=plan, term="kanskje", severity=TermSeverity.WARN, note="Are we sure?"
    )
    message = check(plan, "kanskje").findings[0].message
    assert "Why: Are we sure? Check" in message
