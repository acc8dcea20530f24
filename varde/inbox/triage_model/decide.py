"""From signals to one class and its reason: the first rule that holds decides.

Reasons are written in the active language (``triage.judge`` turns on the workspace's), name
the words or patterns the rules found and the model's scores, and fit the item's 300 characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from varde.inbox.choices import TriageClass
from varde.inbox.triage import Verdict
from varde.inbox.triage_model import rules

if TYPE_CHECKING:
    from varde.inbox.triage_model.model import Scores

#: Spam needs this much evidence: two of a link, a promotion word, a phone number (a long run
#: of one character counts half).
SPAM_MIN = 2.0
#: A complaint that also has offensive words is offensive (and so may be hidden) only when the
#: model is this sure; otherwise it stays a complaint, which is never hidden.
OFFENSIVE_OVER_COMPLAINT = 0.95
#: A question this negative is a complaint ("Hvorfor kommer aldri pakken?").
QUESTION_NEGATIVE = 0.75
# Sentiment alone (no words of the lists) decides by listening's label, whose neutral cut-off
# was chosen on the val/dev splits: a further floor here only lowered the figures on them
# (docs/inbox.md).


@dataclass(frozen=True, slots=True)
class Signals:
    text: str
    scores: Scores
    question: rules.Hit
    lead: rules.Hit
    complaint: rules.Hit
    praise: rules.Hit
    spam: rules.Hit


def _sentiment_score(s: Signals, label: str) -> str:
    value = getattr(s.scores.sentiment, label)
    return _("%(tier)s %(score).2f") % {"tier": _tier(s.scores.tier), "score": value}


def _tier(tier: str) -> str:
    return _("model") if tier == "model" else _("word list")


def _spam_evidence(words: tuple[str, ...]) -> str:
    named = {
        "link": _("a link"),
        "phone number": _("a phone number"),
        "repeated characters": _("repeated characters"),
    }
    parts = []
    for word in words:
        if word in named:
            parts.append(named[word])
        elif word.endswith(" links"):
            parts.append(_("%(n)s links") % {"n": word.split()[0]})
        else:
            parts.append(f"'{word}'")
    return ", ".join(parts)


def _spam(s: Signals) -> Verdict | None:
    if s.spam.score < SPAM_MIN:
        return None
    return Verdict(
        TriageClass.SPAM, _("spam: %(evidence)s") % {"evidence": _spam_evidence(s.spam.evidence)}
    )


def _offensive_reason(s: Signals) -> str:
    if s.scores.tier == "model":
        reason = _("offensive: model %(score).2f") % {"score": s.scores.offensive}
    else:
        reason = _("offensive: word list %(score).2f") % {"score": s.scores.offensive}
    if s.scores.words:
        reason += "; " + _("words %(words)s") % {"words": rules.quoted(s.scores.words)}
    return reason


def _offensive(s: Signals) -> Verdict | None:
    if not s.scores.flagged:
        return None
    if s.complaint and s.scores.offensive < OFFENSIVE_OVER_COMPLAINT:
        return None  # criticism with a swear word: a complaint, decided below
    return Verdict(TriageClass.OFFENSIVE, _offensive_reason(s))


def _complaint_words(s: Signals) -> Verdict | None:
    if not s.complaint:
        return None
    reason = _("complaint: %(words)s") % {"words": rules.quoted(s.complaint.evidence)}
    if s.scores.flagged:
        reason += "; " + _("offensive %(score).2f too") % {"score": s.scores.offensive}
    return Verdict(TriageClass.COMPLAINT, reason)


def _lead(s: Signals) -> Verdict | None:
    if not s.lead:
        return None
    reason = _("buying intent: %(words)s") % {"words": rules.quoted(s.lead.evidence)}
    if s.question:
        reason += "; " + _("asks")
    return Verdict(TriageClass.LEAD, reason)


def _question_evidence(s: Signals) -> str:
    parts = []
    for word in s.question.evidence:
        if word == "?":
            ends = s.text.rstrip().endswith("?")
            parts.append(_("ends with '?'") if ends else _("has a '?'"))
        elif word.startswith("^"):
            parts.append(_("starts with '%(word)s'") % {"word": word[1:]})
        else:
            parts.append(_("says '%(words)s'") % {"words": word})
    return _(" and ").join(parts)


def _question(s: Signals) -> Verdict | None:
    if not s.question:
        return None
    if s.scores.sentiment.negative >= QUESTION_NEGATIVE:
        return Verdict(
            TriageClass.COMPLAINT,
            _("complaint: a question, negative %(score)s")
            % {"score": _sentiment_score(s, "negative")},
        )
    return Verdict(
        TriageClass.QUESTION,
        _("asks a question: %(evidence)s") % {"evidence": _question_evidence(s)},
    )


def _negative(s: Signals) -> Verdict | None:
    sentiment = s.scores.sentiment
    if sentiment.label != "negative":
        return None
    return Verdict(
        TriageClass.COMPLAINT,
        _("complaint: negative sentiment, %(score)s") % {"score": _sentiment_score(s, "negative")},
    )


def _praise(s: Signals) -> Verdict | None:
    sentiment = s.scores.sentiment
    if s.praise and sentiment.label != "negative":
        return Verdict(
            TriageClass.PRAISE, _("praise: %(words)s") % {"words": rules.quoted(s.praise.evidence)}
        )
    if sentiment.label == "positive":
        return Verdict(
            TriageClass.PRAISE,
            _("praise: positive sentiment, %(score)s") % {"score": _sentiment_score(s, "positive")},
        )
    return None


RULES: tuple[Callable[[Signals], Verdict | None], ...] = (
    _spam,
    _offensive,
    _complaint_words,
    _lead,
    _question,
    _negative,
    _praise,
)


def signals(text: str, scores: Scores) -> Signals:
    return Signals(
        text,
        scores,
        question=rules.question(text),
        lead=rules.lead(text),
        complaint=rules.complaint(text),
        praise=rules.praise(text),
        spam=rules.spam(text),
    )


def verdict(text: str, scores: Scores) -> Verdict:
    """The class of one text and why."""
    s = signals(text, scores)
    for rule in RULES:
        found = rule(s)
        if found is not None:
            return Verdict(
                found.triage_class, found.reason[:300], sentiment=str(scores.sentiment.label)
            )
    return Verdict(
        TriageClass.OTHER,
        _("other: no question, complaint, praise, buying intent, spam or offensive words found"),
        sentiment=str(scores.sentiment.label),
    )
