"""Connect forms, built from each network's declaration (``connectors/<network>/connect.py``,
read through ``methods.py``) so every network's form, and its CLI options, come from one
description."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import Field, FieldRole

LABEL_FIELD = "label"


def _form_field(field: Field) -> forms.Field:
    attrs: dict[str, Any] = {"autocomplete": "off"}
    widget: forms.Widget
    if field.role == FieldRole.SECRET:
        # A secret is never sent back to the browser, even when the form has an error.
        widget = forms.PasswordInput(attrs={**attrs, "autocomplete": "new-password"})
    elif field.input_type == "url":
        widget = forms.URLInput(attrs={**attrs, "placeholder": field.default or "https://"})
    elif field.input_type == "email":
        widget = forms.EmailInput(attrs=attrs)
    elif field.input_type == "number":
        widget = forms.NumberInput(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=str(field.label),
        help_text=str(field.help),
        required=field.required and not field.default,
        initial=field.default or None,
        widget=widget,
        max_length=2000,
        strip=True,
    )


def connect_form(
    fields: tuple[Field, ...],
    data: Mapping[str, Any] | None = None,
    *,
    ask_label: bool = True,
    initial: Mapping[str, str] | None = None,
    id_prefix: str = "id",
) -> forms.Form:
    """A form with the method's fields and, for a new channel, the name shown in Varde.

    ``id_prefix`` keeps element ids unique when one page shows two forms with the same field
    (Mastodon's server address); the field names, and so the posted data, stay the same.
    """
    form = forms.Form(data=data, initial=dict(initial or {}), auto_id=f"{id_prefix}_%s")
    for field in fields:
        form.fields[field.name] = _form_field(field)
    if ask_label:
        form.fields[LABEL_FIELD] = forms.CharField(
            label=_("Name in Varde"),
            help_text=_("Optional. Leave empty to use the account's own name."),
            required=False,
            max_length=120,
        )
    return form


def form_values(form: forms.Form) -> dict[str, str]:
    return {name: str(value or "") for name, value in form.cleaned_data.items()}


class NetworkAppForm(forms.Form):
    """This Varde's app with one network (Settings → Networks). The secret field is never
    filled in: a saved secret is shown only by its last characters, and an empty field keeps it."""

    client_id = forms.CharField(label=_("App id"), max_length=300, strip=True)
    client_secret = forms.CharField(
        label=_("App secret"),
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_client_id(self) -> str:
        value = str(self.cleaned_data["client_id"])
        if any(char.isspace() for char in value):
            raise forms.ValidationError(_("An app id has no spaces; copy it again."))
        return value

    def clean_client_secret(self) -> str:
        value = str(self.cleaned_data.get("client_secret") or "")
        if any(char.isspace() for char in value):
            raise forms.ValidationError(_("An app secret has no spaces; copy it again."))
        return value
