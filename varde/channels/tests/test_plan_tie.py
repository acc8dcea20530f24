"""Tying a connected channel to a channel of the publishing plan (issue 11, item 3).

In a new workspace the plan's channels are on real networks ("Facebook: Fjordbakst") or
"Other", while the first channel connected is often the sandbox: matched by network alone they
never meet, so the calendar said the plan's channel was not connected, the frequency meter
counted nothing and "Add to next free slot" found no days and times. A tie fixes all three.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from varde.accounts.models import AuditEvent
from varde.calendar.meters import Flag, plan_meters
from varde.calendar.plan import plan_with_accounts
from varde.channels import selectors, services
from varde.channels.models import ConnectedAccount
from varde.composer.views_compose import LOCAL_INPUT_FORMAT
from varde.connectors.contracts import Credentials
from varde.content.services import post_create
from varde.content.slots import plan_for_channel
from varde.lib.timeutil import local_to_utc
from varde.publishing.services import delivery_plan
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.models import Network, PlanChannel
from varde.strategy.selectors import publishing_plan_for
from varde.strategy.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 08:00 in Oslo.
NOW = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def facebook_plan(workspace):
    """Phase 4: Facebook three times a week, Tuesday, Thursday and Saturday at 10:00."""
    return ChannelFactory(
        workspace=workspace,
        network=Network.FACEBOOK,
        name="Fjordbakst",
        posts_per_week=Decimal(3),
        days=[1, 3, 5],
        times=["10:00"],
    )


@pytest.fixture
def sandbox(workspace, owner):
    return sandbox_channel_create(workspace=workspace, label="Prøvekanal", actor=owner)


def _post_on(workspace, author, channel, at):
    post = post_create(workspace=workspace, author=author, text="Nybakt brød")
    delivery_plan(post=post, channel=channel, at=at, actor=author)
    return post


def test_an_untied_sandbox_is_not_the_plans_channel(workspace, facebook_plan, sandbox):
    (planned,) = plan_with_accounts(workspace, [sandbox])
    assert planned.accounts == ()
    assert plan_for_channel(sandbox) is None


def test_tied_sandbox_is_the_plans_channel_for_meters_and_slots(
    workspace, owner, facebook_plan, sandbox, frozen
):
    plan = services.channel_plan_tie(channel=sandbox, plan_channel_id=facebook_plan.pk, actor=owner)
    assert plan is not None
    assert plan.name == "Fjordbakst"
    sandbox.refresh_from_db()
    (planned,) = plan_with_accounts(workspace, [sandbox])
    assert planned.accounts == (sandbox,)
    assert plan_for_channel(sandbox).channel_id == facebook_plan.pk
    assert selectors.plan_network_of(sandbox) == "facebook"

    tuesday = local_to_utc(dt.datetime(2026, 12, 8, 10, 0), workspace.timezone)  # noqa: DTZ001
    _post_on(workspace, owner, sandbox, tuesday)
    meters = plan_meters(workspace=workspace, week=MONDAY, now=NOW)
    (row,) = meters.frequency
    assert (row.channel_id, row.count, row.flag) == (sandbox.pk, 1, Flag.LOW)
    assert meters.gap_channels == 1


def test_next_free_slot_uses_the_tied_plans_days_and_times(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, owner, facebook_plan, sandbox, frozen
):
    client = client_as(owner)
    response = client.post("/w/acme/posts/composer/next-slot/", {"channels": [sandbox.pk]})
    assert "no days and times" in response.content.decode()
    services.channel_plan_tie(channel=sandbox, plan_channel_id=facebook_plan.pk, actor=owner)
    response = client.post("/w/acme/posts/composer/next-slot/", {"channels": [sandbox.pk]})
    tuesday_ten = dt.datetime(2026, 12, 8, 10, 0)  # noqa: DTZ001 - wall clock in Oslo
    assert f'value="{tuesday_ten.strftime(LOCAL_INPUT_FORMAT)}"' in response.content.decode()


def test_an_other_channel_of_the_plan_links_only_through_a_tie(workspace, owner):
    other = ChannelFactory(workspace=workspace, network=Network.OTHER, name="Butikkskjermen")
    webhook = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="webhook", label="Skjerm", handle="https://s.example"
    )
    assert plan_with_accounts(workspace, [webhook])[0].accounts == ()
    services.channel_plan_tie(channel=webhook, plan_channel_id=other.pk, actor=owner)
    assert plan_with_accounts(workspace, [webhook])[0].accounts == (webhook,)


def test_a_tie_picks_one_of_two_plan_channels_on_the_same_network(workspace, owner, sandbox):
    first = ChannelFactory(workspace=workspace, network=Network.FACEBOOK, name="Fjordbakst")
    second = ChannelFactory(workspace=workspace, network=Network.FACEBOOK, name="Fjordkafé")
    services.channel_plan_tie(channel=sandbox, plan_channel_id=second.pk, actor=owner)
    by_plan = {p.plan.channel_id: p.accounts for p in plan_with_accounts(workspace, [sandbox])}
    assert by_plan == {first.pk: (), second.pk: (sandbox,)}


def test_untie_matches_by_network_again_and_a_deleted_plan_channel_is_no_tie(
    workspace, owner, facebook_plan, sandbox
):
    services.channel_plan_tie(channel=sandbox, plan_channel_id=facebook_plan.pk, actor=owner)
    assert services.channel_plan_tie(channel=sandbox, plan_channel_id=None, actor=owner) is None
    sandbox.refresh_from_db()
    assert selectors.plan_channel_id_of(sandbox) is None
    assert plan_for_channel(sandbox) is None
    actions = list(
        AuditEvent.objects.filter(workspace=workspace, action__startswith="channel.plan_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["channel.plan_tied", "channel.plan_untied"]

    facebook = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="facebook", label="FB", handle="fb"
    )
    services.channel_plan_tie(channel=facebook, plan_channel_id=facebook_plan.pk, actor=owner)
    facebook.refresh_from_db()
    PlanChannel.objects.filter(pk=facebook_plan.pk).delete()
    new = ChannelFactory(workspace=workspace, network=Network.FACEBOOK, name="Ny side")
    # The tie names a plan channel that is gone: matched by network to the new one.
    assert plan_for_channel(facebook, publishing_plan_for(workspace)).channel_id == new.pk


def test_a_plan_channel_of_another_workspace_cannot_be_tied(
    workspace, other_workspace, owner, sandbox
):
    foreign = ChannelFactory(workspace=other_workspace, network=Network.FACEBOOK, name="Their")
    with pytest.raises(ValidationError):
        services.channel_plan_tie(channel=sandbox, plan_channel_id=foreign.pk, actor=owner)
    sandbox.refresh_from_db()
    assert selectors.plan_channel_id_of(sandbox) is None


def test_add_to_the_plan_creates_the_plan_channel_and_ties_it(workspace, owner, sandbox):
    plan = services.channel_plan_add(
        channel=sandbox, network="other", name="  Prøvekanal ", actor=owner
    )
    created = PlanChannel.objects.get(workspace=workspace)
    assert (created.network, created.name, plan.channel_id) == ("other", "Prøvekanal", created.pk)
    sandbox.refresh_from_db()
    assert plan_for_channel(sandbox).channel_id == created.pk


def test_a_reconnect_keeps_the_tie(workspace, owner, facebook_plan):
    from varde.channels.connecting import Verified
    from varde.connectors.contracts import AccountProfile

    channel = services.channel_connect(
        workspace=workspace,
        connector_key="mastodon",
        label="Toot",
        handle="@bakst@m.example",
        credentials=Credentials(access_token="a"),
        config={"instance": "https://m.example"},
        network_account_id="1",
    )
    services.channel_plan_tie(channel=channel, plan_channel_id=facebook_plan.pk, actor=owner)
    channel.refresh_from_db()
    verified = Verified(
        connector_key="mastodon",
        profile=AccountProfile(
            network_id="1", handle="@bakst@m.example", display_name="Bakst", url=""
        ),
        credentials=Credentials(access_token="b"),
        config={"instance": "https://m.example", "max_characters": "1000"},
        secret_config={},
    )
    services.channel_connect_verified(
        workspace=workspace, verified=verified, actor=owner, channel=channel
    )
    channel.refresh_from_db()
    assert channel.config["max_characters"] == "1000"
    assert selectors.plan_channel_id_of(channel) == facebook_plan.pk


# --- the pages ---------------------------------------------------------------------------------


def test_connecting_the_sandbox_asks_which_channel_of_the_plan_it_is(
    client_as, owner, facebook_plan
):
    client = client_as(owner)
    response = client.post(
        "/w/acme/channels/connect/sandbox/", {"method": "sandbox", "label": "Prøvekanal"}
    )
    channel = ConnectedAccount.objects.get()
    assert response["Location"] == f"/w/acme/channels/{channel.pk}/plan/?new=1"
    page = client.get(response["Location"]).content.decode()
    assert "Which channel in your plan is Prøvekanal?" in page
    assert "Facebook: Fjordbakst" in page
    assert "3 posts a week · Tue, Thu, Sat · 10:00" in page
    assert "Decide later" in page

    response = client.post(f"/w/acme/channels/{channel.pk}/plan/", {"tie": facebook_plan.pk})
    assert response["Location"] == f"/w/acme/channels/{channel.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "is tied to Facebook: Fjordbakst in the plan" in detail
    assert "now use its days and times" in detail
    assert "Tied to this channel of the plan:" in detail


def test_adding_to_the_plan_from_the_page_says_days_and_times_are_still_missing(
    client_as, owner, workspace, sandbox
):
    client = client_as(owner)
    page = client.get(f"/w/acme/channels/{sandbox.pk}/plan/").content.decode()
    assert "The plan has no channels yet." in page
    assert 'id="tie-new" value="new" checked' in page
    response = client.post(
        f"/w/acme/channels/{sandbox.pk}/plan/", {"tie": "new", "network": "other", "name": ""}
    )
    assert response.status_code == 400
    assert not PlanChannel.objects.filter(workspace=workspace).exists()
    response = client.post(
        f"/w/acme/channels/{sandbox.pk}/plan/",
        {"tie": "new", "network": "other", "name": "Prøvekanal"},
        follow=True,
    )
    text = response.content.decode()
    assert "Other: Prøvekanal was added to the plan, and Prøvekanal is tied to it." in text
    assert "no days and times in the plan yet" in text


def test_the_tie_page_in_bokmal(client_as, owner, facebook_plan, sandbox):
    owner.language = "nb"
    owner.save(update_fields=["language"])
    page = client_as(owner).get(f"/w/acme/channels/{sandbox.pk}/plan/").content.decode()
    assert "Hvilken kanal i planen er Prøvekanal?" in page
    assert "3 innlegg i uken · tir, tor, lør · 10:00" in page
    PlanChannel.objects.filter(pk=facebook_plan.pk).update(posts_per_week=Decimal("1.5"))
    page = client_as(owner).get(f"/w/acme/channels/{sandbox.pk}/plan/").content.decode()
    assert "1,5 innlegg i uken" in page


def test_only_channel_managers_tie_and_only_in_their_workspace(  # noqa: PLR0917 - pytest fixtures
    client_as, editor, owner, other_workspace, facebook_plan, sandbox
):
    assert client_as(editor).get(f"/w/acme/channels/{sandbox.pk}/plan/").status_code == 403
    foreign = sandbox_channel_create(workspace=other_workspace, label="Theirs")
    assert client_as(owner).get(f"/w/acme/channels/{foreign.pk}/plan/").status_code == 404
    response = client_as(owner).post(f"/w/acme/channels/{sandbox.pk}/plan/", {"tie": "99999"})
    assert response.status_code == 400
    sandbox.refresh_from_db()
    assert selectors.plan_channel_id_of(sandbox) is None
