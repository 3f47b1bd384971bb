from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commsdesk.accounts"
    label = "accounts"
    verbose_name = "Accounts"
