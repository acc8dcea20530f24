"""Tying a connected channel to a channel of the publishing plan.

The plan (strategy, phase 1 and 4) names channels by network and name; a connected account
is what posts go to. Matching the two by network works when they agree, but not for a sandbox
that stands in for the plan's Facebook page, an "Other" channel in the plan, or a second
account on one network. So right after connecting (and from the channel's page) the person is
asked which channel of the plan this is, or to add it to the plan; the calendar's meters and
gaps, the composer's "Add to next free slot" and the policy guard then use that channel's days,
times and people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from varde.accounts.access import WorkspaceRequest, request_user, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.channels import selectors, services
from varde.channels.models import ConnectedAccount
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.strategy.selectors import ChannelPlan

NEW = "new"
NONE = "none"


@dataclass(frozen=True)
class PlanOption:
    """One channel of the plan as the tie page and the channel page show it."""

    plan: ChannelPlan
    title: str  # "Facebook: Fjordbakst"
    schedule: str  # "3 posts a week · Mon, Wed, Fri · 09:00", or why there is none
    has_slots: bool  # the plan gives it days or times, so the calendar can find its slots
    others: tuple[str, ...]  # other connected channels that post for it


def plan_title(plan: ChannelPlan) -> str:
    return f"{strategy_selectors.network_label(plan.network)}: {plan.name}"


def plan_schedule(plan: ChannelPlan) -> str:
    """The plan channel's publishing plan in words, or that phase 4 has none yet."""
    if not (plan.posts_per_week or plan.days or plan.times):
        return _("No days, times or posts per week in the plan yet (phase 4).")
    parts = []
    if plan.posts_per_week:
        count = plan.posts_per_week
        parts.append(
            ngettext("%(count)s post a week", "%(count)s posts a week", int(count.to_integral()))
            # "1,5" in bokmål: the number in the active language's format.
            % {"count": floatformat(count, -1)}
        )
    if plan.days:
        parts.append(", ".join(str(WEEKDAYS_ABBR[d]) for d in plan.days))
    if plan.times:
        parts.append(", ".join(time_format(t, "H:i") for t in plan.times))
    return " · ".join(parts)


def plan_options(channel: ConnectedAccount) -> list[PlanOption]:
    plans = strategy_selectors.publishing_plan_for(channel.workspace)
    accounts = list(selectors.channels_in(workspace=channel.workspace).current())
    matched = selectors.plan_accounts(plans, accounts)
    return [
        PlanOption(
            plan=plan,
            title=plan_title(plan),
            schedule=plan_schedule(plan),
            has_slots=bool(plan.days or plan.times),
            others=tuple(a.label for a in found if a.pk != channel.pk),
        )
        for plan, found in matched
    ]


class PlanTieForm(forms.Form):
    tie = forms.ChoiceField(label=gettext_lazy("Channel in the plan"), widget=forms.RadioSelect)
    network = forms.ChoiceField(label=gettext_lazy("Network in the plan"), required=False)
    name = forms.CharField(label=gettext_lazy("Name in the plan"), required=False, max_length=120)

    def __init__(self, *args: Any, options: list[PlanOption], can_add: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(str(o.plan.channel_id), o.title) for o in options]
        if can_add:
            choices.append((NEW, _("Add it to the plan as a new channel")))
        choices.append((NONE, _("Not tied to the plan")))
        tie_field = self.fields["tie"]
        network_field = self.fields["network"]
        assert isinstance(tie_field, forms.ChoiceField)  # noqa: S101 - declared above
        assert isinstance(network_field, forms.ChoiceField)  # noqa: S101
        tie_field.choices = choices
        network_field.choices = strategy_selectors.network_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tie") == NEW:
            if not data.get("network"):
                self.add_error("network", _("Choose the network."))
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Give the channel a name, as the plan should call it."))
        return data


