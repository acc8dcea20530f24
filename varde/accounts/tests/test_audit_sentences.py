"""Audit events read as sentences in both languages, at the workspace's local time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from varde.accounts import audit_sentences
from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.services import audit_record
from varde.accounts.tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

# What a developer would write and a marketer must never see.
RAW = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\[|\]|\d{4}-\d\d-\d\dT|\b[a-z]+\.[a-z_]+\b|_id\b")


class Post:
    """Stands in for a post as audit_record sees one: a type, an id and a label."""

    def __init__(self, text: str) -> None:
        self.pk, self.text = 7, text

    def __str__(self) -> str:
        return self.text


def _read(event: AuditEvent, language: str, zone: str = "Europe/Oslo"):
    with translation.override(language):
        return audit_sentences.describe(event, zone=zone)


def _at(event: AuditEvent, when: dt.datetime) -> AuditEvent:
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    event.refresh_from_db()
    return event


def test_a_role_change_is_a_sentence_with_local_time_in_both_languages(workspace, owner):
    kari = UserFactory(full_name="Kari Nordmann")
    event = audit_record(
        action="member.role_changed",
        workspace=workspace,
        actor=owner,
        target=kari,
        detail={"from": Role.CONTRIBUTOR, "to": Role.EDITOR},
    )
    event = _at(event, dt.datetime(2026, 12, 7, 13, 5, tzinfo=dt.UTC))

    english = _read(event, "en")
    assert english.sentence == (
        f"{owner.full_name} changed the role of Kari Nordmann from contributor to editor."
    )
    assert english.when == "7 Dec 2026, 14:05"

    bokmal = _read(event, "nb")
    assert "Kari Nordmann" in bokmal.sentence
    assert "redaktør" in bokmal.sentence
    assert "changed" not in bokmal.sentence
    assert bokmal.when == "7. des. 2026 kl. 14.05"


def test_the_time_follows_the_workspace_zone(workspace, owner):
    event = _at(
        audit_record(action="workspace.created", workspace=workspace, actor=owner),
        dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC),
    )
    assert _read(event, "en", zone="America/New_York").when == "1 Jul 2026, 18:30"
    assert _read(event, "en", zone="Europe/Oslo").when == "2 Jul 2026, 00:30"


def test_an_approval_reads_as_a_sentence_without_ids_or_none(workspace, owner):
    post = Post("Julesalg i hele desember")
    event = audit_record(
        action="review.approved",
        workspace=workspace,
        actor=owner,
        target=post,
        detail={"step": 1, "comment": "", "client_name": "", "client_link": None},
    )
    for language in ("en", "nb"):
        read = _read(event, language)
        assert "Julesalg i hele desember" in read.sentence
        assert not RAW.search(read.sentence + " ".join(read.lines)), read
    assert _read(event, "en").sentence.startswith(f"{owner.full_name} approved the post")


def test_a_client_decision_names_the_client(workspace):
    post = Post("Vårkampanje")
    event = audit_record(
        action="review.changes_requested",
        workspace=workspace,
        target=post,
        detail={"step": 1, "comment": "Mer lys", "client_name": "Ola i Fjordbakst"},
    )
    read = _read(event, "en")
    assert read.sentence.startswith("Ola i Fjordbakst asked for changes")
    assert read.lines == ["Comment: Mer lys"]


def test_an_approval_state_event_is_a_sentence(workspace, owner):
    post = Post("Nytt brød")
    event = audit_record(
        action="post.approved", workspace=workspace, actor=owner, target=post,
        detail={"from": "in_review"},
    )  # fmt: skip
    read = _read(event, "en")
    assert read.sentence == f"{owner.full_name} approved the post “Nytt brød”."
    assert read.lines == ["Before: in review"]


def test_an_unknown_kind_still_reads_as_a_sentence(workspace, owner):
    event = audit_record(
        action="futurefeature.thing_happened",
        workspace=workspace,
        actor=owner,
        detail={
            "enabled": True,
            "until": "2026-12-07T13:05:00+00:00",
            "previous": None,
            "client_link": 4,
            "stored": 5,
            "changes": {"days": [[], [1, 3]]},
        },
    )
    read = _read(event, "en")
    assert read.sentence == f"{owner.full_name} made a change."
    assert "Enabled: yes" in read.lines
    assert "Until: 7 Dec 2026, 14:05" in read.lines
    assert "Previous: none" in read.lines
    # A kind nobody declared gets no meaning it did not declare: numbers stay numbers.
    assert "Days: 1 and 3 (were none)" in read.lines
    assert "Stored: 5" in read.lines
    assert not any("Client link" in line for line in read.lines)
    assert not RAW.search(read.sentence + " ".join(read.lines))


def test_an_event_without_a_person_is_by_varde(workspace):
    event = audit_record(action="member.removed", workspace=workspace, detail={"role": "owner"})
    assert _read(event, "en").sentence.startswith("Varde removed")


def test_an_old_channel_label_is_shown_with_the_networks_name(workspace, owner):
    event = AuditEvent.objects.create(
        workspace=workspace,
        actor=owner,
        action="channel.paused",
        target_type="connectedaccount",
        target_label="Fjordbakst (mastodon)",
    )
    assert (
        _read(event, "en").sentence
        == f"{owner.full_name} paused the channel “Fjordbakst · Mastodon”."
    )


def test_workspace_settings_changes_are_named(workspace, owner):
    event = audit_record(
        action="workspace.settings_changed",
        workspace=workspace,
        actor=owner,
        detail={"changes": {"language": ["en", "nb"], "timezone": ["UTC", "Europe/Oslo"]}},
    )
    assert _read(event, "en").lines == [
        "Language: Norwegian Bokmål (was English)",
        "Time zone: Europe/Oslo (was UTC)",
    ]


def test_the_audit_page_shows_sentences_and_filters_by_area(client_as, workspace, owner):
    kari = member(workspace, Role.EDITOR)
    audit_record(
        action="member.added", workspace=workspace, actor=owner, target=kari,
        detail={"role": "editor"},
    )  # fmt: skip
    audit_record(action="channel.paused", workspace=workspace, actor=owner)
    client = client_as(owner)
    page = client.get(f"/w/{workspace.slug}/settings/audit/").content.decode()
    assert f"added {kari.full_name} to the workspace as editor." in page
    assert "member.added" not in page
    assert "channel.paused" not in page

    only_people = client.get(
        f"/w/{workspace.slug}/settings/audit/", {"area": "People and workspace"}
    ).content.decode()
    assert "to the workspace as editor" in only_people
    assert "paused the channel" not in only_people


def test_the_audit_page_in_bokmal(client_as, workspace, owner):
    owner.language = "nb"
    owner.save(update_fields=["language"])
    kari = member(workspace, Role.EDITOR)
    audit_record(
        action="member.added", workspace=workspace, actor=owner, target=kari,
        detail={"role": "editor"},
    )  # fmt: skip
    page = client_as(owner).get(f"/w/{workspace.slug}/settings/audit/").content.decode()
    assert kari.full_name in page
    assert "la til" in page
    assert "redaktør" in page
    assert "added" not in page
