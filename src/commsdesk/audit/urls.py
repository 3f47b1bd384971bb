"""Audit log and full export URLs (mounted under /audit/)."""

from django.urls import path

from commsdesk.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export/", views.export_everything, name="export"),
]
