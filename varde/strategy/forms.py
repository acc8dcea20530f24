"""Forms parse and validate what people type; ``strategy.services`` does the writing.

Every choice of a related row (a person, a channel, an audience) is limited to the workspace the
form is for, so one workspace can never point at another's data.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from varde.accounts import selectors as account_selectors
from varde.accounts.choices import LANGUAGE_CHOICES
from varde.strategy import models as m
from varde.strategy.starter_plans_data import TEMPLATES

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


class WorkspaceForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form for one workspace: related choices are limited to that workspace."""

    # Form fields that are not model fields but are handed to the service under another name.
    extra_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                model = field.queryset.model
                if model is get_user_model():
                    field.queryset = account_selectors.member_users(workspace=workspace)
                elif any(f.name == "workspace" for f in model._meta.get_fields()):
                    field.queryset = model._default_manager.filter(workspace=workspace)
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 3)

    def _post_clean(self) -> None:
        # The services validate and save; the form only parses. (ModelForm would otherwise copy
        # the input onto the instance and validate it without its workspace.)
        pass

    def service_fields(self) -> dict[str, Any]:
        names = [*self._meta.fields, *self.extra_fields]  # type: ignore[misc]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


# --- Plan-wide fields, one form per phase ------------------------------------------------------


class PlanSituationForm(WorkspaceForm):
    class Meta:
        model = m.StrategyPlan
        fields = (
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "hours_per_week",
            "budget_per_month",
        )
        help_texts: ClassVar[dict[str, Any]] = {
            "hours_per_week": _("Everything included: writing, photos, answering, reviews."),
        }


class PlanGoalsForm(WorkspaceForm):
    class Meta:
        model = m.StrategyPlan
        fields = ("mission", "customer_value")
        help_texts: ClassVar[dict[str, Any]] = {
            "mission": _("The philosophy you steer by on social media, in a sentence or two."),
        }


class PlanMixForm(WorkspaceForm):
    class Meta:
        model = m.StrategyPlan
        fields = ("mix_promotional", "mix_curated", "mix_engagement")


class PlanMessageForm(WorkspaceForm):
    class Meta:
        model = m.StrategyPlan
        fields = ("tone_of_voice", "tools", "require_hashtag_check")


class PlanImplementationForm(WorkspaceForm):
    class Meta:
        model = m.StrategyPlan
        fields = (
            "social_media_policy",
            "employee_guidelines",
            "community_hours_per_week",
            "playbook_hidable",
            "playbook_criticism",
            "response_time_hours",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "social_media_policy": forms.Textarea(attrs={"rows": 8}),
        }


class PlanControlForm(WorkspaceForm):
    class Meta:
        model = m.StrategyPlan
        fields = ("review_cadence", "review_scope", "review_owner")


PLAN_FORMS: dict[int, type[WorkspaceForm]] = {
    1: PlanSituationForm,
    2: PlanGoalsForm,
    4: PlanMixForm,
    5: PlanMessageForm,
    6: PlanImplementationForm,
    7: PlanControlForm,
}


# --- One row of a list --------------------------------------------------------------------------


class ChannelForm(WorkspaceForm):
    class Meta:
        model = m.PlanChannel
        fields = (
            "network",
            "name",
            "exists",
            "followers",
            "posts_per_week_now",
            "engagement_rate_now",
            "last_post_on",
            "run_by_now",
        )
        widgets: ClassVar[dict[str, Any]] = {"last_post_on": DATE_INPUT}


