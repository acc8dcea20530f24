from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComposerConfig(AppConfig):
    """The composer, the post pages and campaign pages: where content, publishing, approvals and
    the policy guard meet. No models: it reads and writes through those apps."""

    name = "varde.composer"
    label = "composer"
    verbose_name = _("Composer")

    def ready(self) -> None:
        from varde.composer import audit_kinds

        audit_kinds.register()
