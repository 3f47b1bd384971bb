from django.contrib import admin

from commsdesk.monitoring.models import (
    AlertRule,
    Article,
    Delivery,
    DigestRun,
    FetchLog,
    Item,
    Mention,
    NameVariant,
    Outlet,
    SavedSearch,
    Source,
    Spike,
    Story,
    StoryEvent,
)


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
    # A platform token is never shown back: it is set or forgotten on the source's edit page.
    exclude = ("access_token",)


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


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "owner", "muted", "last_matched_at")
    list_filter = ("team", "muted")
    search_fields = ("name", "query")


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("saved_search", "article", "state", "matched_at")
    list_filter = ("state",)
    raw_id_fields = ("article", "saved_search", "curated_by")


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("saved_search", "user", "channel", "cadence", "active", "consecutive_failures")
    list_filter = ("channel", "cadence", "active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("recipient", "story", "spike", "state", "attempts", "sent_at")
    list_filter = ("state",)
    raw_id_fields = ("rule", "story", "mention", "spike")


admin.site.register(StoryEvent)
admin.site.register(Spike)
admin.site.register(DigestRun)
admin.site.register(NameVariant)
