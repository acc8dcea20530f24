"""The transparent part of triage: hand-written word lists and patterns, bokmål and English.

Each detector answers a :class:`Hit` — how strong the signal is and the words or patterns
that made it — so the reason shown to a person names exactly what the classifier saw. The
lists are kept short and specific: a word here must mean the class in almost any inbox
(docs/inbox.md, "Triage", lists them and the known misses).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hit:
    score: float = 0.0
    evidence: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.score > 0


def normalise(text: str) -> str:
    """Lower case, NFC, typographic apostrophes straightened, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'")
    return " ".join(text.split())


def _phrases(words: str) -> re.Pattern[str]:
    """One pattern for a ``|``-separated list of phrases, matched as whole words; a phrase
    ending in ``*`` also matches longer words (``bestill*``: bestille, bestiller)."""
    parts = []
    for phrase in sorted((p.strip() for p in words.split("|") if p.strip()), key=len, reverse=True):
        stem = phrase.endswith("*")
        body = re.escape(phrase.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body + (r"\w*" if stem else ""))
    return re.compile(r"(?<![\w@#])(?:" + "|".join(parts) + r")(?!\w)")


def _found(pattern: re.Pattern[str], text: str, limit: int = 3) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))[:limit]


# --- Questions --------------------------------------------------------------------------------

QUESTION_WORDS = (
    "hvordan|hva|hvor|hvorfor|når|hvem|hvilken|hvilke|hvilket|hvor mye|hvor mange|"
    "how|what|where|why|when|who|which|whom|whose"
)
# Words that open a yes/no question; they count only when a '?' is there too ("Kan ikke vente!").
QUESTION_OPENERS = (
    "kan|kunne|har|er|vil|skal|går|finnes|fins|blir|må|bør|gjør|"
    "can|could|would|will|do|does|did|is|are|was|were|have|has|should|may|any|anyone"
)
QUESTION_PHRASES = (
    "lurer på|noen som vet|vet noen|kan dere si|kan dere hjelpe|kan noen|si ifra om|"
    "i wonder|wondering|anyone know|does anyone|can you tell|could you tell|can you help|"
    "please advise|let me know if"
)
# Handles and a greeting may come first: "@varde Hei! Hvordan …".
_LEAD_IN = r"^(?:@\w+\s+)*(?:(?:hei|hallo|heisann|hi|hello|hey|god morgen|good morning)[\s,!.]+)?"
_QUESTION_START = re.compile(_LEAD_IN + r"(" + QUESTION_WORDS + r")(?!\w)")
_OPENER_START = re.compile(_LEAD_IN + r"(" + QUESTION_OPENERS + r")(?!\w)")
_QUESTION_PHRASE = _phrases(QUESTION_PHRASES)


def question(text: str) -> Hit:
    """'?' in the text, a question word first, or a phrase that asks; a yes/no opener ("kan",
    "do") counts only together with a '?'. Evidence: ``"?"``, ``"^word"`` for the first word,
    else the phrase."""
    t = normalise(text)
    evidence: list[str] = []
    score = 0.0
    if "?" in t:
        score += 1.0
        evidence.append("?")
    start = _QUESTION_START.match(t)
    if start and len(t.split()) >= 3:
        score += 1.0
        evidence.append("^" + start.group(1))
    elif score and (opener := _OPENER_START.match(t)):
        evidence.append("^" + opener.group(1))
    found = _found(_QUESTION_PHRASE, t, 2)
    if found:
        score += 1.0
        evidence.extend(found)
    return Hit(score, tuple(evidence))


# --- Leads: buying intent ---------------------------------------------------------------------

LEAD_PHRASES = (
    # bokmål
    "pris|prisen|priser|prisene|prisliste|pristilbud|hva koster|koster det|hvor mye koster|"
    "kostnad|kostnaden|bestille|bestiller|forhåndsbestille|kjøpe|kjøper|vil kjøpe|kan jeg kjøpe|"
    "tilbud|tilbudet|et tilbud|rabatt|rabattkode|på lager|leverer dere|sender dere|"
    "frakt til|levering til|sende til|kan jeg få|er det mulig å få|interessert i|interessert|"
    "demo|prøveperiode|gratis prøve|abonnement|abonnere|booke|bestille time|reservere|"
    "åpningstider|lagerstatus|i salg|forhandler|forhandlere|"
    # English
    "price|prices|pricing|how much|cost|costs|quote|a quote|buy|purchase|order one|"
    "like to order|want to order|how do i order|can i order|how do i pay|how can i pay|"
    "place an order|pre-order|preorder|do you ship|ship to|shipping to|deliver to|delivery to|"
    "in stock|available in|discount|coupon|interested in|sign up|subscription|subscribe|"
    "trial|book a|booking|where can i get|where can i buy|wholesale|reseller|retailer"
)
_LEAD = _phrases(LEAD_PHRASES)


def lead(text: str) -> Hit:
    found = _found(_LEAD, normalise(text))
    return Hit(float(len(found)), found)


# --- Complaints -------------------------------------------------------------------------------

