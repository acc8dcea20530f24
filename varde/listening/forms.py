"""Forms of the listening pages. They parse input; services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varde.listening.choices import LANGUAGE_LABELS, AlertSensitivity, QueryKind, SentimentLabel
from varde.listening.query.limits import MAX_QUERY_LENGTH
from varde.listening.selectors import NO_SENTIMENT, MentionFilter

if TYPE_CHECKING:
    from varde.listening.models import ListeningQuery, Source


class QueryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    text = forms.CharField(
        label=_("Query"),
        max_length=MAX_QUERY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            'Words to look for, joined by AND, OR and NOT; "phrases" in quotation marks; '
            "kaff* for every word that starts with kaff; #hashtag, @handle, lang:no, site:vg.no."
        ),
    )
    kind = forms.ChoiceField(label=_("What it follows"), choices=QueryKind.choices)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


# What each setting of a source is called on the form; a kind's keys come from the registry.
CONFIG_LABELS: dict[str, tuple[Any, Any]] = {
    "url": (_("Address"), _("The feed, stream or server to read, starting with https://.")),
    "server": (_("Server"), _("The Mastodon server, e.g. https://mastodon.social.")),
    "hashtag": (_("Hashtag"), _("Without #. Empty: the server's public timeline.")),
    "local": (_("Only this server's posts"), _("Write yes to leave out other servers' posts.")),
    "token": (_("Access token"), _("Optional; some servers require one. Stored encrypted.")),
    "dids": (_("Only these accounts"), _("DIDs separated by commas; empty: everyone.")),
    "query": (_("Search words"), _("What to search for on the network.")),
    "tags": (_("Kinds of items"), _("Hacker News tags; empty: stories and comments.")),
    "subreddit": (_("Subreddit"), _("Instead of a search: every new post in this subreddit.")),
    "client_id": (_("Client id"), _("From the Reddit app you created (reddit.com/prefs/apps).")),
    "client_secret": (_("Client secret"), _("Of the same Reddit app. Stored encrypted.")),
    "username": (_("Reddit user name"), _("Who made the app; Reddit asks for it.")),
    "per_hour": (_("Posts per hour"), _("How many made-up posts an hour, at most (12 if empty).")),
    "backfill_hours": (
        _("Hours of history"),
        _("How far back the first read starts (72 if empty)."),
    ),
}


class SourceForm(forms.Form):
    """The settings of one kind of source: its ``config_keys`` from the registry, less what the
    app fills in itself. Secret settings are password fields, never shown back."""

    kind = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=120, required=False)

    def __init__(self, *args: Any, kind: str, keys: tuple[str, ...],
                 sensitive: frozenset[str], required: frozenset[str] = frozenset(),
                 **kwargs: Any) -> None:  # fmt: skip
        kwargs["initial"] = {"kind": kind, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.config_keys = keys
        for key in keys:
            label, help_text = CONFIG_LABELS.get(key, (key, ""))
            widget: forms.Widget = (
                forms.PasswordInput(render_value=False) if key in sensitive else forms.TextInput()
            )
            self.fields[f"config_{key}"] = forms.CharField(
                label=label,
                help_text=help_text,
                required=key in required,
                max_length=2000,
                widget=widget,
            )

    def config(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"config_{key}", "") for key in self.config_keys}


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV export from another listening tool or a spreadsheet: a header line, then one "
            "mention a row. Text and date columns are needed; URL, author, language and id are "
            "read when present."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)


class RetentionForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Keep mentions for (days)"),
        min_value=1,
        max_value=3650,
        help_text=_("Older mentions are deleted every night; the daily counts are kept."),
    )
    alert_sensitivity = forms.ChoiceField(
        label=_("Alert sensitivity"),
        choices=AlertSensitivity.choices,
        required=False,
        help_text=_(
            "How far above its usual level a query's volume, or its share of negative "
            "mentions, must go before Varde raises an alert."
        ),
    )


PERIODS = {"1d": dt.timedelta(days=1), "7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30)}


class StreamFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            'Every word must occur; "two words" in quotes for a phrase, -word to leave out, '
            "or for either."
        ),
    )
    query = forms.TypedChoiceField(
        label=_("Query"), required=False, coerce=int, empty_value=None, choices=()
    )
    source = forms.TypedChoiceField(
        label=_("Source"), required=False, coerce=int, empty_value=None, choices=()
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=())
    sentiment = forms.ChoiceField(
        label=_("Sentiment"),
        required=False,
        choices=[
            ("", _("Any")),
            *SentimentLabel.choices,
            (NO_SENTIMENT, _("Not judged")),
        ],
    )
    author = forms.CharField(label=_("Author"), required=False, max_length=300)
    period = forms.ChoiceField(
        label=_("Time"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("1d", _("Last 24 hours")),
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
        ],
    )

    # The drill-down from a chart: one day (and hour) in the workspace's time zone.
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hour = forms.IntegerField(required=False, min_value=0, max_value=23, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        queries: list[ListeningQuery],
        sources: list[Source],
        languages: list[str],
        zone: str = "UTC",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(zone or "UTC")
        cast(forms.ChoiceField, self.fields["query"]).choices = [
            ("", _("All queries")),
            *((q.pk, q.name) for q in queries),
        ]
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("", _("All sources")),
            *((s.pk, s.name) for s in sources),
        ]
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", _("Any language")),
            *((code, LANGUAGE_LABELS.get(code, code)) for code in languages),
        ]

    def wanted(self) -> MentionFilter:
        data = self.cleaned_data if self.is_valid() else {}
        period = PERIODS.get(data.get("period") or "")
        since = timezone.now() - period if period else None
        until = None
        if data.get("day"):
            since, until = self._day_window(data["day"], data.get("hour"))
        return MentionFilter(
            query_id=data.get("query"),
            source_id=data.get("source"),
            language=data.get("language") or "",
            sentiment=data.get("sentiment") or "",
            author=(data.get("author") or "").strip(),
            search=(data.get("q") or "").strip(),
            since=since,
            until=until,
        )

    def _day_window(self, day: dt.date, hour: int | None) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of a day, or of one hour of it, in the workspace's time zone."""
        if hour is None:
            start = dt.datetime.combine(day, dt.time.min, tzinfo=self.zone)
            end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)
            return start, end
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=self.zone).astimezone(dt.UTC)
        return start, start + dt.timedelta(hours=1)
