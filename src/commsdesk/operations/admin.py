from django.contrib import admin

from commsdesk.operations.models import (
    CommunitySource,
    Incident,
    IncidentEvent,
    PlannedItem,
    StoryIdea,
    StoryPhoto,
)


@admin.register(PlannedItem)
class PlannedItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "embargo_until", "team")
    list_filter = ("team", "kind")


class EventInline(admin.TabularInline):
    model = IncidentEvent
    extra = 0


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("title", "severity", "status", "opened_at", "team")
    list_filter = ("team", "status", "severity")
    inlines = [EventInline]


class PhotoInline(admin.TabularInline):
    model = StoryPhoto
    extra = 0


@admin.register(StoryIdea)
class StoryIdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "stage", "consent", "country", "language", "team")
    list_filter = ("team", "stage", "consent")
    inlines = [PhotoInline]


@admin.register(CommunitySource)
class CommunitySourceAdmin(admin.ModelAdmin):
    list_display = ("source", "team", "added_at")
    list_filter = ("team",)
