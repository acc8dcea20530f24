"""The preferences form: one choice per declared kind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varde.notifications import kinds
from varde.notifications.choices import Reach


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, Reach], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=str(kind.label),
                choices=Reach.choices,
                initial=current.get(kind.key, kind.default),
                widget=forms.Select,
            )

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields under their area's heading, in the order the page shows them."""
        groups: dict[str, list[forms.BoundField]] = {}
        for kind in kinds.all_kinds():
            groups.setdefault(str(kind.area), []).append(self[kind.key])
        return list(groups.items())


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address (https://…)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Varde posts each notification of this kind here as signed JSON."),
    )
    enabled = forms.BooleanField(label=_("Send"), required=False, initial=True)