def _initial(channel: ConnectedAccount, options: list[PlanOption]) -> dict[str, str]:
    """Preselect what the account is now: its tie, or the one plan channel it matches."""
    plans = [o.plan for o in options]
    entries = selectors.plan_entries_for(channel, plans)
    networks = [value for value, _label in strategy_selectors.network_choices()]
    initial = {
        "network": selectors.plan_network_suggestion(channel, networks),
        "name": channel.label if channel.connector_key == "sandbox" else channel.handle,
    }
    free = [o for o in options if not o.others]
    if len(entries) == 1:
        initial["tie"] = str(entries[0].channel_id)
    elif not options:
        initial["tie"] = NEW
    elif len(free) == 1:
        # The one plan channel nothing posts for yet: what a new workspace connects first.
        initial["tie"] = str(free[0].plan.channel_id)
    return initial


def _channel_or_404(request: WorkspaceRequest, channel_id: int) -> ConnectedAccount:
    try:
        return selectors.channel_get(workspace=request.workspace, channel_id=channel_id)
    except ConnectedAccount.DoesNotExist:
        raise Http404 from None


@workspace_view(Perm.CHANNELS_MANAGE)
def plan_tie(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    """Which channel of the plan is this? Asked right after connecting, and from its page."""
    channel = _channel_or_404(request, channel_id)
    options = plan_options(channel)
    can_add = role_can(request.membership.role, Perm.STRATEGY_EDIT)
    form = PlanTieForm(
        request.POST or None, options=options, can_add=can_add, initial=_initial(channel, options)
    )
    if request.method == "POST" and form.is_valid():
        try:
            return _save(request, channel, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "channel": channel,
        "form": form,
        "options": options,
        "can_add": can_add,
        "just_connected": request.GET.get("new") == "1",
        "nav_active": "channels",
    }
    return render(request, "channels/plan_tie.html", context, status=400 if form.errors else 200)


def _save(
    request: WorkspaceRequest, channel: ConnectedAccount, data: dict[str, Any]
) -> HttpResponse:
    actor = request_user(request)
    choice = data["tie"]
    plan: ChannelPlan | None
    if choice == NEW:
        plan = services.channel_plan_add(
            channel=channel, network=data["network"], name=data["name"], actor=actor
        )
    else:
        plan = services.channel_plan_tie(
            channel=channel,
            plan_channel_id=None if choice == NONE else int(choice),
            actor=actor,
        )
    messages.success(request, tie_outcome(channel, plan, added=choice == NEW))
    return redirect("channels:detail", workspace=request.workspace.slug, channel_id=channel.pk)


def tie_outcome(channel: ConnectedAccount, plan: ChannelPlan | None, *, added: bool) -> str:
    """What the tie did, and no more: a plan channel without days and times gives no slots."""
    if plan is None:
        return _(
            "%(channel)s is not tied to a channel of the plan. Varde matches it by network, "
            "if the plan has a channel on its network."
        ) % {"channel": channel.label}
    words = {"channel": channel.label, "plan": plan_title(plan)}
    if added:
        text = _("%(plan)s was added to the plan, and %(channel)s is tied to it.") % words
    else:
        text = _("%(channel)s is tied to %(plan)s in the plan.") % words
    if plan.days or plan.times:
        then = _("The calendar's meters and “Add to next free slot” now use its days and times.")
    else:
        then = _("It has no days and times in the plan yet: add them in phase 4 of the plan.")
    return f"{text} {then}"


def after_connect(channel: ConnectedAccount) -> HttpResponse:
    """Where a new connection lands: the question of which channel of the plan it is. Every
    connect path has checked ``channels.manage`` already, which the question needs too."""
    address = reverse(
        "channels:plan_tie",
        kwargs={"workspace": channel.workspace.slug, "channel_id": channel.pk},
    )
    return redirect(f"{address}?new=1")


@dataclass(frozen=True)
class PlanStatus:
    """What the channel's page says about the plan: tied, matched by network, or neither."""

    tied: bool
    entries: tuple[PlanOption, ...]


def plan_status(channel: ConnectedAccount) -> PlanStatus:
    plans = strategy_selectors.publishing_plan_for(channel.workspace)
    entries = selectors.plan_entries_for(channel, plans)
    tied_id = selectors.plan_channel_id_of(channel)
    return PlanStatus(
        tied=any(p.channel_id == tied_id for p in entries),
        entries=tuple(
            PlanOption(
                plan=p,
                title=plan_title(p),
                schedule=plan_schedule(p),
                has_slots=bool(p.days or p.times),
                others=(),
            )
            for p in entries
        ),
    )
