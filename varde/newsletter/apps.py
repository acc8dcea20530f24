from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "varde.newsletter"
    label = "newsletter"
    default_auto_field = "django.db.models.BigAutoField"
