"""The roles a member can have in a workspace."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    CONTRIBUTOR = "contributor", _("Contributor")
    ANALYST = "analyst", _("Analyst")
    CLIENT_REVIEWER = "client_reviewer", _("Client reviewer")


ROLE_DESCRIPTIONS = {
    Role.OWNER: _("Everything, including deleting the workspace and handing over ownership."),
    Role.ADMIN: _("Everything except ownership: members, channels, settings and all content."),
    Role.EDITOR: _("Writes, approves and schedules posts, answers in the inbox, edits the plan."),
    Role.CONTRIBUTOR: _("Writes drafts that an editor must approve before they go out."),
    Role.ANALYST: _("Reads everything and changes nothing."),
    Role.CLIENT_REVIEWER: _("Sees and approves what is sent for review, nothing else."),
}
