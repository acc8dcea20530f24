"""The inbox: the conversation list, a conversation, and the moderation settings.

Views parse and delegate to ``inbox.services``; every page works by mouse, keyboard
(``static/inbox/inbox.js``) and screen reader alike.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts import selectors as account_selectors
from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.channels.selectors import channels_in
from varde.connectors import registry
from varde.connectors.capabilities import Capability
from varde.inbox import selectors, services, sla
from varde.inbox.choices import ConversationState, ItemKind, ReplyMode, TriageClass
from varde.inbox.forms import (
    AuthorEntryForm,
    BusinessHoursForm,
    ReplyForm,
    RuleForm,
    SavedReplyForm,
    SignatureForm,
)
from varde.sandbox import selectors as sandbox_selectors

if TYPE_CHECKING:
    from varde.channels.models import ConnectedAccount
    from varde.inbox.models import Conversation, InboxItem

PER_PAGE = 50
SNOOZE_CHOICES = {
    "1h": dt.timedelta(hours=1),
    "4h": dt.timedelta(hours=4),
    "1d": dt.timedelta(days=1),
    "1w": dt.timedelta(weeks=1),
}


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _conversation_or_404(request: WorkspaceRequest, conversation_id: int) -> Conversation:
    found = selectors.conversation_get(workspace=request.workspace, conversation_id=conversation_id)
    if found is None:
        raise Http404
    return found


def _item_or_404(request: WorkspaceRequest, item_id: int) -> InboxItem:
    found = selectors.item_get(workspace=request.workspace, item_id=item_id)
    if found is None:
        raise Http404
    return found


def _to_conversation(
    request: WorkspaceRequest, conversation_id: int | None
) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    if conversation_id is None:
        return HttpResponseRedirect(_list_url(request))
    return HttpResponseRedirect(
        reverse(
            "inbox:conversation",
            kwargs={"workspace": request.workspace.slug, "conversation_id": conversation_id},
        )
    )


def _list_url(request: WorkspaceRequest) -> str:
    return reverse("inbox:list", kwargs={"workspace": request.workspace.slug})


def _members(request: WorkspaceRequest) -> list[tuple[int, str]]:
    users = account_selectors.member_users(workspace=request.workspace).order_by("full_name", "pk")
    return [(user.pk, user.full_name or user.email) for user in users]


# --- The list --------------------------------------------------------------------------------


@workspace_view(Perm.INBOX_VIEW)
def inbox_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    filters = selectors.Filters.from_query(request.GET)
    conversations = selectors.conversations_filtered(
        workspace=workspace, user=request.user, filters=filters
    )
    # No COUNT over the filtered list: "older" exists when one more row than a page came back.
    page_number = max(
        1, int(request.GET.get("page", "1") or 1) if request.GET.get("page", "1").isdigit() else 1
    )
    offset = (page_number - 1) * PER_PAGE
    rows = list(conversations[offset : offset + PER_PAGE + 1])
    has_older = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    _attach_clocks(request, rows)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    channels = list(channels_in(workspace=workspace).order_by("label", "pk"))
    context = {
        "nav_active": "inbox",
        "rows": rows,
        "filters": filters,
        "views": [(key, _view_label(key)) for key in selectors.VIEWS],
        "counts": selectors.view_counts(workspace=workspace, user=request.user),
        "saved_views": list(selectors.saved_views_of(workspace=workspace, user=request.user)),
        "channels": channels,
        "members": _members(request),
        "classes": TriageClass.choices,
        "kinds": ItemKind.choices,
        "page": page_number,
        "older_query": urlencode({**query, "page": page_number + 1}) if has_older else "",
        "newer_query": urlencode({**query, "page": page_number - 1}) if page_number > 1 else "",
        "current_query": urlencode(query),
        "may_reply": role_can(request.membership.role, Perm.INBOX_REPLY),
        "may_moderate": role_can(request.membership.role, Perm.INBOX_MODERATE),
        "sandbox_channels": {c.pk for c in channels if c.connector_key == "sandbox"},
        "channel_states": _channel_states(request, channels),
    }
    return render(request, "inbox/list.html", context)


def _attach_clocks(request: WorkspaceRequest, conversations: list[Conversation]) -> None:
    """Each conversation waiting for us gets its response clock (``response_clock``)."""
    clocks = sla.clocks_for(
        workspace=request.workspace, conversations=conversations, now=timezone.now()
    )
    for conversation in conversations:
        conversation.response_clock = clocks.get(conversation.pk)  # type: ignore[attr-defined]


def _channel_states(
    request: WorkspaceRequest, channels: list[ConnectedAccount]
) -> list[dict[str, Any]]:
    """Per channel: whether Varde can read it at all, when it was last read, the last problem."""
    cursors = selectors.inbox_cursors(workspace=request.workspace)
    return [
        {"channel": channel, "cursor": cursors.get(channel.pk), "readable": _readable(channel)}
        for channel in channels
    ]


def _readable(channel: ConnectedAccount) -> bool:
    """Whether Varde can read replies or mentions from this network at all."""
    try:
        capabilities = registry.get(channel.connector_key).capabilities
    except registry.UnknownConnectorError:  # a network no longer installed
        return False
    return bool(capabilities & (Capability.COMMENTS | Capability.MENTIONS))


def _view_label(key: str) -> str:
    return {
        "open": _("Open"),
        "mine": _("Mine"),
        "unassigned": _("Unassigned"),
        "new": _("New"),
        "pending": _("Pending"),
        "snoozed": _("Snoozed"),
        "resolved": _("Resolved"),
        "all": _("All"),
    }[key]


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def check_now(request: WorkspaceRequest) -> HttpResponse:
    new = services.inbox_read_workspace(workspace=request.workspace)
    messages.success(request, _("Checked the channels: %(count)d new.") % {"count": new})
    return HttpResponseRedirect(_list_url(request))


@workspace_view(Perm.INBOX_VIEW)
@require_POST
def view_save(request: WorkspaceRequest) -> HttpResponse:
    try:
        services.saved_view_create(
            workspace=request.workspace,
            user=request.user,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    return HttpResponseRedirect(_list_url(request) + "?" + request.POST.get("query", ""))


@workspace_view(Perm.INBOX_VIEW)
@require_POST
def view_delete(request: WorkspaceRequest, view_id: int) -> HttpResponse:
    if not services.saved_view_delete(
        workspace=request.workspace, user=request.user, view_id=view_id
    ):
        raise Http404
    return HttpResponseRedirect(_list_url(request))


# --- A conversation ----------------------------------------------------------------------------


@workspace_view(Perm.INBOX_VIEW)
def conversation(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    found = _conversation_or_404(request, conversation_id)
    context_data = selectors.conversation_context(conversation=found)
    _attach_clocks(request, [found])
    modes = services.reply_modes(found)
    default_mode = ReplyMode.PUBLIC if not modes[ReplyMode.PUBLIC] else ReplyMode.PRIVATE
    initial: dict[str, Any] = {
        "mode": default_mode,
        "sign": services.signature_required(request.workspace),
    }
    prompted: list[str] = []
    saved_replies = list(selectors.saved_replies_of(workspace=request.workspace))
    saved_id = request.GET.get("saved", "")
    if saved_id.isdigit():
        saved = next((s for s in saved_replies if s.pk == int(saved_id)), None)
        if saved is not None:
            initial["text"], prompted = services.saved_reply_render(
                saved=saved, conversation=found, user=request.user
            )
    elif context_data.failed_reply is not None:
        # A failed reply keeps its text: it is in the form again, with why it failed.
        initial["text"] = context_data.failed_reply.text
        initial["mode"] = context_data.failed_reply.mode
    form = ReplyForm(initial=initial)
    item_ids = [entry[1].network_id for entry in context_data.timeline if entry[0] == "item"]
    is_sandbox = found.channel is not None and found.channel.connector_key == "sandbox"
    context = {
        "nav_active": "inbox",
        "conversation": found,
        "ctx": context_data,
        "form": form,
        "modes": modes,
        "prompted": prompted,
        "saved_replies": saved_replies,
        "members": _members(request),
        "states": ConversationState.choices,
        "classes": TriageClass.choices,
        "snooze_choices": list(SNOOZE_CHOICES),
        "signature": services.signature_for(workspace=request.workspace, user=request.user),
        "is_sandbox": is_sandbox,
        "personas": sandbox_selectors.sandbox_personas(network_ids=item_ids) if is_sandbox else {},
        "may_reply": role_can(request.membership.role, Perm.INBOX_REPLY),
        **approval_context(
            request, found, request.session.pop("inbox_candidates", {}).get(str(found.pk))
        ),
    }
    return render(request, "inbox/conversation.html", context)


def approval_context(
    request: WorkspaceRequest, found: Conversation, candidates: list[str] | None = None
) -> dict[str, Any]:
    """What the page needs for reply approval: why a reply here needs it, the proposals (the
    waiting one and the history), whether this person decides, and the candidates to refill."""
    reason = services.approval_reason(conversation=found, author=request.user)
    return {
        "approval_reason": reason,
        "proposals": selectors.proposals_of(conversation=found),
        "may_approve": role_can(request.membership.role, Perm.INBOX_MODERATE),
        "candidate_slots": (candidates or [])
        + [""] * (services.MAX_CANDIDATES - len(candidates or [])),
    }


def _next_open(request: WorkspaceRequest, current: Conversation) -> int | None:
    return (
        selectors.conversations_filtered(
            workspace=request.workspace, user=request.user, filters=selectors.Filters()
        )
        .filter(last_item_at__lte=current.last_item_at)
        .exclude(pk=current.pk)
        .values_list("pk", flat=True)
        .first()
    )


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def conversation_state(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    found = _conversation_or_404(request, conversation_id)
    state = request.POST.get("state", "")
    until = None
    if state == ConversationState.SNOOZED:
        until = timezone.now() + SNOOZE_CHOICES.get(
            request.POST.get("for", "4h"), dt.timedelta(hours=4)
        )
    try:
        services.conversation_set_state(
            conversation=found,
            state=ConversationState(state)
            if state in ConversationState.values
            else ConversationState.NEW,
            actor=request.user,
            snoozed_until=until,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _to_conversation(request, found.pk)
    if request.POST.get("and_next") and state in (
        ConversationState.RESOLVED,
        ConversationState.SNOOZED,
    ):
        return _to_conversation(request, _next_open(request, found))
    return _to_conversation(request, found.pk)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def conversation_assign(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    found = _conversation_or_404(request, conversation_id)
    wanted = request.POST.get("assignee", "")
    if wanted == "me":
        wanted = str(request.user.pk)
    assignee = (
        account_selectors.member_users(workspace=request.workspace).filter(pk=wanted).first()
        if wanted.isdigit()
        else None
    )
    try:
        services.conversation_assign(conversation=found, assignee=assignee, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return _to_conversation(request, found.pk)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def conversation_label(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    found = _conversation_or_404(request, conversation_id)
    try:
        services.conversation_label(
            conversation=found,
            label=request.POST.get("label", ""),
            add=request.POST.get("remove", "") == "",
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    return _to_conversation(request, found.pk)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def conversation_reply(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    found = _conversation_or_404(request, conversation_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reply and choose how to send it."))
        return _to_conversation(request, found.pk)
    try:
        reply = services.reply_send(
            conversation=found,
            author=request.user,
            text=form.cleaned_data["text"],
            mode=form.cleaned_data["mode"],
            sign=form.cleaned_data["sign"],
        )
    except services.ReplyBlockedError as error:
        # Nothing was sent: show the form again with the text and the reasons.
        context_data = selectors.conversation_context(conversation=found)
        messages.error(request, _("Not sent: %(reasons)s") % {"reasons": _errors(error)})
        context = {
            "nav_active": "inbox",
            "conversation": found,
            "ctx": context_data,
            "form": form,
            "modes": services.reply_modes(found),
            "prompted": [],
            "saved_replies": list(selectors.saved_replies_of(workspace=request.workspace)),
            "members": _members(request),
            "states": ConversationState.choices,
            "classes": TriageClass.choices,
            "snooze_choices": list(SNOOZE_CHOICES),
            "signature": services.signature_for(workspace=request.workspace, user=request.user),
            "is_sandbox": found.channel is not None and found.channel.connector_key == "sandbox",
            "personas": {},
            "may_reply": True,
            **approval_context(request, found),
        }
        return render(request, "inbox/conversation.html", context, status=400)
    if reply.status == "failed":
        messages.error(
            request,
            _("The reply was not sent: %(error)s The text is kept below.") % {"error": reply.error},
        )
    else:
        messages.success(request, _("Sent."))
    return _to_conversation(request, found.pk)


# --- Items: hide, class, escalate, review, undo ------------------------------------------------


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def item_hide(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    try:
        services.item_hide(item=item, actor=request.user)
    except services.CriticismRefusedError as error:
        messages.error(request, _errors(error))
    except services.HideNotPossibleError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Hidden. You can undo it below."))
    return _to_conversation(request, item.conversation_id)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def item_classify(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    wanted = request.POST.get("triage_class", "")
    try:
        services.item_correct_class(item=item, triage_class=wanted or None, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return _to_conversation(request, item.conversation_id)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def item_escalate(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    services.item_escalate(item=item, actor=request.user, note=request.POST.get("note", "")[:300])
    messages.success(request, _("Escalated: the workspace's owners and admins are told."))
    return _to_conversation(request, item.conversation_id)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def item_review(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    services.item_mark_reviewed(item=item, actor=request.user)
    return _to_conversation(request, item.conversation_id)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def action_undo(request: WorkspaceRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(workspace=request.workspace, action_id=action_id)
    if action is None:
        raise Http404
    try:
        services.moderation_undo(action=action, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Undone."))
    return _to_conversation(request, action.item.conversation_id)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def from_mention(request: WorkspaceRequest, mention_id: int) -> HttpResponse:
    try:
        found = services.conversation_from_mention(
            workspace=request.workspace, mention_id=mention_id, actor=request.user
        )
    except ValidationError as error:
        raise Http404(_errors(error)) from error
    messages.success(request, _("Sent to the inbox."))
    return _to_conversation(request, found.pk)


# --- Settings: rules, lists, saved replies, signatures -----------------------------------------


def _rules_url(request: WorkspaceRequest) -> str:
    return reverse("inbox:rules", kwargs={"workspace": request.workspace.slug})


@workspace_view(Perm.INBOX_MODERATE)
def rules(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "nav_active": "inbox",
        "rules": list(selectors.rules_of(workspace=request.workspace)),
        "entries": list(selectors.author_entries_of(workspace=request.workspace)),
        "entry_form": AuthorEntryForm(),
    }
    return render(request, "inbox/rules.html", context)


@workspace_view(Perm.INBOX_MODERATE)
def rule_edit(request: WorkspaceRequest, rule_id: int | None = None) -> HttpResponse:
    rule = None
    if rule_id is not None:
        rule = selectors.rule_get(workspace=request.workspace, rule_id=rule_id)
        if rule is None:
            raise Http404
    members = _members(request)
    if request.method == "POST":
        form = RuleForm(request.POST, members=members)
        if form.is_valid():
            try:
                saved = services.rule_save(
                    workspace=request.workspace,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    priority=form.cleaned_data["priority"],
                    conditions=form.conditions(),
                    actions=form.actions(),
                    rule=rule,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Saved. Try it on the last 30 days before you switch it on.")
                )
                return HttpResponseRedirect(
                    reverse(
                        "inbox:rule_edit",
                        kwargs={"workspace": request.workspace.slug, "rule_id": saved.pk},
                    )
                )
    else:
        form = RuleForm(initial=RuleForm.initial_from(rule) if rule else None, members=members)
    context = {"nav_active": "inbox", "form": form, "rule": rule, "dry_run": None}
    return render(request, "inbox/rule_form.html", context)


@workspace_view(Perm.INBOX_MODERATE)
@require_POST
def rule_dry_run(request: WorkspaceRequest, rule_id: int) -> HttpResponse:
    rule = selectors.rule_get(workspace=request.workspace, rule_id=rule_id)
    if rule is None:
        raise Http404
    result = services.rule_dry_run(rule=rule)
    form = RuleForm(initial=RuleForm.initial_from(rule), members=_members(request))
    context = {"nav_active": "inbox", "form": form, "rule": rule, "dry_run": result}
    return render(request, "inbox/rule_form.html", context)


@workspace_view(Perm.INBOX_MODERATE)
@require_POST
def rule_toggle(request: WorkspaceRequest, rule_id: int) -> HttpResponse:
    rule = selectors.rule_get(workspace=request.workspace, rule_id=rule_id)
    if rule is None:
        raise Http404
    try:
        services.rule_set_enabled(rule=rule, enabled=not rule.enabled, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return HttpResponseRedirect(_rules_url(request))


@workspace_view(Perm.INBOX_MODERATE)
@require_POST
def rule_delete(request: WorkspaceRequest, rule_id: int) -> HttpResponse:
    rule = selectors.rule_get(workspace=request.workspace, rule_id=rule_id)
    if rule is None:
        raise Http404
    services.rule_delete(rule=rule, actor=request.user)
    return HttpResponseRedirect(_rules_url(request))


@workspace_view(Perm.INBOX_MODERATE)
@require_POST
def author_add(request: WorkspaceRequest) -> HttpResponse:
    form = AuthorEntryForm(request.POST)
    if form.is_valid():
        try:
            services.author_entry_add(
                workspace=request.workspace, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
    else:
        messages.error(request, _("Choose the list and write the handle."))
    return HttpResponseRedirect(_rules_url(request))


@workspace_view(Perm.INBOX_MODERATE)
@require_POST
def author_remove(request: WorkspaceRequest, entry_id: int) -> HttpResponse:
    if not services.author_entry_remove(
        workspace=request.workspace, entry_id=entry_id, actor=request.user
    ):
        raise Http404
    return HttpResponseRedirect(_rules_url(request))


@workspace_view(Perm.INBOX_MODERATE)
def saved_replies(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = SavedReplyForm()
    signature_form = SignatureForm(
        initial={"text": selectors.signatures_of(workspace=workspace).get(None, "")}
    )
    if request.method == "POST":
        if request.POST.get("delete", "").isdigit():
            services.saved_reply_delete(
                workspace=workspace, saved_id=int(request.POST["delete"]), actor=request.user
            )
            return HttpResponseRedirect(request.path)
        if "signature" in request.POST:
            signature_form = SignatureForm(request.POST)
            if signature_form.is_valid():
                services.signature_set(
                    workspace=workspace,
                    user=None,
                    text=signature_form.cleaned_data["text"],
                    actor=request.user,
                )
                messages.success(request, _("The workspace's signature is saved."))
                return HttpResponseRedirect(request.path)
        else:
            form = SavedReplyForm(request.POST)
            if form.is_valid():
                try:
                    services.saved_reply_save(
                        workspace=workspace, actor=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return HttpResponseRedirect(request.path)
    context = {
        "nav_active": "inbox",
        "saved_replies": list(selectors.saved_replies_of(workspace=workspace)),
        "form": form,
        "signature_form": signature_form,
    }
    return render(request, "inbox/saved_replies.html", context)


@workspace_view(Perm.INBOX_REPLY)
def my_signature(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    current = selectors.signatures_of(workspace=workspace).get(request.user.pk, "")
    form = SignatureForm(initial={"text": current})
    if request.method == "POST":
        form = SignatureForm(request.POST)
        if form.is_valid():
            services.signature_set(
                workspace=workspace,
                user=request.user,
                text=form.cleaned_data["text"],
                actor=request.user,
            )
            messages.success(request, _("Your signature is saved."))
            return HttpResponseRedirect(request.path)
    context = {
        "nav_active": "inbox",
        "form": form,
        "signature": services.signature_for(workspace=workspace, user=request.user),
        "required": services.signature_required(workspace),
    }
    return render(request, "inbox/signature.html", context)


@workspace_view(Perm.INBOX_MODERATE)
def business_hours(request: WorkspaceRequest) -> HttpResponse:
    """When the team answers: the response clocks count only these hours."""
    workspace = request.workspace
    hours = sla.hours_of(workspace)
    initial = {
        "weekdays": sorted(hours.weekdays),
        "opens": hours.opens,
        "closes": hours.closes,
        "skip_public_holidays": hours.skip_public_holidays,
    }
    form = BusinessHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_hours_save(
                workspace=workspace, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Business hours saved. The response clocks use them now."))
            return HttpResponseRedirect(request.path)
    context = {
        "nav_active": "inbox",
        "form": form,
        "target_hours": (sla.target_seconds(workspace) or 0) / 3600,
        "upcoming_holidays": sla.upcoming_holidays(today=timezone.localdate()),
    }
    return render(request, "inbox/business_hours.html", context)
