"""What one send costs in SQL statements, and in statements built by the ORM, so that neither
creeps back up.

The engine sends thousands of deliveries a minute (docs/benchmarks.md: 10,000 due at once,
within 20 s on two cores with SQLite), and every statement is paid for every delivery. Counted
here with the sandbox's own two (its fault list and the post it stores) and the four SAVEPOINT
statements of the two transactions inside a test. Before the workspace's rules were kept
between sends and the claim read everything in one statement, these sends were 22 statements
(the plain one) and 27 (every rule in use).

The count alone did not catch the next regression: the number of statements stayed the same
while building them grew to cost more than running them (a filter, an ``UpdateQuery``, a model
``save()`` each, with the SQLite write lock held meanwhile; docs/benchmarks.md, "Session 4").
So the ORM's SQL compilations are counted too: a plain send builds none (``publishing/prepared.py``
and ``lib/prepared_writes.py`` keep its SQL), which, unlike a timing, does not depend on how
busy the machine is. ``bench/publish.py`` prints the CPU per send for the rest.

Run with ``VARDE_TEST_DATABASE_URL`` these pin PostgreSQL's path too: two statements more (the
commits that need not wait for the disk), and every statement of the send run prepared
(``EXECUTE``; ``lib/server_prepared.py``), which cut PostgreSQL's CPU per send and the workers'
(docs/benchmarks.md, "Session 5").
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.sql import compiler

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.content.choices import ApprovalState
from varde.content.models import PostMedia
from varde.content.services import post_create, post_set_channel_text
from varde.policy.choices import SignatureRule
from varde.policy.models import GuardSettings
from varde.publishing import engine, services
from varde.publishing.choices import DeliveryState
from varde.publishing.tests.conftest import NOON
from varde.strategy.models import Network, StrategyPlan, TermRule, TermSeverity
from varde.strategy.tests.factories import ChannelFactory, PersonFactory

pytestmark = pytest.mark.django_db
W = "test-worker"
# Claim (select, update, attempt), the rules' stamp, the sandbox's two, the outcome (delivery,
# attempt), and four SAVEPOINT statements; the media only for a post that has some.
STATEMENTS_PER_SEND = 12
# PostgreSQL: and two ``SET LOCAL synchronous_commit TO OFF``, for the outcome and the sandbox's
# write (varde/lib/server_prepared.py; outside a test the sandbox's write has its own BEGIN and
# COMMIT too). Each saves a wait for the disk of about 3 ms.
STATEMENTS_PER_SEND_POSTGRES = STATEMENTS_PER_SEND + 2
# SQL the ORM builds for a plain send: none, every statement's SQL is kept (fast path: see
# publishing/prepared.py). Was 6 before (the claim's UPDATE and INSERT, the sandbox's two, the
# outcome's two UPDATEs).
COMPILED_PER_SEND = 0


@contextmanager
def compiled_sql():
    """The statements the ORM compiles inside the block (``as_sql`` of each compiler)."""
    built: list[str] = []
    patches = []
    for kind in (
        compiler.SQLCompiler,
        compiler.SQLInsertCompiler,
        compiler.SQLUpdateCompiler,
        compiler.SQLDeleteCompiler,
        compiler.SQLAggregateCompiler,
    ):
        original = kind.as_sql

        def counted(self, *args, _original=original, **kwargs):
            built.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        patches.append(mock.patch.object(kind, "as_sql", counted))
    for patch in patches:
        patch.start()
    try:
        yield built
    finally:
        for patch in reversed(patches):
            patch.stop()


def statements_per_send() -> int:
    if connection.vendor == "postgresql":
        return STATEMENTS_PER_SEND_POSTGRES
    return STATEMENTS_PER_SEND


# Statements that are not the send's own SQL: transactions, savepoints and settings.
_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL")


def assert_prepared_on_postgres(captured) -> None:
    """On PostgreSQL every statement of a send runs prepared (``EXECUTE``), so none is parsed
    and planned again (varde/lib/server_prepared.py)."""
    if connection.vendor != "postgresql":
        return
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(_CONTROL)]
    assert statements, captured.captured_queries
    assert all(sql.startswith("EXECUTE varde_") for sql in statements), statements


def schedule_posts(workspace, author, channel, count, **fields):
    deliveries = []
    for n in range(count):
        post = post_create(
            workspace=workspace,
            author=author,
            text=f"Hei fra Varde, nummer {n}. – Kari",
            approval_state=ApprovalState.APPROVED,
            **fields,
        )
        deliveries.append(
            services.delivery_schedule(post=post, channel=channel, at=NOON, actor=author)
        )
    return deliveries


def test_a_plain_send_costs_a_fixed_number_of_statements(
    workspace, editor, channel, django_assert_max_num_queries
):
    _first, second = schedule_posts(workspace, editor, channel, 2)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)  # reads the workspace's rules: kept from now on
        with (
            django_assert_max_num_queries(statements_per_send()) as captured,
            compiled_sql() as built,
        ):
            assert engine.publish_one(worker=W)
    assert len(built) == COMPILED_PER_SEND, built
    assert_prepared_on_postgres(captured)
    second.refresh_from_db()
    assert second.state == DeliveryState.PUBLISHED


def test_a_send_with_every_rule_in_use_costs_no_more(
    workspace, editor, channel, django_assert_max_num_queries
):
    """Terms, a signature rule, a plan that names who may publish, a variant and an image:
    the rules are still read once, and the variant and media once each."""
    writer = member(workspace, Role.CONTRIBUTOR, full_name="Kari Nordmann")
    StrategyPlan.objects.create(workspace=workspace, require_hashtag_check=True)
    TermRule.objects.create(workspace=workspace, term="billigst", severity=TermSeverity.WARN)
    GuardSettings.objects.create(workspace=workspace, signature=SignatureRule.BLOCK)
    channel.config = {**channel.config, "plan_network": Network.INSTAGRAM}
    channel.save()
    ChannelFactory(workspace=workspace, network=Network.INSTAGRAM).publishers.add(
        PersonFactory(workspace=workspace, name="Kari Nordmann", user=writer)
    )
    deliveries = schedule_posts(workspace, writer, channel, 2)
    for delivery in deliveries:
        post_set_channel_text(
            post=delivery.post, channel=channel, text="Egen tekst for sandkassen. – Kari"
        )
        PostMedia.objects.create(
            post=delivery.post,
            kind=PostMedia.Kind.IMAGE,
            mime_type="image/png",
            alt_text="Sykler ved brygga",
            file=SimpleUploadedFile("a.png", b"not read by the sandbox"),
        )
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)
        with (
            django_assert_max_num_queries(statements_per_send() + 1),  # + the media
            compiled_sql() as built,
        ):
            assert engine.publish_one(worker=W)
    assert len(built) == COMPILED_PER_SEND + 1, built  # the media's query
    for delivery in deliveries:
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.PUBLISHED, delivery.last_error
        assert delivery.attempts.get().request_summary["text"].startswith("Egen tekst")
