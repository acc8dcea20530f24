from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "varde.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from varde.inbox import listening_reactions, publishing_reactions, triage_model
        from varde.notifications import kinds

        triage_model.install()
        publishing_reactions.register()
        listening_reactions.register()
        area = _("Inbox")
        kinds.register(
            kinds.Kind("inbox.assigned", _("A conversation is assigned to you"), area),
            kinds.Kind("inbox.reopened", _("Someone wrote again in a conversation of yours"), area),
            kinds.Kind("inbox.escalated", _("A conversation is escalated to you"), area),
            kinds.Kind("inbox.reply_approval", _("A reply waits for your approval"), area),
            kinds.Kind("inbox.reply_decided", _("Your reply was approved or refused"), area),
        )
        from varde.inbox import audit_kinds

        audit_kinds.register()
