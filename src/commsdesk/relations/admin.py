from django.contrib import admin

from commsdesk.relations.models import (
    Affiliation,
    Erasure,
    Inquiry,
    Journalist,
    MediaList,
    Pitch,
    PitchRecipient,
    PitchTemplate,
    SpeakingOpportunity,
    Spokesperson,
    Training,
)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    raw_id_fields = ("outlet",)


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "email", "do_not_contact")
    list_filter = ("team", "do_not_contact")
    search_fields = ("name", "email")
    inlines = [AffiliationInline]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("topic", "team", "status", "deadline", "owner")
    list_filter = ("status", "team")
    raw_id_fields = ("journalist", "outlet", "coverage")


admin.site.register(MediaList)
admin.site.register(Pitch)
admin.site.register(PitchRecipient)
admin.site.register(PitchTemplate)
admin.site.register(Spokesperson)
admin.site.register(Training)
admin.site.register(SpeakingOpportunity)
admin.site.register(Erasure)