COMPLAINT_PHRASES = (
    # bokmål
    "fungerer ikke|virker ikke|funker ikke|funka ikke|ikke fornøyd|misfornøyd|skuffet|"
    "skuffende|skuffelse|elendig|elendige|dårlig service|dårlig kundeservice|dårlig kvalitet|"
    "ødelagt|i stykker|gikk i stykker|venter fortsatt|venter enda|fortsatt ikke|enda ikke|"
    "har ikke kommet|kom aldri|ikke kommet|ikke fått|aldri fått|ikke mottatt|refusjon|"
    "pengene tilbake|pengene mine|klage|klager på|reklamasjon|reklamere|forsinket|forsinkelse|"
    "ingen svar|får ikke svar|ikke svart|svarer ikke|uakseptabelt|frekk|frekke|treg|tregt|"
    "katastrofe|skandale|svindel|lurt|belastet to ganger|trukket to ganger|feil vare|feil på|"
    "forferdelig|forferdelige|håpløst|håpløs|sur|irritert|irriterende|aldri igjen|"
    "kansellert|kansellere|avbestille|si opp|ingen svarer|ingen hjalp|dårlig opplevelse|har ventet|"
    # English
    "doesn't work|does not work|not working|won't work|stopped working|broken|disappointed|"
    "disappointing|terrible|awful|horrible|worst|still waiting|never arrived|hasn't arrived|"
    "has not arrived|not arrived|never received|not received|haven't received|refund|"
    "money back|complaint|complain|unacceptable|poor service|bad service|customer service|"
    "rip off|ripoff|ripped off|scam|scammed|delayed|no response|no reply|charged twice|"
    "wrong item|damaged|faulty|defective|useless|rude|never again|fix this|fix it|slow|"
    "cancel my|cancelled|canceled|nobody answers|no one answers|nobody helped|been waiting"
)
_COMPLAINT = _phrases(COMPLAINT_PHRASES)


def complaint(text: str) -> Hit:
    found = _found(_COMPLAINT, normalise(text))
    return Hit(float(len(found)), found)


# --- Praise -----------------------------------------------------------------------------------

PRAISE_PHRASES = (
    # bokmål
    "takk|tusen takk|takker|elsker|digg|herlig|herlige|fantastisk|fantastiske|supert|superbra|"
    "kjempebra|kjempefornøyd|fornøyd|strålende|nydelig|nydelige|flott|flotte|glimrende|"
    "anbefales|anbefaler|godt jobba|bra jobba|godt jobbet|bra jobbet|gratulerer|imponert|"
    "perfekt|favoritt|beste|rått|kult|"
    # English
    "thanks|thank you|thx|love|loved|loving|great|awesome|amazing|excellent|perfect|"
    "fantastic|wonderful|brilliant|best|recommend|well done|good job|great job|kudos|"
    "congrats|congratulations|impressed|beautiful|lovely|superb|nice|bravo"
)
_PRAISE = _phrases(PRAISE_PHRASES)
_PRAISE_EMOJI = re.compile(
    "[\u2764\U0001f60d\U0001f970\U0001f44f\U0001f64c\U0001f929\U0001f44d\u2b50\U0001f31f]"
)


def praise(text: str) -> Hit:
    t = normalise(text)
    found = _found(_PRAISE, t) + tuple(dict.fromkeys(_PRAISE_EMOJI.findall(t)))[:2]
    return Hit(float(len(found)), found)


# --- Spam -------------------------------------------------------------------------------------

_LINK = re.compile(
    r"https?://\S+|www\.\S+"
    r"|\b[\w-]+\.(?:com|net|org|io|xyz|ly|me|top|click|site|shop|info|biz|no|example)\b\S*"
)
SPAM_PHRASES = (
    # bokmål
    "gratis|vinn|vinner|vinne|klikk her|klikk på lenken|sjekk profilen min|sjekk bioen|"
    "følg meg|følg tilbake|send meg dm|send meg en melding|tjen penger|tjene penger|"
    "jobb hjemmefra|ekstra inntekt|gevinst|premie|kjøp følgere|send dm|dm nå|"
    # English
    "free|win|winner|giveaway|click|click here|click the link|earn|from home|link in bio|"
    "check my profile|"
    "check out my|visit my|follow me|follow back|follow for follow|f4f|dm me|message me|"
    "earn money|make money|earn \\$|work from home|passive income|investment opportunity|"
    "buy followers|get followers|promo code|limited offer|act now|100% guaranteed|"
    "crypto|bitcoin|btc|ethereum|usdt|nft|forex|binary options|casino|betting|"
    "onlyfans|whatsapp|telegram|sugar daddy|hot singles"
)
_SPAM = _phrases(SPAM_PHRASES)
_REPEATED = re.compile(r"(\S)\1{5,}")
_PHONE = re.compile(r"\+\d[\d\s-]{7,}\d")


def spam(text: str) -> Hit:
    """Links, promotion words, phone numbers and long runs of one character; a spam verdict
    needs two of them (a link alone is a person sharing a link)."""
    t = normalise(text)
    evidence: list[str] = []
    score = 0.0
    links = _LINK.findall(t)
    if links:
        score += 1.0
        evidence.append("link" if len(links) == 1 else f"{len(links)} links")
    found = _found(_SPAM, t)
    score += len(found)
    evidence.extend(found)
    if _PHONE.search(t):
        score += 1.0
        evidence.append("phone number")
    if _REPEATED.search(t):
        score += 0.5
        evidence.append("repeated characters")
    return Hit(score, tuple(evidence))


def quoted(words: Iterable[str]) -> str:
    """``'a', 'b'`` for a reason."""
    return ", ".join(f"'{w}'" for w in words)
