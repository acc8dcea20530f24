from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "varde.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from varde.notifications import kinds
        from varde.publishing import channel_reactions
        from varde.publishing.notify import DELIVERY_FAILED

        channel_reactions.register()
        kinds.register(
            kinds.Kind(DELIVERY_FAILED, _("Your post could not be published"), _("Publishing"))
        )
        from varde.publishing import audit_kinds

        audit_kinds.register()
