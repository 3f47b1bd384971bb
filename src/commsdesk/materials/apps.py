from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "commsdesk.materials"
    label = "materials"
    verbose_name = "Materials and drafting"
