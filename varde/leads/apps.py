from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "varde.leads"
    label = "leads"
    verbose_name = _("Leads")

    def ready(self) -> None:
        from varde.notifications import kinds

        area = _("Leads")
        kinds.register(
            kinds.Kind("leads.assigned", _("A lead is given to you"), area),
            kinds.Kind("leads.handoff_failed", _("A lead could not be sent to the CRM"), area),
        )
        from varde.leads import audit_kinds

        audit_kinds.register()
