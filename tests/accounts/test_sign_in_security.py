"""Signing in safely: password reset by email (real SMTP), lockout after repeated failures
(django-axes), optional two-factor codes (django-otp), and a production configuration that
`check --deploy` finds nothing to complain about."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():0{device.digits}d}"


# --- password reset ---------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_through_a_one_use_emailed_link(client, member, smtp):
    answer = client.post(reverse("password_reset"), {"email": "ana@example.org"})
    assert answer.status_code == 302
    (mail,) = smtp.messages
    assert mail["To"] == "ana@example.org"
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.get_content()).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    form = client.get(f"/{path}", follow=True)  # Django swaps the token for a session marker
    assert b"Choose a new password" in form.content
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert sign_in(client, "ana", "a-brand-new-passphrase").status_code == 302
    client.logout()
    again = client.get(f"/{path}", follow=True)
    assert b"no longer works" in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, member, smtp):
    answer = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert b"Check your email" in answer.content  # does not tell who has an account
    assert smtp.messages == []


# --- lockout ----------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_login_out_but_not_a_colleague(client, member, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        assert sign_in(client, "ana", "guess").status_code in (200, 429)
    locked = sign_in(client, "ana", "a-long-test-password")  # even the right password now
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    assert "_auth_user_id" not in client.session

    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("bo", "bo@example.org", "bo-long-password-1")
    assert sign_in(client, "bo", "bo-long-password-1").status_code == 302


# --- two-factor -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_code_throttling(settings):
    """django-otp makes each wrong code double the wait; these tests type right after wrong."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_turning_on_two_factor_needs_a_code_and_then_every_sign_in_asks_for_one(client, member):
    client.force_login(member)
    page = client.get(reverse("two_factor"))
    assert b"<svg" in page.content  # the QR code, drawn inline
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    wrong = client.post(reverse("two_factor"), {"code": "000000"})
    assert b"not right" in wrong.content
    client.post(reverse("two_factor"), {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.logout()

    assert sign_in(client, "ana", "a-long-test-password").status_code == 302
    held = client.get("/monitoring/")
    assert held.status_code == 302 and held.url.startswith(reverse("two_factor_verify"))
    assert client.get("/materials/").status_code == 302  # every page, not only the home page
    client.post(reverse("two_factor_verify"), {"code": code_for(device, offset=30)})
    assert client.get("/monitoring/").status_code == 200


def test_turning_two_factor_off_needs_a_current_code(client, member):
    device = TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    sign_in(client, "ana", "a-long-test-password")
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    client.post(reverse("two_factor_disable"), {"code": "123456"})
    assert TOTPDevice.objects.filter(user=member).exists()
    client.post(reverse("two_factor_disable"), {"code": code_for(device, offset=30)})
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_wrong_codes_in_a_row_are_slowed_down(client, member, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device = TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    sign_in(client, "ana", "a-long-test-password")
    client.post(reverse("two_factor_verify"), {"code": "000000"})
    answer = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert b"Too many wrong codes" in answer.content
    assert client.get("/monitoring/").status_code == 302


def test_the_code_page_never_sends_anyone_to_another_site(client, member):
    device = TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    sign_in(client, "ana", "a-long-test-password")
    answer = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert answer.url == reverse("home")


# --- production configuration -----------------------------------------------------------------


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COMMSDESK_", "SECRET_KEY"))}
    return subprocess.run(
        [sys.executable, "-m", "commsdesk", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean | {"COMMSDESK_DATA_DIR": os.environ.get("COMMSDESK_DATA_DIR", "/tmp")} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_djangos_deploy_check():
    result = deploy_check(
        COMMSDESK_DEBUG="false",
        SECRET_KEY="x7#kq" * 12,
        ALLOWED_HOSTS="desk.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = deploy_check(COMMSDESK_DEBUG="false", ALLOWED_HOSTS="desk.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
