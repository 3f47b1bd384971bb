from django.urls import path

from commsdesk.materials.views import statistics

urlpatterns = [
    path("", statistics.statistics, name="statistics"),
    path("new/", statistics.new, name="statistic_new"),
    path("try-source/", statistics.try_source, name="statistic_try_source"),
    path("<int:pk>/", statistics.detail, name="statistic"),
    path("<int:pk>/edit/", statistics.edit, name="statistic_edit"),
    path("<int:pk>/refresh/", statistics.refresh, name="statistic_refresh"),
    path("<int:pk>/step/", statistics.step, name="statistic_step"),
]
