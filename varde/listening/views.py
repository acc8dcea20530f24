"""Listening's pages: the mention stream, the charts, queries (with the live validator and
the test panel), sources with their health, and retention."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.lib.htmx import is_htmx
from varde.listening import chart_page, charts, selectors, services
from varde.listening.choices import (
    LANGUAGE_LABELS,
    AlertKind,
    AlertSensitivity,
    source_kind_labels,
)
from varde.listening.forms import (
    CsvUploadForm,
    QueryForm,
    RetentionForm,
    SourceForm,
    StreamFilterForm,
)
from varde.listening.query import check
from varde.listening.query.limits import MAX_QUERY_LENGTH
from varde.listening.query.messages import problem_message
from varde.listening.query.problems import Severity
from varde.listening.services.alert_delivery import NOTIFICATION_KIND, crisis_for, is_negative
from varde.listening.sources import csv_import
from varde.listening.sources.base import HEALTH_FIELDS, SourceError
from varde.notifications import selectors as notification_selectors

PAGE_SIZE = 50
TEST_LAST = 1000


def _base(request: WorkspaceRequest, **context: Any) -> dict[str, Any]:
    role = request.membership.role
    return {
        "nav_active": "listening",
        "can_edit": role_can(role, Perm.LISTENING_EDIT),
        "can_manage": role_can(role, Perm.LISTENING_MANAGE),
        **context,
    }


# --- The mention stream -----------------------------------------------------------------------


def _before(value: str) -> tuple[dt.datetime, int] | None:
    moment_text, _sep, id_text = value.rpartition("_")
    moment = parse_datetime(moment_text) if moment_text else None
    if moment is None or not id_text.isdigit():
        return None
    return moment, int(id_text)


@workspace_view(Perm.LISTENING_VIEW)
def stream(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = StreamFilterForm(
        request.GET or None,
        queries=list(selectors.query_list(workspace=workspace)),
        sources=list(selectors.source_list(workspace=workspace)),
        languages=selectors.mention_languages(workspace=workspace),
        zone=workspace.timezone,
    )
    mentions = selectors.mentions_filtered(workspace=workspace, wanted=form.wanted())
    page, following = selectors.mentions_page(
        mentions, before=_before(request.GET.get("before", "")), size=PAGE_SIZE
    )
    matched = selectors.matched_queries(workspace=workspace, mention_ids=[m.pk for m in page])
    rows = [
        {
            "mention": mention,
            "queries": [m.name for m in matched.get(mention.pk, [])],
            "spans": [span for m in matched.get(mention.pk, []) for span in m.spans],
        }
        for mention in page
    ]
    next_query = ""
    if following is not None:
        params = request.GET.copy()
        params["before"] = f"{following[0].isoformat()}_{following[1]}"
        next_query = params.urlencode()
    context = _base(
        request,
        form=form,
        rows=rows,
        next_query=next_query,
        filtered=bool(request.GET),
        languages=LANGUAGE_LABELS,
        has_queries=selectors.query_list(workspace=workspace).exists(),
        sandbox=selectors.has_sandbox_mentions(workspace=workspace),
    )
    return render(request, "listening/stream.html", context)


@workspace_view(Perm.LISTENING_VIEW)
def volume(request: WorkspaceRequest) -> HttpResponse:
    """The charts: volume and sentiment over time, share of voice, and the top words,
    hashtags, authors and sources of the filter, each mark a link to its mentions."""
    workspace = request.workspace
    queries = list(selectors.query_list(workspace=workspace))
    sources = list(selectors.source_list(workspace=workspace))
    form = StreamFilterForm(
        request.GET or None,
        queries=queries,
        sources=sources,
        languages=list(LANGUAGE_LABELS),
        zone=workspace.timezone,
    )
    data = form.cleaned_data if form.is_valid() else {}
    window = chart_page.window_for(
        data.get("period") or "", zone=workspace.timezone, now=timezone.now()
    )
    context = _base(
        request,
        form=form,
        window=window,
        sandbox=selectors.has_sandbox_mentions(workspace=workspace),
        **_chart_context(request, queries, sources, form, window),
    )
    return render(request, "listening/volume.html", context)


def _chart_context(
    request: WorkspaceRequest,
    queries: list[Any],
    sources: list[Any],
    form: StreamFilterForm,
    window: chart_page.Window,
) -> dict[str, Any]:
    workspace = request.workspace
    wanted = form.wanted()
    links = chart_page.links_for(workspace.slug, form.cleaned_data if form.is_valid() else {})
    if window.hourly:
        buckets = selectors.hourly_buckets(
            workspace=workspace, since=window.since, until=window.until
        )
    else:
        buckets = selectors.daily_buckets(
            workspace=workspace, since=window.first_day, until=window.last_day
        )
    shown = [q for q in queries if wanted.query_id in {None, q.pk}]
    kept = [b for b in buckets if _bucket_wanted(b, wanted)]
    slots = chart_page.slots_of(kept, window, workspace.timezone)
    nb = (get_language() or "").startswith("nb")
    volume_rows = chart_page.volume_rows(slots, shown, links)
    sentiment_rows = chart_page.sentiment_rows(slots, links)
    shares = chart_page.share_of_voice(buckets, queries, links, window)
    tops = selectors.mention_tops(
        workspace=workspace,
        wanted=replace(wanted, since=wanted.since or window.since),
        leave_out=[q.text for q in queries],
    )
    return {
        "queries": shown,
        "slots": slots,
        "volume_spec": charts.volume_chart(volume_rows, hourly=window.hourly, nb=nb)
        if volume_rows
        else None,
        "volume_table": _volume_table(slots, shown, links),
        "sentiment_spec": charts.sentiment_chart(
            sentiment_rows,
            hourly=window.hourly,
            nb=nb,
            labels=chart_page.sentiment_labels(),
            span=(slots[0].at, slots[-1].at),
        )
        if sentiment_rows
        else None,
        "sentiment_table": _sentiment_table(slots, links),
        "sentiment_names": list(chart_page.sentiment_labels().values()),
        "shares": shares,
        "share_spec": charts.bar_chart(
            chart_page.share_rows(shares), value="share", description=_("Share of voice")
        )
        if shares
        else None,
        "tops": tops,
        "top_lists": chart_page.top_lists(tops, sources, links),
        "tops_sample": selectors.TOPS_SAMPLE,
    }


def _bucket_wanted(bucket: selectors.Bucket, wanted: selectors.MentionFilter) -> bool:
    if wanted.query_id is not None and bucket.query_id != wanted.query_id:
        return False
    if wanted.sentiment == selectors.NO_SENTIMENT:
        return bucket.sentiment == ""
    return not wanted.sentiment or bucket.sentiment == wanted.sentiment


def _volume_table(
    slots: list[chart_page.Slot], queries: list[Any], links: chart_page.Links
) -> list[dict[str, Any]]:
    return [
        {
            "slot": slot,
            "cells": [
                (
                    slot.per_query.get(q.pk, 0),
                    links.to(query=q.pk, day=slot.day.isoformat(), hour=slot.hour),
                )
                for q in queries
            ],
            "total": sum(slot.per_query.values()),
        }
        for slot in reversed(slots)
    ]


def _sentiment_table(slots: list[chart_page.Slot], links: chart_page.Links) -> list[dict[str, Any]]:
    return [
        {
            "slot": slot,
            "cells": [
                (
                    slot.per_sentiment.get(value, 0),
                    links.to(
                        sentiment=value or selectors.NO_SENTIMENT,
                        day=slot.day.isoformat(),
                        hour=slot.hour,
                    ),
                )
                for value in chart_page.sentiment_labels()
            ],
        }
        for slot in reversed(slots)
    ]


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name or "UTC")


# --- Queries ----------------------------------------------------------------------------------


@workspace_view(Perm.LISTENING_VIEW)
def query_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    since = timezone.localdate(timezone=_zone(workspace.timezone)) - dt.timedelta(days=6)
    counts = selectors.mention_counts(workspace=workspace, since=since)
    queries = [
        {"query": query, "week": counts.get(query.pk, 0)}
        for query in selectors.query_list(workspace=workspace)
    ]
    return render(request, "listening/queries.html", _base(request, queries=queries))


def _query_form_page(request: WorkspaceRequest, form: QueryForm, query: Any = None) -> HttpResponse:
    text = form["text"].value() or ""
    context = _base(
        request,
        form=form,
        query=query,
        problems=_problems(str(text)) if text else [],
        max_length=MAX_QUERY_LENGTH,
    )
    return render(request, "listening/query_form.html", context)


@workspace_view(Perm.LISTENING_EDIT)
def query_new(request: WorkspaceRequest) -> HttpResponse:
    form = QueryForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.query_create(
                workspace=request.workspace,
                name=form.cleaned_data["name"],
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                active=form.cleaned_data["active"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Query saved. New mentions it matches will show up."))
            return redirect("listening:queries", workspace=request.workspace.slug)
    return _query_form_page(request, form)


@workspace_view(Perm.LISTENING_EDIT)
def query_edit(request: WorkspaceRequest, query_id: int) -> HttpResponse:
    query = selectors.query_get(workspace=request.workspace, query_id=query_id)
    if query is None:
        raise Http404
    initial = {"name": query.name, "text": query.text, "kind": query.kind, "active": query.active}
    form = QueryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.query_update(query=query, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Query saved."))
            return redirect("listening:queries", workspace=request.workspace.slug)
    return _query_form_page(request, form, query)


@workspace_view(Perm.LISTENING_EDIT)
@require_POST
def query_delete(request: WorkspaceRequest, query_id: int) -> HttpResponse:
    query = selectors.query_get(workspace=request.workspace, query_id=query_id)
    if query is None:
        raise Http404
    services.query_delete(query=query, actor=request.user)
    messages.success(request, _("Query deleted."))
    return redirect("listening:queries", workspace=request.workspace.slug)


def _problems(text: str) -> list[dict[str, Any]]:
    return [
        {
            "error": problem.severity is Severity.ERROR,
            "message": problem_message(problem),
            "start": problem.start,
            "end": problem.end,
            "excerpt": text[problem.start : problem.end],
        }
        for problem in check(text).problems
    ]


@workspace_view(Perm.LISTENING_VIEW)
@require_POST
def query_check(request: WorkspaceRequest) -> HttpResponse:
    """The validator, as the person types (htmx): problems in their language, with places."""
    text = request.POST.get("text", "")[: MAX_QUERY_LENGTH + 1]
    context = {"problems": _problems(text) if text.strip() else [], "checked": bool(text.strip())}
    return render(request, "listening/_problems.html", context)


@workspace_view(Perm.LISTENING_VIEW)
@require_POST
def query_test(request: WorkspaceRequest) -> HttpResponse:
    """Run the query over the last stored mentions and show what it would have matched."""
    text = request.POST.get("text", "")[: MAX_QUERY_LENGTH + 1]
    result = (
        selectors.query_test(workspace=request.workspace, text=text, last=TEST_LAST)
        if text.strip()
        else None
    )
    context = {
        "result": result,
        "problems": [problem_message(p) for p in result.problems] if result else [],
        "shown": result.hits[:PAGE_SIZE] if result else [],
    }
    return render(request, "listening/_test.html", context)


@workspace_view(Perm.LISTENING_EDIT)
@require_POST
def queries_from_plan(request: WorkspaceRequest) -> HttpResponse:
    result = services.queries_create_from_plan(workspace=request.workspace, actor=request.user)
    if result.created:
        count = len(result.created)
        messages.success(
            request,
            ngettext(
                "Created %(count)d query from the plan.",
                "Created %(count)d queries from the plan.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.success(request, _("Every item of the plan has its query already."))
    for problem in result.problems:
        messages.error(request, problem)
    return redirect("listening:queries", workspace=request.workspace.slug)


@workspace_view(Perm.LISTENING_EDIT)
@require_POST
def query_from_hashtag(request: WorkspaceRequest) -> HttpResponse:
    """One click from the composer's hashtag context: listen for a hashtag from now on."""
    try:
        query = services.query_for_hashtag(
            workspace=request.workspace, tag=request.POST.get("tag", ""), actor=request.user
        )
    except ValidationError as error:
        return HttpResponse(status=400, content=" ".join(error.messages))
    if not is_htmx(request):
        messages.success(request, _("Listening now looks for %(name)s.") % {"name": query.name})
        return redirect("listening:queries", workspace=request.workspace.slug)
    return render(request, "listening/_hashtag_query.html", {"query": query})


