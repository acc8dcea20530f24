from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "varde.worker"
    label = "worker"
    verbose_name = "Background workers"
