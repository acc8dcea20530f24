"""The guard reads the composer's fields through the composer's own form (issue 10, item 4)."""

from __future__ import annotations

from django.http import QueryDict

from varde.accounts.tests.factories import WorkspaceFactory
from varde.channels.models import ConnectedAccount
from varde.content.forms import PostForm
from varde.policy.draft import draft_from_form

# The composer fields the guard checks; each must be a field of the composer's form, or the
# guard would check an empty value while the composer saves the real one.
GUARDED_FIELDS = {"text", "channels", "is_paid", "thread", "first_comment"}


def test_every_guarded_field_is_a_field_of_the_composer_form():
    assert set(PostForm.base_fields) >= GUARDED_FIELDS


def _form(**fields: list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data


def test_the_draft_is_what_the_composer_would_save(workspace, instagram, facebook):
    data = _form(
        text=["Sommersalg"],
        channels=[str(instagram.pk)],
        **{f"variant_{instagram.pk}": ["Eget for Instagram"]},
        is_paid=["on"],
        thread=["Del to", "   "],
        first_comment=["#Varde"],
        alt_text=["En sykkel"],
        media_id=["7"],
        post=["12"],
    )
    draft = draft_from_form(data, workspace=workspace)
    assert draft.text == "Sommersalg"
    assert draft.channel_ids == [instagram.pk]
    assert draft.variants == {instagram.pk: "Eget for Instagram"}
    assert draft.is_paid is True
    assert draft.thread == ["Del to"]  # the composer drops empty parts, so the guard does too
    assert draft.first_comment == "#Varde"
    assert (draft.alt_texts, draft.media_ids, draft.post_id) == (["En sykkel"], [7], 12)


def test_a_channel_of_another_workspace_is_left_out_and_the_rest_still_checked(
    workspace, instagram
):
    elsewhere = ConnectedAccount.objects.create(
        workspace=WorkspaceFactory(), connector_key="facebook", label="Not ours"
    )
    data = _form(text=["Hei"], channels=[str(instagram.pk), str(elsewhere.pk)])
    draft = draft_from_form(data, workspace=workspace)
    assert draft.channel_ids == [instagram.pk]
    assert draft.text == "Hei"


def test_a_field_the_form_refuses_does_not_stop_the_check(workspace, instagram):
    data = _form(text=["Hei"], channels=[str(instagram.pk)], planned_at=["not a date"])
    draft = draft_from_form(data, workspace=workspace)
    assert (draft.text, draft.channel_ids) == ("Hei", [instagram.pk])
