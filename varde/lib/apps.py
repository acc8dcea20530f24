from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "varde.lib"
    label = "varde_lib"
    verbose_name = "Varde shared helpers"
