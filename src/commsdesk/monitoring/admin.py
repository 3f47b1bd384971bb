from django.contrib import admin

from commsdesk.monitoring.models import Article, FetchLog, Item, Outlet, Source, Story


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "domain", "country", "type", "tier", "monthly_audience")
    search_fields = ("name", "domain")
    list_filter = ("type", "tier", "country")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "url", "active", "consecutive_failures", "last_ok_at")
    list_filter = ("kind", "active")
    search_fields = ("name", "url")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "language", "sort_at")
    list_filter = ("language",)
    search_fields = ("title", "canonical_url")
    raw_id_fields = ("source", "outlet", "story")
    exclude = ("raw_html",)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "state", "attempts", "decided_at")
    list_filter = ("state",)
    raw_id_fields = ("source", "article")


admin.site.register(FetchLog)
admin.site.register(Story)
