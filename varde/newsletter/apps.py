from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "varde.newsletter"
    label = "newsletter"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from varde.newsletter.channel_reactions import register

        register()
        from varde.newsletter import audit_kinds

        audit_kinds.register()