# --- Sources and settings ---------------------------------------------------------------------


def _kind_labels() -> dict[str, Any]:
    return source_kind_labels()


def _addable_kinds() -> dict[str, Any]:
    """The kinds the add-source form offers: every registered kind but the uploaded ones."""
    return {k: v for k, v in _kind_labels().items() if k not in services.UPLOADED_KINDS}


def error_text(code: str, detail: str) -> str:
    """A source's failure for people: the code's translated text, and the network's words."""
    if not code:
        return detail
    return SourceError(code, detail).message()


@workspace_view(Perm.LISTENING_VIEW)
def source_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    health = selectors.source_health(workspace=workspace)
    labels = _kind_labels()
    sources = [
        {
            "source": source,
            "kind_label": labels.get(source.kind, source.kind),
            "health": health.get(source.pk),
            "problem": error_text(source.error_code, source.last_error)
            if source.error_code or source.last_error
            else "",
            "figures": [
                (HEALTH_FIELDS.get(key, key), value) for key, value in (source.health or {}).items()
            ],
        }
        for source in selectors.source_list(workspace=workspace)
    ]
    context = _base(
        request,
        sources=sources,
        kinds=_addable_kinds(),
        retention=RetentionForm(
            initial={
                "retention_days": selectors.retention_days(workspace=workspace),
                "alert_sensitivity": selectors.alert_sensitivity(workspace=workspace),
            }
        ),
        csv_form=CsvUploadForm(),
    )
    return render(request, "listening/sources.html", context)


