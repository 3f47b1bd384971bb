from django.urls import path  # noqa: F401  (paths are added by the campaign pages)

app_name = "campaigns"

urlpatterns: list = []
