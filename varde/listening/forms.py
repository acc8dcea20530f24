"""Forms of the listening pages. They parse input; services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varde.listening.choices import LANGUAGE_LABELS, SOURCE_KIND_LABELS, QueryKind, SentimentLabel
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


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    url = forms.URLField(
        label=_("Address"),
        required=False,
        assume_scheme="https",
        help_text=_("The feed, server or page to read, for the kinds that need one."),
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = kinds or list(SOURCE_KIND_LABELS)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (k, SOURCE_KIND_LABELS.get(k, k)) for k in names
        ]


class RetentionForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Keep mentions for (days)"),
        min_value=1,
        max_value=3650,
        help_text=_("Older mentions are deleted every night; the daily counts are kept."),
    )


PERIODS = {"1d": dt.timedelta(days=1), "7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30)}


class StreamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
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

    def __init__(
        self,
        *args: Any,
        queries: list[ListeningQuery],
        sources: list[Source],
        languages: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
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
        return MentionFilter(
            query_id=data.get("query"),
            source_id=data.get("source"),
            language=data.get("language") or "",
            sentiment=data.get("sentiment") or "",
            author=(data.get("author") or "").strip(),
            search=(data.get("q") or "").strip(),
            since=timezone.now() - period if period else None,
        )
