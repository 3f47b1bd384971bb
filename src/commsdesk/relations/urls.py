from django.urls import path

from commsdesk.relations.views import journalists, lists, overview

app_name = "relations"

urlpatterns = [
    path("", overview.overview, name="overview"),
    # Journalists, outlets, suggestions, research, media lists and contact data rights.
    path("journalists/", journalists.journalist_list, name="journalists"),
    path("journalists/new/", journalists.journalist_new, name="journalist_new"),
    path("journalists/import/", journalists.journalist_import, name="journalist_import"),
    path("journalists/export.<str:fmt>", journalists.journalist_export, name="journalist_export"),
    path("journalists/suggested/", journalists.suggestions, name="suggestions"),
    path("journalists/suggested/add/", journalists.suggestion_add, name="suggestion_add"),
    path("journalists/<int:pk>/", journalists.journalist_detail, name="journalist"),
    path("journalists/<int:pk>/edit/", journalists.journalist_edit, name="journalist_edit"),
    path("journalists/<int:pk>/delete/", journalists.journalist_delete, name="journalist_delete"),
    path("journalists/<int:pk>/merge/", journalists.journalist_merge, name="journalist_merge"),
    path("journalists/<int:pk>/data.json", journalists.journalist_data, name="journalist_data"),
    path("journalists/<int:pk>/erase/", journalists.journalist_erase, name="journalist_erase"),
    path("outlets/", journalists.outlet_list, name="outlets"),
    path("outlets/<int:pk>/", journalists.outlet_detail, name="outlet"),
    path("outlets/<int:pk>/edit/", journalists.outlet_edit, name="outlet_edit"),
    path("research/", lists.research_page, name="research"),
    path("lists/", lists.list_index, name="media_lists"),
    path("lists/new/", lists.list_new, name="media_list_new"),
    path("lists/<int:pk>/", lists.list_detail, name="media_list"),
    path("lists/<int:pk>/add/", lists.list_add, name="media_list_add"),
    path("lists/<int:pk>/remove/<int:journalist_pk>/", lists.list_remove, name="media_list_remove"),
    path("lists/<int:pk>/delete/", lists.list_delete, name="media_list_delete"),
    path("lists/<int:pk>/export.csv", lists.list_export, name="media_list_export"),
]
