"""How a person wants to hear of one kind of notification."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reach(models.TextChoices):
    BOTH = "both", _("In Varde and by e-mail")
    IN_APP = "in_app", _("In Varde only")
    EMAIL = "email", _("By e-mail only")
    NONE = "none", _("Not at all")

    @property
    def in_app(self) -> bool:
        return self in (Reach.BOTH, Reach.IN_APP)

    @property
    def by_email(self) -> bool:
        return self in (Reach.BOTH, Reach.EMAIL)


class DeliveryState(models.TextChoices):
    """Where one webhook message stands."""

    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
