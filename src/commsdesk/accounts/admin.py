from django.contrib import admin
from django.utils import timezone

from commsdesk.accounts.models import ApiToken, Membership, Profile, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "timezone", "digest_enabled", "digest_time")
    exclude = ("unsubscribe_token",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see everyone's tokens and can revoke them; nobody sees a secret (none is kept)."""

    list_display = ("name", "user", "prefix", "scope", "created_at", "last_used_at", "state")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__username")
    fields = ("user", "name", "prefix", "scope", "created_at", "last_used_at", "expires_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # a token is made by its owner, who alone sees the secret

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} token(s).")
