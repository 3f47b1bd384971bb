from django.urls import path

from commsdesk.relations.views import calendar, overview, speakers, speaking, trainings

app_name = "relations"

urlpatterns = [
    path("", overview.overview, name="overview"),
    # Spokespeople, media trainings, speaking opportunities and the calendar feed
    path("spokespeople/", speakers.speakers, name="speakers"),
    path("spokespeople/add/", speakers.speaker_add, name="speaker_add"),
    path("spokespeople/<int:pk>/", speakers.speaker, name="speaker"),
    path("spokespeople/<int:pk>/edit/", speakers.speaker_edit, name="speaker_edit"),
    path("spokespeople/<int:pk>/active/", speakers.speaker_active, name="speaker_active"),
    path("trainings/", trainings.trainings, name="trainings"),
    path("trainings/add/", trainings.training_add, name="training_add"),
    path("trainings/<int:pk>/", trainings.training, name="training"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training_edit"),
    path("trainings/<int:pk>/delete/", trainings.training_delete, name="training_delete"),
    path("trainings/<int:pk>/attendees/", trainings.attendee_add, name="attendee_add"),
    path(
        "trainings/<int:pk>/attendees/<int:person_pk>/",
        trainings.attendance_update,
        name="attendance_update",
    ),
    path(
        "trainings/<int:pk>/attendees/<int:person_pk>/remove/",
        trainings.attendee_remove,
        name="attendee_remove",
    ),
    path("speaking/", speaking.board, name="speaking"),
    path("speaking/add/", speaking.opportunity_add, name="opportunity_add"),
    path("speaking/<int:pk>/", speaking.opportunity, name="opportunity"),
    path("speaking/<int:pk>/edit/", speaking.opportunity_edit, name="opportunity_edit"),
    path("speaking/<int:pk>/move/", speaking.opportunity_move, name="opportunity_move"),
    path("speaking/<int:pk>/speaker/", speaking.opportunity_speaker, name="opportunity_speaker"),
    path("speaking/<int:pk>/delete/", speaking.opportunity_delete, name="opportunity_delete"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<int:user_pk>/<str:key>.ics", calendar.calendar_feed, name="calendar_feed"),
]
