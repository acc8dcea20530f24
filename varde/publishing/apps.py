from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "varde.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from varde.publishing import channel_reactions

        channel_reactions.register()
