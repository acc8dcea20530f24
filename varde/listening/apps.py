from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "varde.listening"
    label = "listening"
    verbose_name = _("Listening")

    def ready(self) -> None:
        from varde.listening.policy_reactions import register
        from varde.listening.services.alert_delivery import NOTIFICATION_KIND
        from varde.notifications import kinds

        register()

        kinds.register(
            kinds.Kind(
                NOTIFICATION_KIND,
                _("A listening query has a volume spike or more negative mentions"),
                _("Listening"),
                webhook=True,
            )
        )
        from varde.listening import audit_kinds

        audit_kinds.register()
