from django.urls import path

from commsdesk.relations.views import overview, pitches

app_name = "relations"

urlpatterns = [
    path("", overview.overview, name="overview"),
    # pitches: templates, compose and preview, send, each copy's status, coverage that followed
    path("pitches/", pitches.pitches, name="pitches"),
    path("pitches/new/", pitches.pitch_new, name="pitch_new"),
    path("pitches/settings/", pitches.pitch_settings, name="pitch_settings"),
    path("pitches/templates/", pitches.pitch_templates, name="pitch_templates"),
    path("pitches/templates/new/", pitches.pitch_template_new, name="pitch_template_new"),
    path("pitches/templates/<int:pk>/", pitches.pitch_template_edit, name="pitch_template_edit"),
    path(
        "pitches/templates/<int:pk>/delete/",
        pitches.pitch_template_delete,
        name="pitch_template_delete",
    ),
    path("pitches/<int:pk>/", pitches.pitch, name="pitch"),
    path("pitches/<int:pk>/edit/", pitches.pitch_edit, name="pitch_edit"),
    path("pitches/<int:pk>/delete/", pitches.pitch_delete, name="pitch_delete"),
    path("pitches/<int:pk>/preview/", pitches.pitch_preview, name="pitch_preview"),
    path("pitches/<int:pk>/send/", pitches.pitch_send, name="pitch_send"),
    path("pitches/<int:pk>/recipients/", pitches.pitch_recipients, name="pitch_recipients"),
    path(
        "pitches/<int:pk>/recipients/<int:recipient_pk>/mark/",
        pitches.pitch_recipient_mark,
        name="pitch_recipient_mark",
    ),
    path("pitches/<int:pk>/coverage/", pitches.pitch_coverage_view, name="pitch_coverage"),
    path(
        "pitches/<int:pk>/coverage/change/",
        pitches.pitch_coverage_change,
        name="pitch_coverage_change",
    ),
]
