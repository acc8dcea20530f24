"""Forms of the leads pages. They parse input; services decide and write."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varde.accounts import selectors as account_selectors
from varde.content import selectors as content_selectors
from varde.leads.choices import Stage

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

OPEN_STAGES = [(s.value, s.label) for s in (Stage.PROSPECT, Stage.LEAD, Stage.CUSTOMER)]


def _person_label(user: Any) -> str:
    return str(user.full_name or user.email)


class _WorkspaceChoices(forms.Form):
    """Owner and campaign choices limited to the workspace."""

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101
            owner.queryset = account_selectors.member_users(workspace=workspace).order_by(
                "full_name", "email"
            )
            owner.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        if "campaign" in self.fields:
            campaigns = content_selectors.campaign_list(workspace=workspace)
            self.fields["campaign"].choices = [  # type: ignore[attr-defined]
                ("", "—"),
                *((str(c.pk), c.name) for c in campaigns),
            ]

    def campaign_id(self) -> int | None:
        value = self.cleaned_data.get("campaign") or ""
        return int(value) if value else None


def _value_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Value (NOK)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        localize=True,
    )


class LeadForm(_WorkspaceChoices):
    handle = forms.CharField(label=_("Handle"), max_length=300)
    network = forms.CharField(
        label=_("Network"),
        max_length=40,
        required=False,
        help_text=_("Where the handle belongs, e.g. bluesky, mastodon, instagram."),
    )
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=OPEN_STAGES, initial=Stage.PROSPECT)
    value = _value_field()
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = forms.DateField(
        label=_("Next step on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    campaign = forms.ChoiceField(label=_("Campaign"), required=False, choices=())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    inbox_item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    mention = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LeadEditForm(_WorkspaceChoices):
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False
    )
    value = _value_field()
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = forms.DateField(
        label=_("Next step on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    campaign = forms.ChoiceField(label=_("Campaign"), required=False, choices=())


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    lost_reason = forms.CharField(label=_("Why it was lost"), max_length=300, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CrmForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https address of your CRM (or Zapier, Make, n8n) that accepts POST."),
    )
    enabled = forms.BooleanField(label=_("Send leads"), required=False, initial=True)
