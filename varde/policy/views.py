"""The live check for the composer, the hashtag confirmation, and the rules page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.channels import selectors as channel_selectors
from varde.content import selectors as content_selectors
from varde.content.choices import MediaKind
from varde.lib.htmx import is_htmx
from varde.policy import rules_summary, selectors, services
from varde.policy.draft import Draft, draft_from_form, draft_from_json
from varde.policy.forms import GuardSettingsForm
from varde.policy.guard import GuardReport, guard_check_draft
from varde.strategy.guidance import PHASES

if TYPE_CHECKING:
    from varde.accounts.models import User


def _author(request: WorkspaceRequest, draft: Draft) -> User | None:
    """The post's author when an existing post is edited (an editor fixing a contributor's
    post is checked as the contributor would be at send time), else the person writing."""
    if draft.post_id is None:
        return request.user
    post = content_selectors.posts_in(workspace=request.workspace).filter(pk=draft.post_id).first()
    return post.author if post is not None else request.user


def _image_alt_texts(request: WorkspaceRequest, draft: Draft) -> list[str]:
    """The alt texts of images only: videos need none. Without media ids every entry counts."""
    if not draft.media_ids or len(draft.media_ids) != len(draft.alt_texts):
        return draft.alt_texts
    videos = set(
        content_selectors.media_in(workspace=request.workspace)
        .filter(pk__in=draft.media_ids)
        .exclude(kind=MediaKind.IMAGE)
        .values_list("pk", flat=True)
    )
    return [
        alt
        for media_id, alt in zip(draft.media_ids, draft.alt_texts, strict=True)
        if media_id not in videos
    ]


def _check(request: WorkspaceRequest, draft: Draft) -> GuardReport:
    return guard_check_draft(
        workspace=request.workspace,
        author=_author(request, draft),
        text=draft.text,
        channel_ids=draft.channel_ids,
        variants=draft.variants,
        is_paid=draft.is_paid,
        media_alt_texts=_image_alt_texts(request, draft),
        thread=draft.thread,
        first_comment=draft.first_comment,
    )


def _findings(
    request: WorkspaceRequest, draft: Draft, report: GuardReport, *, note: str = ""
) -> HttpResponse:
    labels = dict(
        channel_selectors.channels_in(workspace=request.workspace)
        .filter(pk__in=draft.channel_ids)
        .values_list("pk", "label")
    )
    context: dict[str, Any] = {
        "report": report,
        "findings": [
            {"finding": f, "channel": labels.get(f.channel_id) if f.channel_id else None}
            for f in report.findings
        ],
        "draft_json": draft.to_json(),
        "confirmed_note": note,
    }
    return render(request, "policy/_findings.html", context)


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def check(request: WorkspaceRequest) -> HttpResponse:
    draft = draft_from_form(request.POST, workspace=request.workspace)
    return _findings(request, draft, _check(request, draft))


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def hashtag_confirm(request: WorkspaceRequest) -> HttpResponse:
    # The findings partial prefixes its fields, so they do not clash with a composer form
    # it sits in; the form on the rules page uses the plain names.
    tag = request.POST.get("policy_tag") or request.POST.get("tag", "")
    note = request.POST.get("policy_note") or request.POST.get("note", "")
    try:
        confirmation = services.hashtag_confirm(
            workspace=request.workspace, tag=tag, actor=request.user, note=note
        )
    except ValidationError as error:
        if is_htmx(request):
            return HttpResponse(" ".join(error.messages), status=400)
        messages.error(request, " ".join(error.messages))
        return redirect("policy:rules", workspace=request.workspace.slug)
    done = _("#%(tag)s is confirmed for this workspace.") % {"tag": confirmation.tag}
    draft = draft_from_json(request.POST.get("policy_draft", ""))
    if is_htmx(request) and draft is not None:
        return _findings(request, draft, _check(request, draft), note=done)
    messages.success(request, done)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)  # the review queue's "confirm" fix
    return redirect("policy:rules", workspace=request.workspace.slug)


@workspace_view(Perm.STRATEGY_EDIT)
@require_POST
def hashtag_forget(request: WorkspaceRequest) -> HttpResponse:
    tag = request.POST.get("tag", "")
    if services.hashtag_forget(workspace=request.workspace, tag=tag, actor=request.user):
        messages.success(
            request,
            _("#%(tag)s must be checked again the next time someone uses it.")
            % {"tag": tag.lstrip("#")},
        )
    return redirect("policy:rules", workspace=request.workspace.slug)


@workspace_view(Perm.STRATEGY_VIEW)
def rules(request: WorkspaceRequest) -> HttpResponse:
    settings = selectors.guard_settings_for(request.workspace)
    can_edit = role_can(request.membership.role, Perm.STRATEGY_EDIT)
    form = GuardSettingsForm(instance=settings) if can_edit else None
    return _rules_page(request, form)


def _rules_page(request: WorkspaceRequest, form: GuardSettingsForm | None) -> HttpResponse:
    workspace = request.workspace
    context = {
        "summary": rules_summary.summarise(workspace),
        "form": form,
        "can_edit": role_can(request.membership.role, Perm.STRATEGY_EDIT),
        "can_confirm": role_can(request.membership.role, Perm.CONTENT_DRAFT),
        "confirmed": selectors.confirmed_hashtag_list(workspace),
        "nav_active": "strategy",
        "phases_nav": PHASES,
    }
    return render(request, "policy/rules.html", context)


@workspace_view(Perm.STRATEGY_EDIT)
@require_POST
def settings_save(request: WorkspaceRequest) -> HttpResponse:
    saved_new_hashtag = selectors.guard_settings_for(request.workspace).new_hashtag
    form = GuardSettingsForm(request.POST, instance=selectors.guard_settings_for(request.workspace))
    if not form.is_valid():
        messages.error(request, _("The settings were not saved. Correct the fields marked below."))
        return _rules_page(request, form)
    data = form.cleaned_data
    services.guard_settings_save(
        workspace=request.workspace,
        actor=request.user,
        signature=data["signature"],
        alt_text_required=data["alt_text_required"],
        avoided_hashtag_blocks=data["avoided_hashtag_blocks"],
        new_hashtag=data.get("new_hashtag") or saved_new_hashtag,
        extra_disclosure_words=data["extra_disclosure_words"],
    )
    messages.success(request, _("The publishing rules are saved."))
    return redirect("policy:rules", workspace=request.workspace.slug)
