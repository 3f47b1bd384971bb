from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "commsdesk.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns and reports"

    def ready(self) -> None:
        from commsdesk.campaigns import pullthrough  # noqa: F401  (connects its signal)