class ChannelPlanForm(WorkspaceForm):
    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=[(number, name) for number, name in WEEKDAYS.items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    times = forms.CharField(
        label=_("Times"),
        required=False,
        help_text=_("Local time, separated by commas, for example 09:00, 15:30."),
    )
    extra_fields = ("days", "times")

    class Meta:
        model = m.PlanChannel
        fields = (
            "network",
            "name",
            "role",
            "purpose",
            "posts_per_week",
            "minutes_per_post",
            "producer",
            "approver",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("days", self.instance.days)
            self.initial.setdefault("times", ", ".join(self.instance.times))

    def clean_times(self) -> list[str]:
        result = []
        for part in self.cleaned_data["times"].replace(";", ",").split(","):
            text = part.strip().replace(".", ":")
            if not text:
                continue
            try:
                result.append(dt.time.fromisoformat(text.zfill(5)).strftime("%H:%M"))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a time. Write it as 09:00 or 15:30."),
                    params={"value": part.strip()},
                ) from None
        return sorted(set(result))


class CompetitorForm(WorkspaceForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    handles_text = forms.CharField(
        label=_("Accounts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, network and account: “instagram: @rival”."),
    )

    class Meta:
        model = m.Competitor
        fields = ("name", "website", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault(
                "handles_text",
                "\n".join(
                    f"{h.get('network', '')}: {h.get('handle', '')}"
                    for h in self.instance.handles
                    if isinstance(h, dict)
                ),
            )

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        handles = []
        for line in self.cleaned_data.get("handles_text", "").splitlines():
            network, sep, handle = line.partition(":")
            if not line.strip():
                continue
            if sep:
                handles.append({"network": network.strip().lower(), "handle": handle.strip()})
            else:
                handles.append({"network": "", "handle": line.strip()})
        fields["handles"] = handles
        return fields


class BusinessGoalForm(WorkspaceForm):
    class Meta:
        model = m.BusinessGoal
        fields = ("title", "description")


class SocialGoalForm(WorkspaceForm):
    class Meta:
        model = m.SocialGoal
        fields = (
            "title",
            "business_goal",
            "metric",
            "custom_metric",
            "channel",
            "baseline",
            "target",
            "deadline",
            "owner",
            "measurement",
            "status",
        )
        widgets: ClassVar[dict[str, Any]] = {"deadline": DATE_INPUT}
        help_texts: ClassVar[dict[str, Any]] = {
            "custom_metric": _("Only when you chose “something else” as the metric."),
            "owner": _("Add people under phase 6 if the list is empty."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("metric") == m.Metric.CUSTOM and not data.get("custom_metric", "").strip():
            self.add_error("custom_metric", _("Say what you will measure."))
        return data


class AudienceForm(WorkspaceForm):
    class Meta:
        model = m.Audience
        fields = (
            "name",
            "priority",
            "description",
            "cares_about",
            "where_they_are",
            "channels",
            "creators",
            "conversationalists",
            "critics",
            "collectors",
            "joiners",
            "spectators",
            "inactives",
        )
        widgets: ClassVar[dict[str, Any]] = {"channels": forms.CheckboxSelectMultiple}


class PillarForm(WorkspaceForm):
    class Meta:
        model = m.ContentPillar
        fields = ("name", "description", "share", "examples")


class KeyMessageForm(WorkspaceForm):
    class Meta:
        model = m.KeyMessage
        fields = ("audience", "text", "proof")


class HashtagForm(WorkspaceForm):
    class Meta:
        model = m.HashtagRule
        fields = ("tag", "use", "note")

    def clean_tag(self) -> str:
        tag = str(self.cleaned_data["tag"]).strip().lstrip("#")
        if not tag or " " in tag:
            raise forms.ValidationError(_("Write one hashtag without spaces, for example bergen."))
        return tag


class TermForm(WorkspaceForm):
    class Meta:
        model = m.TermRule
        fields = ("term", "severity", "language", "note")


class PersonForm(WorkspaceForm):
    class Meta:
        model = m.PlanPerson
        fields = ("name", "title", "user", "publishes_to")
        widgets: ClassVar[dict[str, Any]] = {"publishes_to": forms.CheckboxSelectMultiple}
        help_texts: ClassVar[dict[str, Any]] = {
            "user": _("Link a member of the workspace, so Varde can assign work to them."),
        }


class ResponsibilityForm(WorkspaceForm):
    class Meta:
        model = m.Responsibility
        fields = ("activity", "responsible", "accountable", "consulted", "informed")
        widgets: ClassVar[dict[str, Any]] = {
            "consulted": forms.CheckboxSelectMultiple,
            "informed": forms.CheckboxSelectMultiple,
        }


class EscalationForm(WorkspaceForm):
    class Meta:
        model = m.EscalationStep
        fields = ("order", "situation", "action", "person", "within_hours")


class ReviewForm(WorkspaceForm):
    class Meta:
        model = m.Review
        fields = ("held_on", "participants", "findings", "decisions")
        widgets: ClassVar[dict[str, Any]] = {"held_on": DATE_INPUT}


ITEM_FORMS: dict[str, type[WorkspaceForm]] = {
    "channel": ChannelForm,
    "channel-plan": ChannelPlanForm,
    "competitor": CompetitorForm,
    "business-goal": BusinessGoalForm,
    "goal": SocialGoalForm,
    "audience": AudienceForm,
    "pillar": PillarForm,
    "message": KeyMessageForm,
    "hashtag": HashtagForm,
    "term": TermForm,
    "person": PersonForm,
    "responsibility": ResponsibilityForm,
    "escalation": EscalationForm,
    "review": ReviewForm,
}


class VersionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example: “Adopted at the board meeting in March”."),
    )


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=())
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template_field = self.fields["template"]
        if isinstance(template_field, forms.ChoiceField):
            template_field.choices = [(t.key, str(t.name)) for t in TEMPLATES.values()]
