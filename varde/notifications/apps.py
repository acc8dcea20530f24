from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The one notification path: the bell in the app and e-mail, in each person's language."""

    name = "varde.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from varde.notifications import audit_kinds

        audit_kinds.register()
