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
            "new_hashtag",
            "extra_disclosure_words",
        ]
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "signature": forms.RadioSelect(),
            "new_hashtag": forms.RadioSelect(),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Forms from before this setting existed post without it: keep what is saved.
        self.fields["new_hashtag"].required = False
