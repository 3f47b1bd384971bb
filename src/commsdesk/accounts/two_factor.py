"""Optional two-factor sign-in with an authenticator app (TOTP, django-otp): set it up by
scanning a QR code and typing a code, then every sign-in asks for a fresh code.

The middleware holds a signed-in person with a confirmed device on the code page until they
enter one; people without a device are not affected. It stores no codes, only the device key.
"""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"
# Pages a person waiting for their code may still reach.
OPEN_PATHS = ("/accounts/two-factor/verify/", "/accounts/logout/", "/static/", "/healthz")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Six-digit code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:  # django-otp slows guessing down: each wrong code doubles the wait
            raise forms.ValidationError("Too many wrong codes: wait a few seconds, then try again.")
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code is not right (or has expired): try the next one."
            )
        return code


class RequireSecondFactorMiddleware:
    """After the password, a person with a confirmed device must give a code before anything."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
            and user_has_device(user, confirmed=True)
        ):
            return redirect(f"{reverse('two_factor_verify')}?next={request.get_full_path()}")
        return self.get_response(request)


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code for a new (unconfirmed) device; a correct code confirms it."""
    if user_has_device(request.user, confirmed=True):
        return render(request, "accounts/two_factor.html", {"enabled": True})
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)  # this session has just proven the code
        messages.success(request, "Two-factor sign-in is on: each sign-in now asks for a code.")
        return redirect("two_factor")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code to scan")
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "qr": qr, "secret": device.config_url.split("secret=")[1].split("&")[0]},
    )


def verify(request: HttpRequest) -> HttpResponse:
    """The code step of signing in."""
    if not request.user.is_authenticated:
        return redirect("login")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    target = request.GET.get("next") or request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("home")
    if device is None or request.user.is_verified():
        return redirect(target)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(target)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": target})


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Turning it off needs a current code too: a borrowed, signed-in laptop is not enough."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("two_factor")
    form = CodeForm(request.POST, device=device)
    if not form.is_valid():
        messages.error(request, "Two-factor sign-in is still on: " + form.errors["code"][0])
        return redirect("two_factor")
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("two_factor")
