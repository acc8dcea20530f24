"""The live check endpoint, the confirm button, the rules page and who may use them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.policy.choices import SignatureRule
from varde.policy.models import ConfirmedHashtag, GuardSettings

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, workspace="acme"):
    return reverse(f"policy:{name}", kwargs={"workspace": workspace})


def test_check_renders_findings_with_severity_in_words(plan, writer, instagram, client_as):
    client = client_as(writer)
    response = client.post(
        url("check"),
        {
            "text": "Helt gratis! #aurora",
            "channels": [str(instagram.pk)],
            "is_paid": "on",
            "alt_text": ["", "En sko"],
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "policy/_findings.html"
    html = response.content.decode()
    assert "Stops the post:" in html
    assert "Warning:" in html  # the missing alt text
    assert 'data-code="banned_term"' in html
    assert 'data-code="ad_disclosure_missing"' in html
    assert 'data-code="hashtag_unconfirmed"' in html
    assert "I have checked what #aurora is about — confirm" in html
    assert url("hashtag_confirm") in html


def test_check_reads_variants_and_escapes_text(plan, writer, instagram, client_as):
    client = client_as(writer)
    response = client.post(
        url("check"),
        {
            "text": "Hei",
            "channels": [str(instagram.pk)],
            f"variant_{instagram.pk}": "<script>x</script> gratis",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert "In the text for Acme on Instagram" in html
    assert "<script>x</script>" not in html


def test_check_with_nothing_wrong_says_so(plan, writer, client_as):
    response = client_as(writer).post(url("check"), {"text": "Hei #varde"}, **HTMX)
    assert "No problems found" in response.content.decode()


def test_confirm_button_confirms_audits_and_rerenders(plan, writer, client_as):
    client = client_as(writer)
    first = client.post(url("check"), {"text": "Nytt! #Aurora"}, **HTMX).content.decode()
    assert 'name="policy_draft"' in first
    draft = json.dumps({"text": "Nytt! #Aurora", "channel_ids": [], "variants": {}})
    response = client.post(
        url("hashtag_confirm"),
        {"policy_tag": "aurora", "policy_note": "Vår kjolekolleksjon", "policy_draft": draft},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "#aurora is confirmed" in html
    assert "No problems found" in html
    confirmation = ConfirmedHashtag.objects.get(workspace=plan)
    assert (confirmation.tag, confirmation.note, confirmation.confirmed_by) == (
        "aurora",
        "Vår kjolekolleksjon",
        writer,
    )
    event = AuditEvent.objects.get(action="policy.hashtag_confirmed")
    assert event.actor == writer
    assert event.workspace == plan


def test_confirm_rejects_what_is_not_a_hashtag(plan, writer, client_as):
    response = client_as(writer).post(url("hashtag_confirm"), {"policy_tag": "a b!"}, **HTMX)
    assert response.status_code == 400
    assert not ConfirmedHashtag.objects.exists()


def test_confirm_from_the_rules_page_redirects(plan, writer, client_as):
    response = client_as(writer).post(url("hashtag_confirm"), {"tag": "#Sommer"})
    assert response.status_code == 302
    assert ConfirmedHashtag.objects.filter(workspace=plan, tag="sommer").exists()


def test_rules_page_shows_the_plans_rules(plan, writer, client_as):
    html = client_as(writer).get(url("rules")).content.decode()
    assert "“gratis”" in html
    assert "Not allowed in ads" in html
    assert "#blackfriday" in html
    assert "how many posts listening saw with the hashtag" in html
    assert reverse("strategy:phase", kwargs={"workspace": "acme", "number": 5}) in html
    assert "Save the settings" not in html  # a contributor cannot change them


def test_editor_saves_settings_and_forgets_a_confirmation(plan, editor, client_as):
    client = client_as(editor)
    assert "Save the settings" in client.get(url("rules")).content.decode()
    response = client.post(
        url("settings_save"),
        {
            "signature": SignatureRule.BLOCK,
            "alt_text_required": "on",
            "avoided_hashtag_blocks": "",
            "extra_disclosure_words": "Ad,  Sponsored ,",
        },
    )
    assert response.status_code == 302
    saved = GuardSettings.objects.get(workspace=plan)
    assert saved.signature == SignatureRule.BLOCK
    assert saved.alt_text_required
    assert not saved.avoided_hashtag_blocks
    assert saved.extra_disclosure_words == "Ad, Sponsored"
    assert AuditEvent.objects.filter(action="policy.settings_changed").exists()

    bad = client.post(url("settings_save"), {"signature": "sometimes"})
    assert bad.status_code == 200
    assert "not saved" in bad.content.decode()

    ConfirmedHashtag.objects.create(workspace=plan, tag="aurora", confirmed_at="2025-01-01T00:00Z")
    client.post(url("hashtag_forget"), {"tag": "aurora"})
    assert not ConfirmedHashtag.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CONTRIBUTOR, (200, 200, 403)),
        (Role.ANALYST, (403, 200, 403)),
        (Role.CLIENT_REVIEWER, (403, 403, 403)),
        (Role.EDITOR, (200, 200, 302)),
    ],
)
def test_permissions(plan, client_as, role, expected):
    check_status, rules_status, settings_status = expected
    client = client_as(member(plan, role))
    assert client.post(url("check"), {"text": "x"}, **HTMX).status_code == check_status
    assert client.post(url("hashtag_confirm"), {"tag": "x"}).status_code in (
        (302,) if check_status == 200 else (403,)
    )
    assert client.get(url("rules")).status_code == rules_status
    assert client.post(url("settings_save"), {"signature": "off"}).status_code == settings_status


def test_other_workspace_is_not_found(plan, client_as, other_workspace):
    outsider = member(other_workspace, Role.OWNER)
    response = client_as(outsider).post(url("check"), {"text": "x"}, **HTMX)
    assert response.status_code == 404


def test_check_needs_post(plan, writer, client_as):
    assert client_as(writer).get(url("check")).status_code == 405


def test_editing_someone_elses_post_checks_its_author(plan, writer, editor, instagram, client_as):
    from varde.content.services import post_create
    from varde.strategy.models import Network
    from varde.strategy.tests.factories import ChannelFactory, PersonFactory

    ig = ChannelFactory(workspace=plan, network=Network.INSTAGRAM, name="@acme")
    ig.publishers.add(PersonFactory(workspace=plan, name="Ola Hansen"))
    post = post_create(workspace=plan, author=writer, text="Hei")
    fields = {"text": "Hei", "channels": [str(instagram.pk)], "post": str(post.pk)}
    # The editor is not named either, but the check is about the writer, who will publish.
    html = client_as(editor).post(url("check"), fields, **HTMX).content.decode()
    assert 'data-code="channel_not_allowed"' in html
    # A post id of another workspace is ignored: the person writing is checked.
    fields["post"] = "999999"
    owner = member(plan, Role.OWNER)
    html = client_as(owner).post(url("check"), fields, **HTMX).content.decode()
    assert "No problems found" in html


def test_the_plan_links_to_the_rules_page(plan, writer, client_as):
    overview = reverse("strategy:overview", kwargs={"workspace": "acme"})
    assert url("rules") in client_as(writer).get(overview).content.decode()


def test_check_reads_thread_and_first_comment(plan, writer, client_as):
    fields = {"text": "Hei", "thread": ["Del to", "gratis"], "first_comment": "#blackfriday"}
    html = client_as(writer).post(url("check"), fields, **HTMX).content.decode()
    assert 'data-code="banned_term"' in html
    assert 'data-code="hashtag_avoid"' in html


def test_alt_text_paired_with_media_ids_counts_images_only(plan, writer, client_as):
    from varde.content.models import PostMedia
    from varde.content.services import post_create

    post = post_create(workspace=plan, author=writer, text="Hei")
    image = PostMedia.objects.create(post=post, file="a.jpg", kind="image", mime_type="image/jpeg")
    video = PostMedia.objects.create(post=post, file="b.mp4", kind="video", mime_type="video/mp4")
    client = client_as(writer)
    fields = {"text": "Hei", "media_id": [str(image.pk), str(video.pk)], "alt_text": ["", ""]}
    html = client.post(url("check"), fields, **HTMX).content.decode()
    assert "1 image has no description" in html
    fields["alt_text"] = ["A red bike", ""]
    html = client.post(url("check"), fields, **HTMX).content.decode()
    assert "No problems found" in html
