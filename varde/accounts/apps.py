from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "varde.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from varde.accounts.audit_sentences import register_account_kinds

        register_account_kinds()
