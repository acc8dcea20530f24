from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name (optional)"), max_length=160, required=False)
    # A honeypot: hidden from people (and screen readers), filled in by form-filling robots.
    website = forms.CharField(required=False, max_length=200)


class ListCreateForm(forms.Form):
    channel = forms.TypedChoiceField(label=_("Newsletter channel"), coerce=int)
    name = forms.CharField(label=_("Name of the list"), max_length=160)
    description = forms.CharField(
        label=_("What subscribers get"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddSubscriberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=160, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One address per line, or columns named email and name. CSV (UTF-8 or Windows-1252, "
            "with ; , or tab between columns) or Excel (.xlsx), at most 20,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "I have each person's consent to send them this newsletter. Add them as confirmed "
            "without a confirmation e-mail."
        ),
        help_text=_("Leave unticked to send each one a confirmation e-mail first (recommended)."),
        required=False,
    )
