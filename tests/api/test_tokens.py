"""Personal API tokens: stored only as a fingerprint, refused once revoked or expired, read
tokens cannot write, and the Preferences page that makes and revokes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_the_secret_is_not_stored_only_its_sha256(member):
    token, secret = ApiToken.issue(member, name="script")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in " ".join(str(v) for v in row.values())
    assert row["digest"] != secret and len(row["digest"]) == 64
    assert secret.startswith("cdk_") and row["prefix"] == secret[:12]


def test_a_valid_token_reads_and_records_its_use(member):
    token, secret = ApiToken.issue(member, name="script")
    assert ApiClient(secret).get("searches").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["revoked", "expired"],
)
def test_revoked_and_expired_tokens_are_refused(member, fields):
    token, secret = ApiToken.issue(member, name="script")
    ApiToken.objects.filter(pk=token.pk).update(**fields)
    response = ApiClient(secret).get("searches")
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_a_deactivated_persons_token_is_refused(member):
    _, secret = ApiToken.issue(member, name="script")
    member.is_active = False
    member.save()
    assert ApiClient(secret).get("searches").status_code == 401


def test_a_made_up_token_and_no_token_are_401(anonymous):
    assert anonymous.get("searches").status_code == 401
    assert ApiClient("cdk_" + "x" * 43).get("searches").status_code == 401
    assert ApiClient("not-even-ours").get("searches").status_code == 401


def test_a_read_token_cannot_write(reader):
    response = reader.post("searches", {"name": "Us", "query": "wikipedia"})
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


def test_the_page_shows_a_new_secret_once_and_keeps_only_its_fingerprint(member_client, member):
    response = member_client.post(
        reverse("api_tokens"), {"name": "Newsletter", "scope": "write", "expires": "30"}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=member)
    assert token.scope == "write" and token.expires_at > timezone.now() + timedelta(days=29)
    assert ApiClient(secret).get("searches").status_code == 200
    again = member_client.get(reverse("api_tokens")).content.decode()
    assert secret not in again and token.prefix in again


def test_revoking_on_the_page_stops_the_token(member_client, member):
    token, secret = ApiToken.issue(member, name="script")
    response = member_client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiClient(secret).get("searches").status_code == 401


def test_an_outsider_cannot_revoke_someone_elses_token(client, outsider, member):
    token, secret = ApiToken.issue(member, name="Ana's newsletter sync")
    client.force_login(outsider)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert token.prefix not in client.get(reverse("api_tokens")).content.decode()
    assert ApiClient(secret).get("searches").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, member):
    token, _ = ApiToken.issue(member, name="script")
    assert client.get(reverse("api_tokens")).status_code == 302
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_token_needs_a_name(member_client):
    response = member_client.post(reverse("api_tokens"), {"name": "", "scope": "read"})
    assert response.context["secret"] is None and response.context["form"].errors["name"]


def test_an_admin_revokes_a_token_in_the_admin(client, django_user_model, member):
    token, secret = ApiToken.issue(member, name="script")
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-123456789")
    client.force_login(boss)
    changelist = "/admin/accounts/apitoken/"
    assert token.prefix in client.get(changelist).content.decode()
    response = client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert ApiClient(secret).get("searches").status_code == 401
