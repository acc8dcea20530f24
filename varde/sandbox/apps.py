from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    name = "varde.sandbox"
    label = "sandbox"
    verbose_name = _("Sandbox network")

    def ready(self) -> None:
        # Registering here, before anything reads VARDE_CONNECTORS, is what makes the key
        # "sandbox" resolvable: the registry only auto-imports modules in varde.connectors.
        from varde.sandbox import connector  # noqa: F401
        from varde.sandbox.channel_reactions import register

        register()
