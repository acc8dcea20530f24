from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "varde.policy"
    label = "policy"
    verbose_name = _("Publishing rules")

    def ready(self) -> None:
        from varde.policy.publishing_reactions import register

        register()
        from varde.policy import audit_kinds

        audit_kinds.register()
