"""The story bank: board, ideas, suggestions from community feeds, community sources, spread."""

from django.urls import path

from commsdesk.operations.views import stories

urlpatterns = [
    path("", stories.board, name="stories"),
    path("new/", stories.new, name="story_new"),
    path("suggestions/", stories.suggestions, name="story_suggestions"),
    path("community-sources/", stories.community_sources, name="story_sources"),
    path("spread/", stories.spread, name="story_spread"),
    path("<int:pk>/", stories.detail, name="story"),
    path("<int:pk>/edit/", stories.edit, name="story_edit"),
    path("<int:pk>/move/", stories.move, name="story_move"),
    path("<int:pk>/links/", stories.link, name="story_link"),
    path("<int:pk>/blog-post/", stories.blog_post, name="story_blog_post"),
    path("<int:pk>/delete/", stories.delete, name="story_delete"),
    path("<int:pk>/photos/", stories.photo_add, name="story_photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", stories.photo, name="story_photo"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", stories.photo_delete, name="story_photo_delete"),
]
