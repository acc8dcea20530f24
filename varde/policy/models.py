"""The guard's own settings and memory.

Most rules come from the plan (``varde.strategy``): banned and risky terms, hashtags to use or
avoid, the #Aurora check, who may publish where. What the plan has no place for lives here:
a few workspace settings, and the hashtags a person has confirmed after looking them up.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.policy.choices import NewHashtagRule, SignatureRule


class GuardSettings(models.Model):
    """One row per workspace, created on the first save; defaults apply until then."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="guard_settings"
    )
    signature = models.CharField(
        _("posts must be signed with the writer's name"),
        max_length=10,
        choices=SignatureRule.choices,
        default=SignatureRule.OFF,
    )
    alt_text_required = models.BooleanField(
        _("stop posts with images that have no description (alt text)"),
        default=False,
        help_text=_("When off, a missing description only gives a warning."),
    )
    avoided_hashtag_blocks = models.BooleanField(
        _("stop posts that use a hashtag the plan says to avoid"),
        default=True,
        help_text=_("When off, such a hashtag only gives a warning."),
    )
    new_hashtag = models.CharField(
        _("a hashtag that is new to the workspace"),
        max_length=10,
        choices=NewHashtagRule.choices,
        default=NewHashtagRule.WARN,
        help_text=_(
            "Applies when the plan asks to check hashtags before use (phase 5). A hashtag in "
            "the plan, confirmed before or used in a published post is never new."
        ),
    )
    extra_disclosure_words = models.CharField(
        _("other words that count as an advertising label"),
        max_length=300,
        blank=True,
        help_text=_(
            "Separate with commas, for example: Ad, Advertisement (for posts in English). "
            "“Annonse” and “reklame” always count."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("publishing rule settings")
        verbose_name_plural = _("publishing rule settings")

    def __str__(self) -> str:
        return f"guard settings of {self.workspace_id}"

    @property
    def extra_disclosure_list(self) -> list[str]:
        return [w.strip() for w in self.extra_disclosure_words.split(",") if w.strip()]


class ConfirmedHashtag(models.Model):
    """A hashtag a person looked up and confirmed is safe to use (the #Aurora rule)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    # Without "#", lower case, Unicode NFC: see ``varde.policy.text.normal_tag``.
    tag = models.CharField(_("hashtag"), max_length=100)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    note = models.CharField(_("what it is about"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["tag"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "tag"], name="one_confirmation_per_tag")
        ]
        verbose_name = _("confirmed hashtag")
        verbose_name_plural = _("confirmed hashtags")

    def __str__(self) -> str:
        return f"#{self.tag}"
