"""factory_boy factories for the plan; other apps' tests may use them to build a plan."""

from __future__ import annotations

from decimal import Decimal

import factory

from varde.accounts.tests.factories import WorkspaceFactory
from varde.strategy import models as m


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PlanPerson

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Person {n}")


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PlanChannel

    workspace = factory.SubFactory(WorkspaceFactory)
    network = m.Network.INSTAGRAM
    name = factory.Sequence(lambda n: f"@account{n}")
    role = m.ChannelRole.TALKING
    posts_per_week = Decimal(3)
    days = [0, 2, 4]
    times = ["11:00"]
    producer = factory.SubFactory(PersonFactory, workspace=factory.SelfAttribute("..workspace"))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SocialGoal

    workspace = factory.SubFactory(WorkspaceFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    metric = m.Metric.FOLLOWERS
    baseline = Decimal(100)
    target = Decimal(200)
    deadline = factory.Faker("future_date", end_date="+200d")
    owner = factory.SubFactory(PersonFactory, workspace=factory.SelfAttribute("..workspace"))


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Audience

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Audience {n}")
