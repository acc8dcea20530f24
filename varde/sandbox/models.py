"""The sandbox network's own storage: what it received, and the faults it is told to fake.

Both live in the database so every process (web, any number of workers) sees the same
network: a post accepted by one worker is found by another worker's reconciler, and a fault
switched on in a test or on the command line reaches workers that are already running.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from varde.sandbox.choices import FaultKind, PersonaKind


class SandboxPost(models.Model):
    """One post as the sandbox network received it.

    There is deliberately no unique constraint on ``idempotency_key``: like most real networks
    the sandbox accepts a second copy, so a duplicate sent by Varde shows up here and can be
    counted instead of being silently hidden.
    """

    # The sandbox account name (ConnectedAccount.config["account"]), unique per channel.
    account = models.CharField(max_length=80, db_index=True)
    network_post_id = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=80, db_index=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    # Set when the post is an answer (a reply or a private message) to a simulated person.
    in_reply_to = models.CharField(max_length=60, blank=True)
    private_to = models.CharField(max_length=80, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.account}: {self.text[:40]}"


class SandboxFault(models.Model):
    """A fault the sandbox network injects, with a probability, for some or all accounts."""

    kind = models.CharField(max_length=24, choices=FaultKind.choices)
    # Empty: every sandbox account.
    account = models.CharField(max_length=80, blank=True)
    probability = models.FloatField(default=1.0)
    # How many more times the fault fires; None means until it is removed.
    remaining = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    retry_after_s = models.FloatField(default=1.0)
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} p={self.probability}"


class SandboxIncoming(models.Model):
    """What a simulated person sent to a sandbox account: a reply, a mention, a private message
    or a follow. ``persona`` is the labelled kind the sandbox meant it as, shown as sandbox data.

    Read by the sandbox connector's ``fetch_mentions`` from ``arrives_at`` on, so answers to a
    post trickle in over a few minutes like on a real network."""

    account = models.CharField(max_length=80, db_index=True)
    network_id = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=10)  # the connectors' MentionKind values
    persona = models.CharField(max_length=10, choices=PersonaKind.choices)
    author_handle = models.CharField(max_length=80)
    author_name = models.CharField(max_length=120)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    in_reply_to = models.CharField(max_length=60, blank=True)
    arrives_at = models.DateTimeField(default=timezone.now, db_index=True)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["arrives_at", "id"]

    def __str__(self) -> str:
        return f"{self.account} <- {self.author_handle}: {self.text[:40]}"
