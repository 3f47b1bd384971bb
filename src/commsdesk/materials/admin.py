from django.contrib import admin

from commsdesk.materials.models import (
    Citation,
    Draft,
    KeyStatistic,
    Material,
    MaterialVersion,
    PressKit,
    PressKitFile,
    PressRoom,
    StatisticValue,
)


class VersionInline(admin.TabularInline):
    model = MaterialVersion
    extra = 0
    readonly_fields = ("number", "title", "note", "author", "created_at")
    fields = readonly_fields


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "language", "status", "team", "review_by")
    list_filter = ("team", "kind", "status", "language")
    search_fields = ("title", "body")
    inlines = [VersionInline]


class ValueInline(admin.TabularInline):
    model = StatisticValue
    extra = 0


@admin.register(KeyStatistic)
class KeyStatisticAdmin(admin.ModelAdmin):
    list_display = ("name", "value", "unit", "as_of", "status", "team", "last_error_at")
    list_filter = ("team", "status")
    search_fields = ("name", "slug")
    inlines = [ValueInline]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    raw_id_fields = ("material", "statistic")


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "language", "status", "team", "published_at")
    list_filter = ("team", "kind", "status")
    search_fields = ("title", "body")
    raw_id_fields = ("inquiry", "story")
    inlines = [CitationInline]


class FileInline(admin.TabularInline):
    model = PressKitFile
    extra = 0


@admin.register(PressKit)
class PressKitAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "status", "team")
    list_filter = ("team", "status")
    inlines = [FileInline]


@admin.register(PressRoom)
class PressRoomAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "enabled", "team")
