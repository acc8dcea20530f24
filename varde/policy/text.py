"""Reading a post's text the way the rules need it: words, phrases and hashtags.

Matching is on whole words, case-insensitive, after Unicode NFC normalisation, so "Æ", "Ø" and
"Å" (and "æ" typed as "a" + combining ring, as some phones do for "å") match as a reader sees
them. Python's ``\\w`` is Unicode-aware, so "blåbær" is one word and "#blåbær" one hashtag.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A hashtag starts after a non-word character (or at the start) and runs over word characters,
# at least one of them a letter: "#1 i Bergen" and "#2025" are not hashtags on the networks.
HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")
URL = re.compile(r"https?://\S+")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normal_tag(tag: str) -> str:
    """How a hashtag is stored and compared: no "#", lower case, NFC."""
    return normalise(tag).strip().lstrip("#").casefold()


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in normalise(phrase).split()]
    # Whole words only: no word character right before or right after the phrase. Any run of
    # spaces or line breaks between the words of a phrase counts.
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def find_phrase(text: str, phrase: str) -> re.Match[str] | None:
    if not phrase.strip():
        return None
    return _phrase_pattern(phrase.strip()).search(normalise(text))


def hashtags_in(text: str) -> list[str]:
    """The hashtags of a text, normalised, in order, each once."""
    seen: dict[str, None] = {}
    for match in HASHTAG.finditer(normalise(URL.sub(" ", text))):
        seen.setdefault(normal_tag(match.group(1)), None)
    return list(seen)
