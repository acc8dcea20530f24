from __future__ import annotations

from typing import ClassVar

from django import forms

from varde.policy.models import GuardSettings


class GuardSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = GuardSettings
        fields: ClassVar[list[str]] = [
            "signature",
            "alt_text_required",
            "avoided_hashtag_blocks",
            "extra_disclosure_words",
        ]
        widgets: ClassVar[dict[str, forms.Widget]] = {"signature": forms.RadioSelect()}
