"""Logging in and out, the user's own profile and MFA, accepting invitations."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts import devices, mfa, selectors, services
from varde.accounts.access import public_view, request_user, user_view
from varde.accounts.forms import (
    CodeForm,
    LoginForm,
    ProfileForm,
    SignupForm,
    WorkspaceCreateForm,
)
from varde.accounts.models import User
from varde.accounts.roles import Role
from varde.lib.client_address import client_ip
from varde.lib.crypto import SecretUnreadableError, decrypt_secret, encrypt_secret

MFA_PENDING_KEY = "varde_mfa_pending_user"
# Password reset mails: per e-mail address, and per client address, in one hour.
RESET_MAILS_PER_EMAIL = 3
RESET_MAILS_PER_CLIENT = 20
MFA_SETUP_KEY = "varde_mfa_setup_secret"


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _current_user(request: HttpRequest) -> User:
    return request_user(request)


@public_view
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        ip = client_ip(request)
        known = devices.is_known_device(request, email=email)
        if services.login_is_throttled(email=email, ip_address=ip, known_device=known):
            form.add_error(
                None,
                _("Too many failed attempts. Wait 15 minutes, or reset your password."),
            )
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if not isinstance(user, User):
                services.login_failure_record(email=email, ip_address=ip)
                form.add_error(None, _("The e-mail or the password is wrong."))
            elif user.mfa_enabled:
                request.session[MFA_PENDING_KEY] = user.pk
                request.session["varde_next"] = _safe_next(request)
                return redirect("accounts:login_code")
            else:
                return _complete_login(request, user, _safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})


@public_view
def login_code(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(MFA_PENDING_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        known = devices.is_known_device(request, email=user.email)
        if services.login_is_throttled(email=user.email, ip_address=ip, known_device=known):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again."))
        elif mfa.user_code_is_valid(user=user, code=form.cleaned_data["code"]):
            next_url = request.session.get("varde_next", "/")
            return _complete_login(request, user, next_url)
        else:
            services.login_failure_record(email=user.email, ip_address=ip)
            form.add_error("code", _("That code did not match. Enter the current code."))
    return render(request, "accounts/login_code.html", {"form": form})


def _complete_login(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    services.login_success_record(user=user, ip_address=client_ip(request))
    response = redirect(next_url or "/")
    devices.remember_device(request, response, email=user.email)
    return response


@user_view
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


@public_view
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    response = redirect(_safe_next(request))
    if language not in {"nb", "en"}:
        return response
    if request.user.is_authenticated:
        services.user_set_language(user=_current_user(request), language=language)
    response.set_cookie("django_language", language, samesite="Lax", max_age=365 * 24 * 3600)
    return response


@user_view
def profile(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "language": user.language}
    )
    if request.method == "POST" and form.is_valid():
        services.user_set_name(user=user, full_name=form.cleaned_data["full_name"])
        services.user_set_language(user=user, language=form.cleaned_data["language"])
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@user_view
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    if user.mfa_enabled:
        return redirect("accounts:profile")
    secret = _setup_secret(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.mfa_enable(user=user, secret=secret, code=form.cleaned_data["code"])
        except ValueError as error:
            form.add_error("code", str(error))
        else:
            del request.session[MFA_SETUP_KEY]
            messages.success(request, _("Two-step login is on."))
            return redirect("accounts:profile")
    uri = mfa.provisioning_uri(user=user, secret=secret)
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr_svg": mfa.qr_svg(uri), "secret": secret},
    )


def _setup_secret(request: HttpRequest) -> str:
    """The seed being set up, kept in the session only encrypted: sessions are rows in the
    database (and in backups), and an abandoned set-up would otherwise leave a usable seed
    there in plain text."""
    stored = request.session.get(MFA_SETUP_KEY)
    if isinstance(stored, str) and stored:
        try:
            return decrypt_secret(stored)
        except SecretUnreadableError:
            pass  # an old plain seed, or another key: start over with a new one
    secret = mfa.new_secret()
    request.session[MFA_SETUP_KEY] = encrypt_secret(secret)
    return secret


@user_view
@require_POST
def mfa_off(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            mfa.mfa_disable(user=_current_user(request), code=form.cleaned_data["code"])
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Two-step login is off."))
    return redirect("accounts:profile")


@user_view
def workspace_new(request: HttpRequest) -> HttpResponse:
    form = WorkspaceCreateForm(
        request.POST or None, initial={"language": "nb", "timezone": "Europe/Oslo"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workspace = services.workspace_create(
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                owner=_current_user(request),
                language=form.cleaned_data["language"],
                tz=form.cleaned_data["timezone"],
            )
        except ValidationError as error:
            form.add_error("slug", error)
        else:
            return redirect("web:workspace_home", workspace=workspace.slug)
    return render(request, "accounts/workspace_new.html", {"form": form})


@public_view
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email=invitation.email).first()
    signup = SignupForm(request.POST or None) if existing is None else None
    if request.method == "POST":
        user: User | None = None
        if existing is not None:
            if request.user.is_authenticated and request.user.pk == existing.pk:
                user = existing
        elif signup is not None and signup.is_valid():
            user = services.user_create(
                email=invitation.email,
                full_name=signup.cleaned_data["full_name"],
                password=signup.cleaned_data["password"],
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user is not None:
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Welcome to %(workspace)s.") % {"workspace": invitation.workspace.name},
                )
                return redirect("web:workspace_home", workspace=invitation.workspace.slug)
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "role_label": Role(invitation.role).label,
            "signup": signup,
            "needs_login": existing is not None
            and not (request.user.is_authenticated and request.user.pk == existing.pk),
            "memberships": selectors.memberships_of(user=existing) if existing else [],
        },
    )


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset view, with a cap on how many mails one address or one client gets.

    Over the cap the page answers exactly as if the mail went out, so it tells a stranger
    nothing; the person who really asked already has a working link in their inbox."""

    def form_valid(self, form: Form) -> HttpResponse:
        email = str(form.cleaned_data["email"])
        window = timedelta(hours=1)
        allowed = services.throttle_allow(
            scope="password-reset-client",
            key=client_ip(self.request) or "unknown",
            limit=RESET_MAILS_PER_CLIENT,
            window=window,
        ) and services.throttle_allow(
            scope="password-reset-email", key=email, limit=RESET_MAILS_PER_EMAIL, window=window
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
