"""Made-up posts about the workspace's brand and its competitors, so a newcomer and the demo
see listening work before any real source is added. Labelled as sandbox data wherever shown
(``source_kind`` "sandbox", ``extra["sandbox"]``).

The stream is a pure function of the brand and time: time is cut into slots
(``3600 / per_hour`` seconds), each slot holds at most one post drawn from a generator seeded by
the brand and the slot's number, and the cursor is the last slot handed out. A restart neither
loses nor repeats, and the first read fills ``backfill_hours`` of history. The app passes the
brand (the workspace's name) and the competitors (from the plan) at read time.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from varde.listening.sources.base import Batch, FoundItem, SourceError, required
from varde.listening.sources.registry import register

KIND = "sandbox"
MAX_PER_READ = 2000
DEFAULT_PER_HOUR = 12
DEFAULT_BACKFILL_HOURS = 72
_SENTENCE_START = re.compile(r"([.!?]\s+)(\w)")

# (language, tone) → templates; {b} is the brand or a competitor, {d} a detail, {p} a place.
_TEMPLATES: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("nb", "positive"): (
        "Må bare si at {b} leverte {d} i dag. Veldig fornøyd! {p}",
        "Takk til {b} for {d} – sånn skal det gjøres {p}",
        "Prøvde {b} for første gang {p}, og {d} var over all forventning.",
        "Anbefaler {b} på det varmeste. {d} sitter som et skudd.",
        "Endelig en aktør som skjønner det: {b} og {d} 👏",
    ),
    ("nb", "neutral"): (
        "Noen som har erfaring med {b}? Lurer på {d} før jeg bestemmer meg.",
        "Leste om {b} i avisa i dag, noe om {d}.",
        "Sammenligner {b} med andre nå. Hvordan er {d} hos dem? {p}",
        "Så at {b} har endret {d}. Blir spennende å se {p}.",
    ),
    ("nb", "negative"): (
        "Skuffet over {b} i dag. {d} var rett og slett dårlig {p}.",
        "Har ventet i en evighet på svar fra {b} om {d}. Ikke greit.",
        "Hva skjer med {b}? {d} har blitt mye verre i det siste.",
        "Dårlig opplevelse med {b} {p}. {d} fungerte ikke i det hele tatt.",
    ),
    ("en", "positive"): (
        "Really impressed with {b} today, {d} was spot on {p}.",
        "Shout-out to {b} for {d}. This is how it should be done!",
        "Tried {b} for the first time {p} and {d} exceeded my expectations.",
        "Can't recommend {b} enough, {d} is excellent.",
    ),
    ("en", "neutral"): (
        "Anyone here used {b}? Curious about {d} before I decide.",
        "Read an article about {b} this morning, something about {d}.",
        "Comparing {b} with the alternatives {p}. How is {d} for you?",
    ),
    ("en", "negative"): (
        "Disappointed with {b}, {d} was poor {p}.",
        "Still waiting for {b} to answer about {d}. Not good enough.",
        "What happened to {b}? {d} has got much worse lately.",
    ),
}
_DETAILS = {
    "nb": ("kundeservicen", "leveringen", "prisen", "kvaliteten", "appen", "nettsiden",
           "det nye tilbudet", "svartiden", "betjeningen", "produktet"),
    "en": ("customer service", "the delivery", "the price", "the quality", "the app",
           "the website", "the new offer", "response time", "the staff", "the product"),
}  # fmt: skip
_PLACES = {
    "nb": ("i Oslo", "i Bergen", "i Trondheim", "i Tromsø", "på Lillehammer", "i går",
           "denne uka", "i helga", "i morges", ""),
    "en": ("in Oslo", "in Bergen", "this week", "over the weekend", "this morning",
           "yesterday", "on my trip to Norway", ""),
}  # fmt: skip
_PEOPLE = (
    ("Kari Nordmann", "kari.n"), ("Ola Hansen", "olahansen"), ("Ingrid Berg", "ingridb"),
    ("Lars Johansen", "larsj"), ("Sofie Larsen", "sofiel"), ("Emma Wilson", "emmaw"),
    ("Jonas Dahl", "jonasdahl"), ("Nora Haugen", "norahaugen"), ("Tom Baker", "tbaker"),
    ("Maja Pedersen", "majap"), ("Erik Solberg", "eriksol"), ("Amina Ali", "aminaali"),
)  # fmt: skip
_TONES = (("positive", 0.45), ("neutral", 0.35), ("negative", 0.20))


def _number(config: Mapping[str, str], key: str, default: int, *, low: int, high: int) -> int:
    value = config.get(key, "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise SourceError("bad_config", f"{key} must be a whole number from {low} to {high}")
    return int(value)


def sandbox_post(brand: str, competitors: list[str], slot: int, seconds: float) -> FoundItem | None:
    """The post of one slot, or None when the slot is quiet (about one in four)."""
    rng = random.Random(f"{brand}\n{slot}")  # noqa: S311 - made-up posts, not secrets
    if rng.random() < 0.25:
        return None
    subject = brand if not competitors or rng.random() < 0.6 else rng.choice(competitors)
    lang = "nb" if rng.random() < 0.6 else "en"
    tone = rng.choices([t for t, _w in _TONES], weights=[w for _t, w in _TONES])[0]
    template = rng.choice(_TEMPLATES[(lang, tone)])
    text = template.format(b=subject, d=rng.choice(_DETAILS[lang]), p=rng.choice(_PLACES[lang]))
    text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    if rng.random() < 0.2:
        text += " #" + "".join(ch for ch in subject.title() if ch.isalnum())
    name, handle = rng.choice(_PEOPLE)
    published = datetime.fromtimestamp((slot + rng.random()) * seconds, tz=UTC)
    return FoundItem(
        source_kind=KIND,
        external_id=f"sandbox:{slot}",
        url="",
        author_name=name,
        author_handle=handle,
        text=" ".join(text.split()),
        lang=lang,
        published_at=published,
        site="",
        extra={"sandbox": "yes", "tone": tone},
    )


@register
class SandboxSource:
    kind: ClassVar[str] = KIND
    label: ClassVar[Any] = _("Sandbox (made-up posts about the brand, for trying Varde)")
    config_keys: ClassVar[tuple[str, ...]] = ("per_hour", "backfill_hours")
    # Filled in by the app at every read from the workspace and its plan, never stored.
    runtime_keys: ClassVar[frozenset[str]] = frozenset({"brand", "competitors"})

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        brand = required(config, "brand")
        competitors = [c.strip() for c in config.get("competitors", "").splitlines() if c.strip()]
        per_hour = _number(config, "per_hour", DEFAULT_PER_HOUR, low=1, high=600)
        backfill = _number(config, "backfill_hours", DEFAULT_BACKFILL_HOURS, low=0, high=24 * 30)
        seconds = 3600 / per_hour
        last_complete = int(time.time() // seconds) - 1
        if cursor and cursor.lstrip("-").isdigit():
            start = int(cursor) + 1
        else:
            start = last_complete - backfill * per_hour + 1
        end = min(last_complete, start + MAX_PER_READ - 1)
        if end < start:
            return Batch(items=[], cursor=None)
        found = (sandbox_post(brand, competitors, slot, seconds) for slot in range(start, end + 1))
        items = [item for item in found if item is not None]
        health = {"more": "yes"} if end < last_complete else {}
        return Batch(items=items, cursor=str(end), health=health)
