from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from varde.analytics.choices import ConversionKind, ReportCadence, ReportSection


class GoalReadingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Number"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConversionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ConversionKind.choices)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(
        label=_("Revenue"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=Decimal(0),
    )
    campaign = forms.TypedChoiceField(
        label=_("Campaign"), required=False, coerce=int, empty_value=None, choices=()
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: object, campaigns: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["campaign"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [("", _("No campaign")), *campaigns]


COLOUR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give the colour as #rrggbb."))


def _period_choices() -> list[tuple[str, str]]:
    from django.utils import timezone

    from varde.analytics.report_period import recent_periods
    from varde.analytics.reports import period_label

    return [(p.key, period_label(p)) for p in recent_periods(timezone.localdate())]


class ReportForm(forms.Form):
    """Which report to see: the period and the sections, and the colour it is set in."""

    period = forms.ChoiceField(label=_("Period"), choices=())
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        choices=ReportSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    colour = forms.CharField(
        label=_("Colour"),
        max_length=7,
        required=False,
        validators=[COLOUR_VALIDATOR],
        widget=forms.TextInput(attrs={"type": "color"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = _period_choices()


class ScheduleForm(forms.Form):
    cadence = forms.ChoiceField(label=_("How often"), choices=ReportCadence.choices)
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        choices=ReportSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    members: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Members who get it"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    external_emails = forms.CharField(
        label=_("Other e-mail addresses"),
        help_text=_("People outside the workspace, such as a client; one address a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language for the other addresses"),
        choices=[("", _("The workspace's")), ("nb", "Norsk bokmål"), ("en", "English")],
        required=False,
    )
    colour = forms.CharField(
        label=_("Colour"),
        max_length=7,
        initial="#1f5f8b",
        validators=[COLOUR_VALIDATOR],
        widget=forms.TextInput(attrs={"type": "color"}),
    )

    def __init__(self, *args: Any, members: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = members

    def clean_external_emails(self) -> list[str]:
        from varde.analytics.report_sending import clean_addresses

        return clean_addresses(self.cleaned_data.get("external_emails") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        nobody = not cleaned.get("members") and not cleaned.get("external_emails")
        if nobody and not self.errors:
            raise forms.ValidationError(_("Choose at least one member or address."))
        return cleaned
