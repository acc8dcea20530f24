"""The one form the publishing pages have: settling an ``unknown`` delivery by hand."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _


class SettleUnknownForm(forms.Form):
    THERE: ClassVar[str] = "there"
    MISSING: ClassVar[str] = "missing"

    answer = forms.ChoiceField(
        choices=[(THERE, _("It is there")), (MISSING, _("It is not there: send it"))]
    )
    url = forms.URLField(
        label=_("Link to the post"),
        required=False,
        assume_scheme="https",
        max_length=500,
        error_messages={
            "invalid": _("The link must be a web address, such as https://example.com/post/1.")
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("answer") == self.MISSING:
            cleaned["url"] = ""  # a link typed before choosing "not there" means nothing
        elif cleaned.get("answer") == self.THERE and not cleaned.get("url") and "url" in cleaned:
            # A published delivery keeps its link, as those the engine publishes do.
            self.add_error(
                "url", _("Paste the link to the post on the network, so everyone can find it.")
            )
        return cleaned
