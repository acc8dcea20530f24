"""Text rules shared by connectors: grapheme counting, link finding, fingerprints.

Grapheme counting follows the parts of Unicode's extended grapheme cluster rules (UAX #29)
that matter for posts: combining marks, emoji modifiers and ZWJ sequences, variation
selectors, flags and Hangul syllables. Python's standard library has no segmenter and the
project takes no dependency for it; where the rules here are simplified (the Prepend class,
Indic conjuncts) a count can only be higher than the network's, never lower, so a post we
accept is never too long.
"""

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterator

from varde.connectors.contracts import Limits, TextCounting

_ZWJ = 0x200D
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Characters that end a sentence rather than a URL.
_URL_TRAILING = ".,;:!?'\"\u00bb\u201d\u2019"


def _is_extend(cp: int, category: str) -> bool:
    return (
        category in {"Mn", "Me", "Mc"}
        or cp == _ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
        or 0xE0100 <= cp <= 0xE01EF
    )


def _is_pictographic(cp: int) -> bool:
    # An approximation of Extended_Pictographic wide enough for emoji in posts.
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2190 <= cp <= 0x21FF
        or 0x2300 <= cp <= 0x23FF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in {0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D}
    )


def _is_regional_indicator(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def _hangul_kind(cp: int) -> str | None:
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97F:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return None


_HANGUL_JOINS = {
    "L": {"L", "V", "LV", "LVT"},
    "LV": {"V", "T"},
    "V": {"V", "T"},
    "LVT": {"T"},
    "T": {"T"},
}


def _joins(cluster: str, current: str, regional_run: int) -> bool:
    previous = cluster[-1]
    prev_cp, cp = ord(previous), ord(current)
    if previous == "\r" and current == "\n":
        return True
    if previous in "\r\n" or current in "\r\n":
        return False
    if _is_extend(cp, unicodedata.category(current)):
        return True
    if prev_cp == _ZWJ and _is_pictographic(cp) and _is_pictographic(ord(cluster[0])):
        # Emoji ZWJ sequences: family, profession, rainbow flag.
        return True
    if _is_regional_indicator(prev_cp) and _is_regional_indicator(cp):
        return regional_run % 2 == 1
    prev_kind, kind = _hangul_kind(prev_cp), _hangul_kind(cp)
    return prev_kind is not None and kind is not None and kind in _HANGUL_JOINS[prev_kind]


def graphemes(text: str) -> Iterator[str]:
    """Split text into user-perceived characters."""
    cluster = ""
    regional_run = 0
    for char in text:
        if cluster and not _joins(cluster, char, regional_run):
            yield cluster
            cluster = ""
        regional_run = regional_run + 1 if _is_regional_indicator(ord(char)) else 0
        cluster += char
    if cluster:
        yield cluster


def grapheme_count(text: str) -> int:
    return sum(1 for _ in graphemes(text))


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


# twitter-text 3 (config/v3.json): these code point ranges weigh 1, all others 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def _is_emoji_cluster(cluster: str) -> bool:
    return any(_is_pictographic(ord(c)) or _is_regional_indicator(ord(c)) for c in cluster)


def weighted_length(text: str) -> int:
    """X's weighted length: NFC text; an emoji sequence counts 2, any other code point 1
    when it lies in a light range and 2 otherwise. Approximates twitter-text's emoji
    list with the pictographic ranges above, so a count errs on the high side."""
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
