from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "varde.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from varde.analytics import audit_kinds, content_reactions, publishing_reactions

        publishing_reactions.register()
        content_reactions.register()
        audit_kinds.register()

        from varde.analytics.choices import REPORT_NOTIFICATION_KIND
        from varde.notifications import kinds

        kinds.register(
            kinds.Kind(
                REPORT_NOTIFICATION_KIND,
                _("A scheduled report (weekly or monthly, with its PDF)"),
                _("Analytics"),
            )
        )
