from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "varde.accounts"
    label = "accounts"
    verbose_name = "Accounts"
