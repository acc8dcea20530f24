"""Review and approval: who decided what about a post, client review links, notifications.

The post's approval state itself lives on ``content.Post`` and is written by
``content.services.post_set_approval``; this app keeps the decisions that lead to it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varde.approvals.choices import Decision


class ApprovalSettings(models.Model):
    """A workspace's review rules. Without a row the defaults apply (one approval)."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="approval_settings"
    )
    # Two approvals, by two different people, before a post may go out.
    require_second_approval = models.BooleanField(_("require a second approval"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("approval settings")
        verbose_name_plural = _("approval settings")

    def __str__(self) -> str:
        return f"approval settings of {self.workspace_id}"


class ClientReviewLink(models.Model):
    """A link that lets someone without an account review some posts until it expires.

    Only a hash of the token is stored: the link is shown once, to the person who made it.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="client_review_links"
    )
    posts = models.ManyToManyField("content.Post", related_name="+", verbose_name=_("posts"))
    token_hash = models.CharField(max_length=64, unique=True)
    # Who it is for, as the editor wrote it (shown in the list of links, not to the client).
    label = models.CharField(_("who it is for"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("client review link")
        verbose_name_plural = _("client review links")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"review link {self.pk} in {self.workspace_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class ApprovalDecision(models.Model):
    """One decision about a post: an approval or a request for changes, by a member or a client.

    Decisions are never deleted. When a post goes back to review (changes were asked for, or it
    was edited), the approvals given so far stop counting: ``superseded_at`` is set.
    """

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        "content.Post", on_delete=models.CASCADE, related_name="approval_decisions"
    )
    # 1 for the first approval, 2 for the second (when the workspace requires one).
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A client deciding through a review link, by the name they gave.
    client_name = models.CharField(_("client's name"), max_length=120, blank=True)
    client_link = models.ForeignKey(
        ClientReviewLink,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["post", "superseded_at"], name="decision_live_by_post")
        ]

    def __str__(self) -> str:
        return f"{self.decision} of post {self.post_id} (step {self.step})"

    @property
    def counts(self) -> bool:
        return self.superseded_at is None

    @property
    def decided_by(self) -> str:
        if self.actor is not None:
            return str(self.actor)
        return self.client_name
