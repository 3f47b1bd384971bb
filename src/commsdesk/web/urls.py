from django.urls import include, path

from commsdesk.web import views

area_patterns = (
    [path(f"{key}/", views.area, {"key": key}, name=key) for key in views.AREAS],
    "area",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include(area_patterns)),
]
