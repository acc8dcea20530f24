from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "varde.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from varde.content import audit_kinds

        audit_kinds.register()
