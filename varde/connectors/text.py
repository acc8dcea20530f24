"""Text rules shared by connectors: grapheme counting, link finding, fingerprints.

Graphemes (user-perceived characters) are Unicode's extended grapheme clusters (UAX #29), found
with the ``regex`` package's ``\\X``, which follows the current Unicode rules: combining marks,
emoji modifiers and ZWJ sequences, flags, keycaps, Hangul syllables and Indic conjuncts. The
networks' own counting sits on top of that (``measure``): X weighs code points and emoji,
Threads counts an emoji's UTF-8 bytes. A network still on older Unicode data may count a rare
cluster (an Indic conjunct) as two where this counts one.
"""

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterator

import regex

from varde.connectors.contracts import Limits, TextCounting

_GRAPHEME = regex.compile(r"\X")
# A cluster is an emoji when it holds a pictograph, a flag's regional indicators or a keycap.
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20E3]")
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Characters that end a sentence rather than a URL.
_URL_TRAILING = ".,;:!?'\"\u00bb\u201d\u2019"


def graphemes(text: str) -> Iterator[str]:
    """Split text into user-perceived characters."""
    for match in _GRAPHEME.finditer(text):
        yield match.group()


def grapheme_count(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, url)`` for each http(s) URL, in character offsets."""
    found = []
    for match in _URL.finditer(text):
        url = match.group(0)
        url = url.rstrip(_URL_TRAILING)
        # Keep a closing parenthesis only when the URL opened one (Wikipedia links).
        while url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1].rstrip(_URL_TRAILING)
        if len(url) > len("https://"):
            found.append((match.start(), match.start() + len(url), url))
    return found


def measure(text: str, limits: Limits) -> int:
    """The length of ``text`` the way the network counts it."""
    if limits.link_length is not None:
        parts, position = [], 0
        for start, end, _url in find_urls(text):
            parts.append(text[position:start])
            parts.append("x" * limits.link_length)
            position = end
        parts.append(text[position:])
        text = "".join(parts)
    if limits.counting is TextCounting.CODEPOINTS:
        return len(text)
    if limits.counting is TextCounting.WEIGHTED:
        return weighted_length(text)
    if limits.counting is TextCounting.EMOJI_BYTES:
        return sum(
            len(cluster.encode("utf-8")) if _is_emoji_cluster(cluster) else len(cluster)
            for cluster in graphemes(text)
        )
    return grapheme_count(text)


# A cut backs off to the last space when one is this close to the fold, so a word is not split.
_WORD_BACKOFF = 20


def feed_excerpt(
    text: str, *, graphemes_max: int | None, words_max: int | None
) -> tuple[str, bool]:
    """What a feed shows of ``text`` before its "more" link, and whether it cut anything.

    ``words_max`` is WordPress's excerpt (``wp_trim_words``: whitespace collapsed, the first
    words joined by single spaces). ``graphemes_max`` is a feed's fold in characters as people
    see them, at the last space before it when one is near, so a word is not split.
    """
    if words_max is not None:
        words = text.split()
        return " ".join(words[:words_max]), len(words) > words_max
    clusters = list(graphemes(text))
    if graphemes_max is None or len(clusters) <= graphemes_max:
        return text, False
    head = clusters[:graphemes_max]
    if not clusters[graphemes_max].isspace():
        spaces = [i for i, cluster in enumerate(head) if cluster.isspace()]
        if spaces and spaces[-1] >= graphemes_max - _WORD_BACKOFF:
            head = head[: spaces[-1]]
    return "".join(head).rstrip(), True


# twitter-text 3 (config/v3.json): these code point ranges weigh 1, all others 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def _is_emoji_cluster(cluster: str) -> bool:
    return _EMOJI.search(cluster) is not None


def weighted_length(text: str) -> int:
    """X's weighted length: NFC text; an emoji sequence counts 2, any other code point 1
    when it lies in a light range and 2 otherwise. Emoji are told by Unicode's
    Extended_Pictographic property rather than twitter-text's list, which it contains, so a
    count errs on the high side (a pictograph without emoji presentation, such as ©, counts
    2 here)."""
    total = 0
    for cluster in graphemes(unicodedata.normalize("NFC", text)):
        if _is_emoji_cluster(cluster):
            total += 2
            continue
        for char in cluster:
            cp = ord(char)
            total += 1 if any(low <= cp <= high for low, high in _LIGHT_RANGES) else 2
    return total


_WHITESPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)


def normalize(text: str) -> str:
    """Text reduced to what survives every network's formatting: NFC, casefolded,
    whitespace collapsed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def fingerprint(text: str) -> str:
    """A stable digest of a post's text, used to recognise it on the network later."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def html_to_text(markup: str) -> str:
    """Plain text from the simple HTML that Mastodon and WordPress return.

    Only for comparing and showing untrusted text as text; never render the result as HTML.
    """
    return html.unescape(_TAG.sub("", _BREAK.sub(" ", markup)))
