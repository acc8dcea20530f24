from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "varde.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from varde.inbox import listening_reactions, publishing_reactions

        publishing_reactions.register()
        listening_reactions.register()
