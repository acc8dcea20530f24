"""The composer's form and the campaign form.

Field names are shared with the policy guard's live check (``policy:check``): ``text``,
``channels`` (repeated ids), ``variant_<channel id>``, ``is_paid`` ("on") and ``alt_text``
(repeated, one per attached file, in the order of ``media_id``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from varde.channels import selectors as channel_selectors
from varde.content.choices import MixCategory
from varde.content.models import Campaign
from varde.content.services import CampaignData, Draft
from varde.lib.timeutil import local_to_utc
from varde.strategy import selectors as strategy

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount


def _channel_label(channel: ConnectedAccount) -> str:
    return channel.label


class RepeatedTextarea(forms.Widget):
    """Several textareas with one name (the parts of a thread); rendered by the template."""

    def value_from_datadict(
        self, data: Any, files: MultiValueDict[str, Any], name: str
    ) -> list[str]:
        getlist = getattr(data, "getlist", None)
        return list(getlist(name)) if getlist else list(data.get(name) or [])


class ThreadField(forms.Field):
    widget = RepeatedTextarea

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(part).strip() for part in value if str(part).strip()]


def parse_local_datetime(value: str, zone: str) -> dt.datetime | None:
    """``2026-12-01T09:00`` typed in the workspace's time zone, as an aware UTC instant."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("Write the date and time as 2026-12-01 09:00."), code="invalid"
        ) from None
    return local_to_utc(parsed.replace(tzinfo=None), zone)


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Used on every channel that has no text of its own."),
    )
    channels: forms.ModelMultipleChoiceField[ConnectedAccount] = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_(
            "The title of a YouTube video or a blog post, the subject of the newsletter. "
            "Empty: the first line of the text."
        ),
    )
    link_url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_(
            "The page the post sends people to. Varde adds the tracking (UTM) per channel."
        ),
    )
    thread = ThreadField(label=_("More posts in the thread"), required=False)
    first_comment = forms.CharField(
        label=_("First comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    campaign: forms.ModelChoiceField[Campaign] = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False
    )
    pillar: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Content pillar"), queryset=None, required=False
    )
    mix_category = forms.ChoiceField(
        label=_("Kind of content"),
        choices=[("", _("Not chosen")), *MixCategory.choices],
        required=False,
    )
    audience: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Audience"), queryset=None, required=False
    )
    key_message: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Key message"),
        queryset=None,
        required=False,
    )
    is_paid = forms.BooleanField(
        label=_("Paid or sponsored"),
        required=False,
        help_text=_("Norwegian law: paid posts must say so clearly, with «annonse» or «reklame»."),
    )
    planned_at = forms.CharField(
        label=_("Planned for"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(
        self, *args: Any, workspace: Workspace, channels: list[ConnectedAccount], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.channel_list = channels
        channel_field = self.fields["channels"]
        assert isinstance(channel_field, forms.ModelMultipleChoiceField)  # noqa: S101
        channel_field.queryset = channel_selectors.channels_in(workspace=workspace)
        channel_field.label_from_instance = _channel_label  # type: ignore[method-assign,assignment]
        self._set_queryset("campaign", Campaign.objects.filter(workspace=workspace))
        self._set_queryset("pillar", strategy.pillar_list(workspace))
        self._set_queryset("audience", strategy.audience_list(workspace))
        self._set_queryset("key_message", strategy.key_message_list(workspace))
        for channel in channels:
            self.fields[f"variant_{channel.pk}"] = forms.CharField(
                label=_("Own text for %(channel)s") % {"channel": channel.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = queryset
        field.empty_label = _("Not chosen")

    def variant_fields(self) -> list[tuple[ConnectedAccount, forms.BoundField]]:
        return [(c, self[f"variant_{c.pk}"]) for c in self.channel_list]

    def clean_planned_at(self) -> dt.datetime | None:
        return parse_local_datetime(
            self.cleaned_data.get("planned_at") or "", self.workspace.timezone
        )

    def draft(self, alt_texts: dict[int, str] | None = None) -> Draft:
        data = self.cleaned_data
        chosen = list(data.get("channels") or [])
        return Draft(
            text=data.get("text") or "",
            channels=chosen,
            variants={c.pk: data.get(f"variant_{c.pk}") or "" for c in self.channel_list},
            title=data.get("title") or "",
            campaign=data.get("campaign"),
            pillar=data.get("pillar"),
            mix_category=data.get("mix_category") or "",
            audience=data.get("audience"),
            key_message=data.get("key_message"),
            is_paid=bool(data.get("is_paid")),
            link_url=data.get("link_url") or "",
            thread=list(data.get("thread") or []),
            first_comment=data.get("first_comment") or "",
            planned_at=data.get("planned_at"),
            alt_texts=alt_texts or {},
        )


def alt_texts_from(data: Any) -> dict[int, str]:
    """The alt text typed for each attached file: ``media_id`` and ``alt_text`` pair by order."""
    ids = data.getlist("media_id") if hasattr(data, "getlist") else []
    texts = data.getlist("alt_text") if hasattr(data, "getlist") else []
    found = {}
    for raw_id, text in zip(ids, texts, strict=False):
        if str(raw_id).isdigit():
            found[int(raw_id)] = str(text)
    return found


class CampaignForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Campaign
        fields = (
            "name",
            "goal",
            "starts_on",
            "ends_on",
            "channels",
            "utm_campaign",
            "utm_medium",
            "description",
        )
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "channels": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        channels = self.fields["channels"]
        assert isinstance(goal, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(channels, forms.ModelMultipleChoiceField)  # noqa: S101
        goal.queryset = strategy.social_goal_list(workspace)
        channels.queryset = channel_selectors.channels_in(workspace=workspace)
        channels.label_from_instance = _channel_label  # type: ignore[method-assign,assignment]
        self.fields["utm_campaign"].required = False
        self.fields["utm_campaign"].help_text = _(
            "How the campaign is named in links. Empty: made from the name."
        )
        self.fields["utm_medium"].help_text = _('Empty: "social" ("email" for the newsletter).')
        self.fields["channels"].help_text = _(
            "Where the campaign runs: social channels, the blog and the newsletter."
        )

    def data_for_service(self) -> CampaignData:
        data = self.cleaned_data
        return CampaignData(
            name=data["name"],
            goal=data.get("goal"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            channels=list(data.get("channels") or []),
            utm_campaign=data.get("utm_campaign") or "",
            utm_medium=data.get("utm_medium") or "",
            description=data.get("description") or "",
        )