def _source_form(kind: str, data: Any = None) -> SourceForm:
    return SourceForm(
        data,
        kind=kind,
        keys=services.source_form_keys(kind),
        sensitive=services.source_sensitive_keys(kind),
        required=services.source_required_keys(kind),
    )


@workspace_view(Perm.LISTENING_MANAGE)
def source_add(request: WorkspaceRequest) -> HttpResponse:
    """GET ``?kind=``: that kind's settings; POST: add the source."""
    kind = (request.POST.get("kind") or request.GET.get("kind") or "").strip()
    kinds = _addable_kinds()
    if kind not in kinds:
        raise Http404
    form = _source_form(kind, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_create(
                workspace=request.workspace,
                kind=kind,
                name=form.cleaned_data["name"],
                config=form.config(),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Source added. Varde reads it within a minute."))
            return redirect("listening:sources", workspace=request.workspace.slug)
    context = _base(request, form=form, kind=kind, kind_label=kinds[kind])
    return render(request, "listening/source_form.html", context)


@workspace_view(Perm.LISTENING_MANAGE)
@require_POST
def csv_upload(request: WorkspaceRequest) -> HttpResponse:
    """Read the uploaded file and show what it holds; nothing is imported yet."""
    form = CsvUploadForm(request.POST, request.FILES)
    preview = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > csv_import.MAX_BYTES:
            form.add_error("file", _("The file is too large (at most 20 MB)."))
        else:
            try:
                preview = services.csv_import_prepare(
                    workspace=request.workspace,
                    data=upload.read(),
                    name=form.cleaned_data["name"] or upload.name,
                    filename=upload.name,
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
    context = _base(request, form=form, preview=preview, languages=LANGUAGE_LABELS)
    return render(request, "listening/csv_import.html", context)


def _csv_source(request: WorkspaceRequest, source_id: int) -> Any:
    source = selectors.source_get(workspace=request.workspace, source_id=source_id)
    if source is None or source.kind not in services.UPLOADED_KINDS:
        raise Http404
    return source


@workspace_view(Perm.LISTENING_MANAGE)
@require_POST
def csv_import_run(request: WorkspaceRequest, source_id: int) -> HttpResponse:
    source = _csv_source(request, source_id)
    outcome = services.csv_import_run(source=source, actor=request.user)
    if not outcome.ok:
        messages.error(
            request,
            _("Nothing was imported: %(problem)s Fix the file and upload it again.")
            % {"problem": error_text(outcome.error_code, outcome.error)},
        )
    elif outcome.not_modified:
        messages.success(request, _("This file was imported before; nothing new was added."))
    else:
        messages.success(
            request,
            _(
                "Imported: %(read)d rows read, %(stored)d mentions kept (those that match a "
                "query), %(duplicates)d already known."
            )
            % {"read": outcome.read, "stored": outcome.stored, "duplicates": outcome.duplicates},
        )
    return redirect("listening:sources", workspace=request.workspace.slug)


@workspace_view(Perm.LISTENING_MANAGE)
@require_POST
def source_toggle(request: WorkspaceRequest, source_id: int) -> HttpResponse:
    source = selectors.source_get(workspace=request.workspace, source_id=source_id)
    if source is None:
        raise Http404
    services.source_set_enabled(source=source, enabled=not source.enabled, actor=request.user)
    return redirect("listening:sources", workspace=request.workspace.slug)


@workspace_view(Perm.LISTENING_MANAGE)
@require_POST
def source_delete(request: WorkspaceRequest, source_id: int) -> HttpResponse:
    source = selectors.source_get(workspace=request.workspace, source_id=source_id)
    if source is None:
        raise Http404
    services.source_delete(source=source, actor=request.user)
    messages.success(request, _("Source removed. The mentions read from it are kept."))
    return redirect("listening:sources", workspace=request.workspace.slug)


@workspace_view(Perm.LISTENING_MANAGE)
@require_POST
def retention(request: WorkspaceRequest) -> HttpResponse:
    form = RetentionForm(request.POST)
    if form.is_valid():
        services.listening_settings_update(
            workspace=request.workspace,
            retention_days=form.cleaned_data["retention_days"],
            alert_sensitivity=form.cleaned_data["alert_sensitivity"] or None,
            actor=request.user,
        )
        messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("listening:sources", workspace=request.workspace.slug)


# --- Alerts -----------------------------------------------------------------------------------


@workspace_view(Perm.LISTENING_VIEW)
def alert_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    alerts = selectors.alert_list(workspace=workspace, limit=100)
    mention_ids = {i for alert in alerts for i in alert.why.get("mentions", [])}
    posts = selectors.mentions_by_id(workspace=workspace, ids=mention_ids)
    crisis = crisis_for(workspace) if any(is_negative(a) for a in alerts) else None
    rows = [
        {
            "alert": alert,
            "posts": [posts[i] for i in alert.why.get("mentions", []) if i in posts],
            "terms": alert.why.get("terms", []),
            "authors": alert.why.get("authors", []),
            "share": alert.kind == AlertKind.NEGATIVE,
            "crisis": crisis if is_negative(alert) else None,
        }
        for alert in alerts
    ]
    context = _base(
        request,
        rows=rows,
        sensitivity=AlertSensitivity(selectors.alert_sensitivity(workspace=workspace)).label,
        webhook=notification_selectors.webhook_endpoint(
            workspace=workspace, kind=NOTIFICATION_KIND
        ),
        webhook_last=next(
            iter(
                notification_selectors.webhook_deliveries(
                    workspace=workspace, kind=NOTIFICATION_KIND, limit=1
                )
            ),
            None,
        ),
        webhook_url=reverse(
            "notifications:webhook",
            kwargs={"workspace": workspace.slug, "notification_kind": NOTIFICATION_KIND},
        ),
    )
    return render(request, "listening/alerts.html", context)
