from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "varde.calendar"
    label = "calendar"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        from varde.calendar import audit_kinds

        audit_kinds.register()
