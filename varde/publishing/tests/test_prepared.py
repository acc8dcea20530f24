"""The claim's SELECT built once (``publishing.prepared``) gives what the queryset gives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Q

from varde.content.choices import ApprovalState
from varde.content.models import PostMedia
from varde.content.services import post_create, post_set_channel_text
from varde.lib.prepared_writes import PreparedInsert, PreparedUpdate
from varde.publishing import services
from varde.publishing.choices import AttemptKind, DeliveryState
from varde.publishing.models import Delivery, DeliveryAttempt
from varde.publishing.prepared import PreparedSelect
from varde.publishing.services.claims import _due, _lease_free
from varde.publishing.tests.conftest import NOON

pytestmark = pytest.mark.django_db

RELATED = ("post", "channel", "workspace")


@pytest.fixture
def second_post(workspace, editor):
    return post_create(
        workspace=workspace,
        author=editor,
        text="Enda en post",
        approval_state=ApprovalState.APPROVED,
    )


def values_of(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def same_rows(prepared, built):
    assert type(prepared) is type(built)
    assert values_of(prepared) == values_of(built)
    for name in RELATED:
        assert values_of(getattr(prepared, name)) == values_of(getattr(built, name))
    assert prepared.post.author == built.post.author
    assert prepared.variant_text == built.variant_text
    assert prepared.has_media == built.has_media


def counting(build):
    calls = []

    def counted(now):
        calls.append(now)
        return build(now)

    return counted, calls


def test_it_gives_the_rows_the_queryset_gives(post, channel, second_channel, editor):
    with_variant = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    post_set_channel_text(post=post, channel=channel, text="Egen tekst")
    services.delivery_schedule(post=post, channel=second_channel, at=NOON, actor=editor)
    PostMedia.objects.create(
        post=post,
        kind=PostMedia.Kind.IMAGE,
        mime_type="image/png",
        file=SimpleUploadedFile("a.png", b"png"),
    )
    build, calls = counting(_due(DeliveryState.SCHEDULED, lambda now: Q()))
    prepared = PreparedSelect(build, Delivery.due_at.field)
    with transaction.atomic():
        assert prepared.first(NOON - timedelta(seconds=1)) is None  # not due yet
        first = prepared.first(NOON)
        same_rows(first, build(NOON).first())
        assert first.pk == with_variant.pk
        assert first.variant_text == "Egen tekst"
        assert first.has_media is True
        # Once sent, the next one comes: the time and the state are read afresh each time.
        Delivery.objects.filter(pk=first.pk).update(state=DeliveryState.PUBLISHED)
        second = prepared.first(NOON + timedelta(minutes=5))
        same_rows(second, build(NOON + timedelta(minutes=5)).first())
        assert second.variant_text is None
    # Built once (to compile it) plus once per comparison above, never for a claim.
    assert len(calls) == 3


def test_the_unknown_rows_check_the_lease_with_the_same_time(post, channel, editor):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.UNKNOWN, lease_expires_at=NOON + timedelta(minutes=1)
    )
    prepared = PreparedSelect(_due(DeliveryState.UNKNOWN, _lease_free), Delivery.due_at.field)
    with transaction.atomic():
        assert prepared.first(NOON) is None  # someone holds the lease
        assert prepared.first(NOON + timedelta(minutes=2)).pk == delivery.pk


# The writes built once (varde/lib/prepared_writes.py) ------------------------------------------

CLAIMED = ("state", "lease_owner", "lease_expires_at", "claim_token", "updated_at")


def stored(model, pk, *, leave_out=()):
    row = values_of(model.objects.get(pk=pk))
    return {name: value for name, value in row.items() if name not in ("id", *leave_out)}


def test_the_prepared_update_writes_what_the_orm_writes(post, second_post, channel, editor):
    by_orm = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    prepared = services.delivery_schedule(post=second_post, channel=channel, at=NOON, actor=editor)
    values = {
        "state": DeliveryState.PUBLISHING,
        "lease_owner": "host:1",
        "lease_expires_at": NOON + timedelta(minutes=5),
        "claim_token": "a" * 32,
        "updated_at": NOON,
    }
    update = PreparedUpdate(
        Delivery, set_fields=CLAIMED, where_fields=("id", "state"), increment=("tries",)
    )
    assert Delivery.objects.filter(pk=by_orm.pk, state=DeliveryState.SCHEDULED).update(
        tries=F("tries") + 1, **values
    )
    assert update.run(values, {"id": prepared.pk, "state": DeliveryState.SCHEDULED}) == 1
    # The condition is part of it: a row in another state is left alone.
    assert update.run(values, {"id": prepared.pk, "state": DeliveryState.SCHEDULED}) == 0
    different = ("post_id", "idempotency_key", "created_at")
    assert stored(Delivery, prepared.pk, leave_out=different) == stored(
        Delivery, by_orm.pk, leave_out=different
    )
    assert Delivery.objects.get(pk=prepared.pk).tries == 1


def test_the_prepared_insert_writes_what_save_writes(post, channel, editor):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    fields = {
        "delivery": delivery,
        "kind": AttemptKind.PUBLISH,
        "worker": "host:1",
        "started_at": NOON,
        "request_summary": {"text": "Hei – æøå 🚲", "chars": 12},
    }
    by_orm = DeliveryAttempt.objects.create(**fields)
    prepared = DeliveryAttempt(**fields)
    PreparedInsert(DeliveryAttempt).save(prepared)
    assert prepared.pk is not None
    assert prepared.pk != by_orm.pk
    assert not prepared._state.adding
    assert stored(DeliveryAttempt, prepared.pk) == stored(DeliveryAttempt, by_orm.pk)
    # Saved like any instance: a later save() updates the same row.
    prepared.error = "later"
    prepared.save(update_fields=["error"])
    assert DeliveryAttempt.objects.get(pk=prepared.pk).error == "later"
