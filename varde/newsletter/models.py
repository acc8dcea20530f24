"""Subscriber lists and subscribers of the e-mail newsletter.

A list belongs to one newsletter channel (a ``ConnectedAccount`` of the ``newsletter``
network), one to one: choosing the channel when scheduling a post is choosing the list.
Only ``confirmed`` subscribers ever get a newsletter (double opt-in).
"""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.newsletter.choices import SubscriberStatus


def new_signup_token() -> str:
    return secrets.token_urlsafe(16)


class SubscriberList(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    channel = models.OneToOneField(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="newsletter_list"
    )
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("what subscribers get"), blank=True)
    # Public by design: it is in the address of the signup form that a website links to.
    signup_token = models.CharField(max_length=40, unique=True, default=new_signup_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ConsentSource:
    """How a subscriber came onto the list, stored as a code (``kind`` or ``kind:who``) so
    the record stays the same whatever language it is read in."""

    FORM = "form"
    ADDED = "added"
    IMPORT = "import"
    IMPORT_WITH_CONSENT = "import-consent"

    @staticmethod
    def by(kind: str, who: str) -> str:
        return f"{kind}:{who}"

    @staticmethod
    def label(value: str) -> str:
        kind, _sep, who = value.partition(":")
        labels = {
            ConsentSource.FORM: _("signup form"),
            ConsentSource.ADDED: _("added by %(who)s"),
            ConsentSource.IMPORT: _("imported by %(who)s"),
            ConsentSource.IMPORT_WITH_CONSENT: _(
                "imported by %(who)s, who confirmed having consent"
            ),
        }
        label = labels.get(kind)
        return str(label) % {"who": who} if label is not None else value


class Subscriber(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    subscriber_list = models.ForeignKey(
        SubscriberList, on_delete=models.CASCADE, related_name="subscribers"
    )
    # Public id: goes into unsubscribe links and Message-IDs, never the database id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail"), max_length=254)
    name = models.CharField(_("name"), max_length=160, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_source = models.CharField(_("consent source"), max_length=200, blank=True)
    # sha256 of the confirmation token; the token itself is only in the e-mail.
    confirm_token_hash = models.CharField(max_length=64, blank=True)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_mail_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["email"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["subscriber_list", "email"], name="one_subscription_per_address"
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def consent_source_label(self) -> str:
        return ConsentSource.label(self.consent_source)
