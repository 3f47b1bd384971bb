from django.contrib import admin

from commsdesk.campaigns.models import (
    KPI,
    Activity,
    Campaign,
    KeyMessage,
    KPIEntry,
    Peer,
    ReportNote,
    ReportSchedule,
)


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0


class KeyMessageInline(admin.TabularInline):
    model = KeyMessage
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "starts_on", "ends_on")
    list_filter = ("team",)
    inlines = [KPIInline, KeyMessageInline]


admin.site.register(KPIEntry)
admin.site.register(Peer)
admin.site.register(Activity)
admin.site.register(ReportNote)
admin.site.register(ReportSchedule)
