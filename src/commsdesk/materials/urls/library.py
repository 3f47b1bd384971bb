from django.urls import path

from commsdesk.materials.views import library

urlpatterns = [
    path("", library.library, name="library"),
]
