from django.urls import path

from commsdesk.relations.views import inquiries, overview

app_name = "relations"

urlpatterns = [
    path("", overview.overview, name="overview"),
    # Press inquiries
    path("inquiries/", inquiries.board, name="inquiries"),
    path("inquiries/new/", inquiries.new, name="inquiry_new"),
    path("inquiries/from-email/", inquiries.from_email, name="inquiry_from_email"),
    path("inquiries/<int:pk>/", inquiries.detail, name="inquiry"),
    path("inquiries/<int:pk>/edit/", inquiries.edit, name="inquiry_edit"),
    path("inquiries/<int:pk>/assign/", inquiries.assign, name="inquiry_assign"),
    path("inquiries/<int:pk>/status/", inquiries.move, name="inquiry_status"),
    path("inquiries/<int:pk>/coverage/", inquiries.coverage, name="inquiry_coverage"),
    path("inquiries/<int:pk>/delete/", inquiries.delete, name="inquiry_delete"),
]
