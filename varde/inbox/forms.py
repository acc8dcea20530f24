"""Forms of the inbox: they parse what a person typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from varde.accounts.permissions import Perm, role_can
from varde.accounts.roles import Role
from varde.inbox.choices import AuthorListKind, ItemKind, ReplyMode, Sentiment, TriageClass


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    mode = forms.ChoiceField(
        label=_("Send as"), choices=ReplyMode.choices, widget=forms.RadioSelect
    )
    sign = forms.BooleanField(label=_("Sign with my name"), required=False)


def _lines(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", "\n").splitlines() if part.strip()]


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        initial=100,
        help_text=_("Lower numbers run first; for each kind of action the first rule wins."),
    )
    # Conditions: every one filled in must hold.
    words = forms.CharField(
        label=_("Contains any of these words or phrases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, or separated by commas."),
    )
    has_link = forms.BooleanField(label=_("Has a link"), required=False)
    has_email = forms.BooleanField(label=_("Has an e-mail address"), required=False)
    only_emoji = forms.BooleanField(label=_("Is only emoji"), required=False)
    only_mentions = forms.BooleanField(label=_("Is only @-mentions"), required=False)
    min_length = forms.IntegerField(label=_("At least this many characters"), required=False)
    max_length = forms.IntegerField(label=_("At most this many characters"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Kind"),
        choices=ItemKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes, e.g. no, en."),
    )
    classes = forms.MultipleChoiceField(
        label=_("Classified as"),
        choices=TriageClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sentiments = forms.MultipleChoiceField(
        label=_("Sentiment"),
        choices=Sentiment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    author_list = forms.ChoiceField(
        label=_("The author is on"),
        choices=[("", _("any list or none")), *AuthorListKind.choices],
        required=False,
    )
    # Actions.
    hide = forms.BooleanField(
        label=_("Hide it on the network"),
        required=False,
        help_text=_(
            "Never on criticism: complaints are refused, and so are negative items nobody "
            "has classified yet."
        ),
    )
    label = forms.CharField(label=_("Add the label"), required=False, max_length=40)
    assign_to = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, required=False, empty_value=None
    )
    escalate = forms.BooleanField(label=_("Escalate (tell the owners and admins)"), required=False)
    review = forms.BooleanField(label=_("Mark as reviewed"), required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assign_to"].choices = [("", _("nobody")), *members]  # type: ignore[attr-defined]

    def conditions(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "words": _lines(data["words"]),
            "has_link": data["has_link"],
            "has_email": data["has_email"],
            "only_emoji": data["only_emoji"],
            "only_mentions": data["only_mentions"],
            "min_length": data["min_length"],
            "max_length": data["max_length"],
            "kinds": list(data["kinds"]),
            "languages": _lines(data["languages"]),
            "classes": list(data["classes"]),
            "sentiments": list(data["sentiments"]),
            "author_list": data["author_list"],
        }

    def actions(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        actions: list[dict[str, Any]] = []
        if data["hide"]:
            actions.append({"kind": "hide"})
        if data["label"].strip():
            actions.append({"kind": "label", "label": data["label"].strip()})
        if data["assign_to"]:
            actions.append({"kind": "assign", "user_id": data["assign_to"]})
        if data["escalate"]:
            actions.append({"kind": "escalate"})
        if data["review"]:
            actions.append({"kind": "review"})
        return actions

    @staticmethod
    def initial_from(rule: Any) -> dict[str, Any]:
        conditions = dict(rule.conditions)
        initial: dict[str, Any] = {"name": rule.name, "priority": rule.priority}
        initial.update(conditions)
        initial["words"] = "\n".join(conditions.get("words", []))
        initial["languages"] = ", ".join(conditions.get("languages", []))
        for action in rule.actions:
            kind = action.get("kind")
            if kind == "label":
                initial["label"] = action.get("label", "")
            elif kind == "assign":
                initial["assign_to"] = action.get("user_id")
            elif kind in ("hide", "escalate", "review"):
                initial[kind] = True
        return initial


class SavedReplyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Variables: {name}, {first_name}, {handle}, {me}, {my_first_name}, {channel}. "
            "A field to fill in when answering: {?order number}."
        ),
    )


class SignatureForm(forms.Form):
    text = forms.CharField(
        label=_("Signature"),
        max_length=200,
        required=False,
        help_text=_(
            "For example “– Kari, customer service”. {first_name} and {name} are filled in."
        ),
    )


class AuthorEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"), choices=AuthorListKind.choices)
    handle = forms.CharField(label=_("Handle"), max_length=300)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class BusinessHoursForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("The team answers on"),
        choices=[(number, name) for number, name in WEEKDAYS.items()],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    opens = forms.TimeField(
        label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes = forms.TimeField(
        label=_("until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    skip_public_holidays = forms.BooleanField(
        label=_("Closed on Norway's public holidays"), required=False
    )


class ReplyApprovalForm(forms.Form):
    complaints = forms.BooleanField(
        label=_("Replies in a conversation with a complaint need approval"), required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Every reply by members with these roles needs approval"),
        choices=[(role.value, role.label) for role in Role if role_can(role, Perm.INBOX_REPLY)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
