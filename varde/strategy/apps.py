from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "varde.strategy"
    label = "strategy"
    verbose_name = "Strategy"

    def ready(self) -> None:
        from varde.strategy import audit_kinds

        audit_kinds.register()
