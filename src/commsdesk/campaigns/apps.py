from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "commsdesk.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns and reports"
