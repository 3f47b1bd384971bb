from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from commsdesk.accounts import two_factor, views

RESET = "accounts/password_reset_"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/api-tokens/", views.api_tokens, name="api_tokens"),
    path(
        "preferences/api-tokens/<int:pk>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    # Password reset by email (Django's views; one-use links that expire).
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name=f"{RESET}form.html",
            email_template_name=f"{RESET}email.txt",
            subject_template_name=f"{RESET}subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=f"{RESET}done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=f"{RESET}confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name=f"{RESET}complete.html"),
        name="password_reset_complete",
    ),
    path("two-factor/", two_factor.setup, name="two_factor"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/disable/", two_factor.disable, name="two_factor_disable"),
]
