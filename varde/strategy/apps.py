from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "varde.strategy"
    label = "strategy"
    verbose_name = "Strategy"
