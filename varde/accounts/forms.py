"""Forms parse and validate input; services do the work."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from varde.accounts.choices import LANGUAGE_CHOICES
from varde.accounts.roles import Role

COMMON_TIMEZONES = sorted(available_timezones())


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Same as the workspace")), *LANGUAGE_CHOICES],
        required=False,
    )


class WorkspaceSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(tz, tz) for tz in COMMON_TIMEZONES],
        help_text=_("Posts are planned and shown in this time zone."),
    )


class WorkspaceCreateForm(WorkspaceSettingsForm):
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=60,
        required=False,
        help_text=_(
            "Made from the name as you type; change it if you like. Lower-case letters, "
            "digits and hyphens, for example bryggen-sykkel."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page fills the short name from the name while the person has not typed one.
        self.fields["slug"].widget.attrs["data-slug-from"] = "id_name"


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, allowed_roles: frozenset[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(role.value, role.label) for role in Role if role in allowed_roles]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SignupForm(forms.Form):
    """Used when someone accepts an invitation without having an account yet."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password
