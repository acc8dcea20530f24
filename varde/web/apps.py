from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "varde.web"
    label = "web"
    verbose_name = "Web shell"
