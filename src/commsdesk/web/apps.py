from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "commsdesk.web"
    label = "web"
    verbose_name = "Web shell"
