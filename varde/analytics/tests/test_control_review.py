"""The control review (issue 14 item 8): proposals from the numbers, a decision on each, and
the accepted ones written into the plan as a new adopted version with the review recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from varde.accounts.models import AuditEvent
from varde.analytics import review, review_services
from varde.analytics.choices import Decision, Metric, MetricSource
from varde.analytics.models import ControlReview, DailyRollup
from varde.channels.models import ConnectedAccount
from varde.content.choices import MixCategory
from varde.content.models import Post
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.strategy.models import PlanChannel, PlanVersion, Review, StrategyPlan
from varde.strategy.tests.factories import ChannelFactory

OSLO = ZoneInfo("Europe/Oslo")
TODAY = dt.date(2026, 12, 9)  # a Wednesday


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _week(weeks_back: int, day: int = 0) -> dt.datetime:
    monday = TODAY - dt.timedelta(days=TODAY.weekday(), weeks=weeks_back)
    return dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(10), tzinfo=OSLO)


def _published(workspace, channel, at: dt.datetime, kind: str = "") -> Post:
    post = Post.objects.create(workspace=workspace, text="Hei", mix_category=kind)
    Delivery.objects.create(
        workspace=workspace,
        post=post,
        channel=channel,
        state=DeliveryState.PUBLISHED,
        published_at=at,
    )
    return post


def _linkedin_kept_once_a_week(workspace):
    """LinkedIn planned at 3 a week; one post a week published for the seven full weeks."""
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    StrategyPlan.objects.update_or_create(
        workspace=workspace,
        defaults={"mix_promotional": 40, "mix_curated": 30, "mix_engagement": 30},
    )
    plan_channel = ChannelFactory(
        workspace=workspace, network="linkedin", name="Fjordbakst", posts_per_week=3
    )
    account = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="linkedin", label="Fjordbakst", handle="fjordbakst"
    )
    for weeks_back in range(1, 8):
        _published(workspace, account, _week(weeks_back))
    return plan_channel, account


def test_a_channel_kept_below_its_plan_gets_a_lower_plan_proposed(workspace):
    plan_channel, _account = _linkedin_kept_once_a_week(workspace)
    [proposal] = [
        p
        for p in review.proposals_for(workspace=workspace, today=TODAY)
        if p.topic.startswith("frequency")
    ]
    assert proposal.topic == review.FREQUENCY_LOW
    assert proposal.params["kept"] == 1.0
    assert proposal.params["planned"] == 3.0
    assert proposal.change == {
        "part": "channel-plan",
        "item_id": plan_channel.pk,
        "field": "posts_per_week",
        "value": "1.0",
    }
    words = review.proposal_words(proposal.topic, proposal.params)
    assert words.startswith("Fjordbakst · LinkedIn: posts a week kept 1, planned 3")
    with translation.override("nb"):
        assert "Fjordbakst · LinkedIn" in review.proposal_words(proposal.topic, proposal.params)


def test_a_channel_kept_as_planned_gets_no_frequency_proposal(workspace):
    plan_channel, _account = _linkedin_kept_once_a_week(workspace)
    plan_channel.posts_per_week = Decimal(1)
    plan_channel.save()
    topics = {p.topic for p in review.proposals_for(workspace=workspace, today=TODAY)}
    assert not topics & {review.FREQUENCY_LOW, review.FREQUENCY_HIGH}


def _mix_history(workspace, account):
    """Engagement posts earn 3× what promotional posts earn, per post."""
    for n, kind in enumerate([MixCategory.ENGAGEMENT] * 3 + [MixCategory.PROMOTIONAL] * 3):
        _published(workspace, account, _week(2, day=n % 5), kind=kind)
    for kind, likes in ((MixCategory.ENGAGEMENT, 90), (MixCategory.PROMOTIONAL, 30)):
        DailyRollup.objects.create(
            workspace=workspace,
            day=TODAY - dt.timedelta(days=10),
            channel=account,
            mix_category=kind,
            metric=Metric.LIKES,
            value=likes,
            posts=3,
            source=MetricSource.SANDBOX,
        )


def test_the_kind_that_earns_more_gets_a_larger_share_proposed(workspace):
    _plan_channel, account = _linkedin_kept_once_a_week(workspace)
    _mix_history(workspace, account)
    [proposal] = [
        p for p in review.proposals_for(workspace=workspace, today=TODAY) if p.topic == review.MIX
    ]
    assert proposal.params["ratio"] == 3.0
    assert proposal.params["best"] == MixCategory.ENGAGEMENT
    assert proposal.params["worst"] == MixCategory.PROMOTIONAL
    # 10 points move from promotional (40) to engagement (30); curated stays.
    assert proposal.change == {"part": "mix", "field": "mix", "value": [30, 30, 40]}
    assert "earned 3× the engagement per post" in review.proposal_words(
        proposal.topic, proposal.params
    )


def test_accepted_and_changed_proposals_are_written_into_the_plan_and_adopted(workspace, owner):
    plan_channel, account = _linkedin_kept_once_a_week(workspace)
    _mix_history(workspace, account)
    control = review_services.review_start(workspace=workspace, actor=owner, today=TODAY)
    by_topic = {p.topic: p for p in control.proposals.all()}
    review_services.proposal_decide(
        proposal=by_topic[review.FREQUENCY_LOW], actor=owner, decision=Decision.CHANGED, value="1,5"
    )
    review_services.proposal_decide(
        proposal=by_topic[review.MIX], actor=owner, decision=Decision.REJECTED
    )

    revised = review_services.review_finish(control=control, actor=owner, participants="Kari, Ola")

    plan_channel.refresh_from_db()
    assert plan_channel.posts_per_week == Decimal("1.5")
    plan = StrategyPlan.objects.get(workspace=workspace)
    assert (plan.mix_promotional, plan.mix_curated, plan.mix_engagement) == (40, 30, 30)  # rejected
    recorded = Review.objects.get(workspace=workspace)
    assert recorded.participants == "Kari, Ola"
    assert "Accepted with a change (1.5)" in recorded.decisions
    assert "Rejected:" in recorded.decisions
    version = PlanVersion.objects.get(workspace=workspace)
    assert version.adopted_at is not None
    assert revised.version == version
    control.refresh_from_db()
    assert control.plan_version == version.number
    assert control.finished_at is not None
    assert AuditEvent.objects.filter(action="strategy.channel-plan.updated", actor=owner).exists()
    assert AuditEvent.objects.filter(action="analytics.review.finished").exists()


def test_a_starting_review_returns_the_open_one(workspace, owner):
    _linkedin_kept_once_a_week(workspace)
    first = review_services.review_start(workspace=workspace, actor=owner, today=TODAY)
    assert review_services.review_start(workspace=workspace, actor=owner, today=TODAY) == first
    assert ControlReview.objects.count() == 1


@pytest.mark.parametrize("value", ["0", "abc", "1,55", "101"])
def test_a_changed_value_the_plan_cannot_take_is_refused(workspace, owner, value):
    _linkedin_kept_once_a_week(workspace)
    control = review_services.review_start(workspace=workspace, actor=owner, today=TODAY)
    proposal = control.proposals.get(topic=review.FREQUENCY_LOW)
    with pytest.raises(ValidationError):
        review_services.proposal_decide(
            proposal=proposal, actor=owner, decision=Decision.CHANGED, value=value
        )


def test_mix_shares_must_add_up_to_100(workspace, owner):
    _plan_channel, account = _linkedin_kept_once_a_week(workspace)
    _mix_history(workspace, account)
    control = review_services.review_start(workspace=workspace, actor=owner, today=TODAY)
    proposal = control.proposals.get(topic=review.MIX)
    with pytest.raises(ValidationError, match="add up to 100"):
        review_services.proposal_decide(
            proposal=proposal, actor=owner, decision=Decision.CHANGED, value="50, 30, 30"
        )
    review_services.proposal_decide(
        proposal=proposal, actor=owner, decision=Decision.CHANGED, value="20, 30, 50"
    )
    review_services.review_finish(control=control, actor=owner)
    plan = StrategyPlan.objects.get(workspace=workspace)
    assert (plan.mix_promotional, plan.mix_curated, plan.mix_engagement) == (20, 30, 50)


def test_a_change_to_another_workspaces_channel_fails_the_whole_review(
    workspace, other_workspace, owner
):
    _linkedin_kept_once_a_week(workspace)
    foreign = PlanChannel.objects.create(
        workspace=other_workspace, network="linkedin", name="Theirs", posts_per_week=3
    )
    control = review_services.review_start(workspace=workspace, actor=owner, today=TODAY)
    proposal = control.proposals.get(topic=review.FREQUENCY_LOW)
    proposal.change = {**proposal.change, "item_id": foreign.pk}
    proposal.decision = Decision.ACCEPTED
    proposal.save()
    with pytest.raises(PlanChannel.DoesNotExist):
        review_services.review_finish(control=control, actor=owner)
    foreign.refresh_from_db()
    assert foreign.posts_per_week == 3
    assert not Review.objects.exists()


def test_the_pages_walk_through_a_review(workspace, owner, client_as):
    plan_channel, _account = _linkedin_kept_once_a_week(workspace)
    client = client_as(owner)
    base = f"/w/{workspace.slug}/analytics/review/"
    assert "Start a review" in client.get(base).content.decode()
    started = client.post(f"{base}start/")
    assert started.status_code == 302
    page = client.get(started["Location"]).content.decode()
    assert "posts a week kept 1, planned 3" in page
    control = ControlReview.objects.get()
    proposal = control.proposals.get(topic=review.FREQUENCY_LOW)
    client.post(f"{base}{control.pk}/proposals/{proposal.pk}/", {"decision": "accepted"})
    finished = client.post(f"{base}{control.pk}/finish/", {"participants": "Kari"}, follow=True)
    assert "adopted as version 1" in finished.content.decode()
    plan_channel.refresh_from_db()
    assert plan_channel.posts_per_week == 1


def test_other_workspaces_reviews_are_not_found(workspace, other_workspace, owner, client_as):
    theirs = ControlReview.objects.create(
        workspace=other_workspace,
        period_start=TODAY,
        period_end=TODAY,
        started_at=dt.datetime.now(dt.UTC),
    )
    client = client_as(owner)
    assert client.get(f"/w/{workspace.slug}/analytics/review/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/w/{workspace.slug}/analytics/review/{theirs.pk}/finish/").status_code == 404
    )
