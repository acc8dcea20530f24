from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "varde.approvals"
    label = "approvals"
    verbose_name = _("Review and approval")

    def ready(self) -> None:
        from varde.notifications import kinds

        area = _("Review and approval")
        kinds.register(
            kinds.Kind("review.submitted", _("A post is sent to you for review"), area),
            kinds.Kind("review.back_to_review", _("An approved post was changed"), area),
            kinds.Kind("review.approved", _("Your post is approved"), area),
            kinds.Kind("review.second_needed", _("A post needs your second approval"), area),
            kinds.Kind("review.changes_requested", _("Your post needs changes"), area),
            kinds.Kind("review.client_decision", _("A client decided on a post"), area),
            kinds.Kind("review.client_blocked", _("A client approved a post the rules stop"), area),
        )
        from varde.approvals import audit_kinds

        audit_kinds.register()
