from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from varde.accounts import views
from varde.accounts.access import public_view

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.set_language, name="language"),
    path("profile/", views.profile, name="profile"),
    path("profile/mfa/", views.mfa_setup, name="mfa_setup"),
    path("profile/mfa/off/", views.mfa_off, name="mfa_off"),
    path("workspaces/new/", views.workspace_new, name="workspace_new"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "password-reset/",
        public_view(
            views.ThrottledPasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_sent"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        public_view(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_sent.html"
            )
        ),
        name="password_reset_sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        public_view(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        public_view(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
]
