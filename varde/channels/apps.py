from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "varde.channels"
    label = "channels"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from varde.channels.notices import NEEDS_RECONNECT
        from varde.notifications import kinds

        kinds.register(
            kinds.Kind(NEEDS_RECONNECT, _("A channel must be connected again"), _("Channels"))
        )
        from varde.channels import audit_kinds

        audit_kinds.register()
