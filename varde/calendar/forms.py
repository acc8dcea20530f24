from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MoveForm(forms.Form):
    """Move a post to another date (and time): the keyboard's way and the drop target's."""

    post = forms.IntegerField(widget=forms.HiddenInput)
    # The time the moved post had, as shown in the calendar (local, ISO): identifies which
    # of the post's times was dragged.
    from_at = forms.DateTimeField(
        required=False, widget=forms.HiddenInput, input_formats=["%Y-%m-%dT%H:%M"]
    )
    date = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("New time"),
        required=False,
        help_text=_("Leave empty to keep the time."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File with posts (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
