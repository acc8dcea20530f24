"""Choices of the analytics app, importable by other apps without touching its models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MetricSource(models.TextChoices):
    """Where a number comes from: shown next to it wherever it is shown (provenance)."""

    NETWORK = "network", _("from the network")
    SANDBOX = "sandbox", _("sandbox data")
    VARDE = "varde", _("computed by Varde")
    INBOX = "inbox", _("counted in the inbox")
    MANUAL = "manual", _("entered by hand")
    CONVERSION = "conversion", _("reported to Varde's conversion endpoint")


class Metric(models.TextChoices):
    """What a daily snapshot counts. Post counts are lifetime totals on that day; followers
    is the account's count that day. Only what the connectors' contracts carry: nothing
    invented."""

    FOLLOWERS = "followers", _("Followers")
    LIKES = "likes", _("Likes")
    REPOSTS = "reposts", _("Shares")
    REPLIES = "replies", _("Comments")
    QUOTES = "quotes", _("Quotes")
    VIEWS = "views", _("Views")
    CLICKS = "clicks", _("Link clicks")


# The counts whose sum is a post's engagement.
ENGAGEMENT_METRICS = (Metric.LIKES, Metric.REPOSTS, Metric.REPLIES, Metric.QUOTES)
POST_METRICS = (*ENGAGEMENT_METRICS, Metric.VIEWS)


class ConversionKind(models.TextChoices):
    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("New customer")
    SALE = "sale", _("Sale")
    SIGNUP = "signup", _("Sign-up")


class ConversionSource(models.TextChoices):
    ENDPOINT = "endpoint", _("conversion endpoint")
    PIXEL = "pixel", _("thank-you page pixel")
    MANUAL = "manual", _("entered by hand")


class Decision(models.TextChoices):
    """What the team decided about one proposal of a control review."""

    PENDING = "pending", _("Not decided")
    ACCEPTED = "accepted", _("Accepted")
    CHANGED = "changed", _("Accepted with a change")
    REJECTED = "rejected", _("Rejected")


class ReportCadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ReportSection(models.TextChoices):
    """A report's sections, in the order a report shows them."""

    GOALS = "goals", _("Goal scorecard")
    AUDIENCE = "audience", _("Audience growth")
    REACH = "reach", _("Reach and impressions")
    ENGAGEMENT = "engagement", _("Engagement and rate")
    POSTS = "posts", _("Top and bottom posts")
    PUBLISHING = "publishing", _("Publishing behaviour and mix")
    COMMUNITY = "community", _("Community management")
    CONVERSIONS = "conversions", _("Link clicks, leads and customers")


# The notification kind of a scheduled report (registered in apps.py).
REPORT_NOTIFICATION_KIND = "analytics.report"
