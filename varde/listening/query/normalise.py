"""How text is folded and cut into words — the one definition queries and documents share.

Matching is only as good as the agreement between how a query's words and a post's words are
normalised, so both sides go through `fold` and `tokenise` here and nowhere else.

Rules (docs/listening.md states them for users):
- Unicode NFC first, so a decomposed "a" + ring is the letter "å".
- Case-insensitive by full case folding (`str.casefold`: "Straße" → "strasse").
- Diacritics are removed ("kafé" → "kafe", "München" → "munchen"), EXCEPT æ, ø and å, which are
  letters of the Norwegian alphabet, not accented vowels: "blå" stays "blå" and never equals
  "bla".
- `fold` works character by character (no context), so folding a whole text and folding each
  of its words give the same letters; the matcher relies on that to search the folded text with
  one automaton and still agree with the word-by-word evaluation.
- A word is a run of letters, digits, underscores and combining marks; everything else
  (spaces, punctuation, hyphens, apostrophes, dots) is a boundary: "e-post" is two words.
- `#tag` and `@handle` are single tokens when the sign does not follow a letter ("C#" and
  "post@firma.no" are not tags or handles). A handle may hold dots and hyphens between word
  parts and one more `@server` part ("@ola.bsky.social", "@ola@mastodon.social").
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

_KEPT_LETTERS = frozenset("æøåÆØÅ")
_COMBINING = range(0x0300, 0x0370)
# The Latin blocks where accented letters live (Latin-1 Supplement to IPA Extensions, and
# Latin Extended Additional for Vietnamese and Welsh).
_LATIN_RANGES = (range(0x00C0, 0x02B0), range(0x1E00, 0x1F00))


def _build_fold_table() -> dict[int, str | None]:
    """Map each accented Latin letter to its base letter and drop combining marks."""
    table: dict[int, str | None] = dict.fromkeys(_COMBINING)
    for block in _LATIN_RANGES:
        for code in block:
            char = chr(code)
            if char in _KEPT_LETTERS:
                continue
            base = "".join(
                part
                for part in unicodedata.normalize("NFD", char)
                if not unicodedata.combining(part)
            )
            if base and base != char:
                table[code] = base
    return table


_FOLD_TABLE = _build_fold_table()


def _character_class(codes: list[int]) -> re.Pattern[str]:
    """A regex class for these code points, written as ranges."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]")


# str.translate goes character by character in Python objects outside ASCII; a regex finds the
# rare characters in the table (in C) and only those are replaced.
_IN_FOLD_TABLE = _character_class(list(_FOLD_TABLE))
_FOLDED_CHAR = {chr(code): base or "" for code, base in _FOLD_TABLE.items()}
_MARKS = frozenset(map(chr, _COMBINING))


def nfc(text: str) -> str:
    """The composed form; ASCII and already-composed text (nearly all) pass through cheaply."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Case- and diacritic-folded text (æøå kept); expects NFC text, see `nfc`."""
    if text.isascii():
        return text.lower()
    return fold_casefolded(text.casefold())


def fold_casefolded(text: str) -> str:
    """`fold`'s second step for text already case-folded: diacritics away, æøå kept."""
    if text.isascii():
        return text
    return _IN_FOLD_TABLE.sub(_fold_char, text)


def _fold_char(found: re.Match[str]) -> str:
    return _FOLDED_CHAR[found.group()]


def fold_marking(text: str) -> tuple[str, bool]:
    """`fold_casefolded`, and whether a combining mark was among what it removed."""
    marks = False

    def replace(found: re.Match[str]) -> str:
        nonlocal marks
        char = found.group()
        marks = marks or char in _MARKS
        return _FOLDED_CHAR[char]

    return _IN_FOLD_TABLE.sub(replace, text), marks


class TokenKind(StrEnum):
    WORD = "word"
    HASHTAG = "hashtag"
    HANDLE = "handle"


_W = r"[\w\u0300-\u036f]"
_HANDLE_PART = rf"{_W}+(?:[.\-]{_W}+)*"
TOKEN_PATTERN = re.compile(
    rf"(?<!{_W})#(?P<hashtag>{_W}+)"
    rf"|(?<!{_W})@(?P<handle>{_HANDLE_PART}(?:@{_HANDLE_PART})?)"
    rf"|(?P<word>{_W}+)"
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its folded value (without # or @) and where it stood.

    `start`/`end` are character offsets into the NFC form of the text, which is the text itself
    for nearly every input; they let the UI underline what matched.
    """

    kind: TokenKind
    value: str
    start: int
    end: int


def tokenise(text: str) -> list[Token]:
    """Cut NFC text into tokens in reading order; the index in the list is the word position."""
    tokens = []
    for found in TOKEN_PATTERN.finditer(text):
        kind = TokenKind(found.lastgroup or "word")
        tokens.append(Token(kind, _fold_word(found.group(kind.value)), found.start(), found.end()))
    return tokens


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """Words repeat a lot across posts; caching their folded form saves most of the work."""
    return sys.intern(fold(word))
