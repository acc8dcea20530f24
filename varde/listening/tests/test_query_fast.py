"""The matcher's fast path (query/fast.py and the batch fold in matcher.py) against the reference.

- Folding keeps every character's kind, which lets the fast path cut the folded text into the
  same words as the tokeniser cuts the original: checked for every code point.
- `match_many` over a batch returns what `holds` says for each post, on posts made to try
  handles, hashtags, marks, text not in NFC and the batch separator.
"""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varde.listening.query import Document, DocumentView, compile_queries, holds
from varde.listening.query.normalise import fold, nfc
from varde.listening.query.validator import check

SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
_WORD = re.compile(r"[\w\u0300-\u036f]")
_SIGNS = "#@.-"


def test_folding_keeps_each_characters_kind():
    """Outside combining marks: a word character folds to word characters only, anything else
    to no word character and no new #, @, . or -; those four stay themselves."""
    wrong = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or 0x0300 <= code <= 0x036F or nfc(char) != char:
            continue
        folded = fold(char)
        is_word = _WORD.match(char) is not None
        kinds = [_WORD.match(part) is not None for part in folded]
        if char in _SIGNS:
            ok = folded == char
        elif is_word:
            ok = bool(folded) and all(kinds)
        else:
            ok = not any(kinds) and not any(part in _SIGNS for part in folded)
        if not ok:
            wrong.append(char)
    assert wrong == []


QUERIES = [
    "nike",
    "#nike",
    "@nike",
    "@ola.bsky.social",
    "ola",
    "bsky",
    "social",
    "nik*",
    "#nik*",
    "olav?",
    "kaf?e",
    '"nike sko"',
    '"ola bsky"',
    "e-post",
    "nike NEAR/1 sko",
    "nike NEAR/0f sko",
    "(nike OR #sko) NEAR/2 (ola OR @ola)",
    '"nike sko" NEAR/1 kaffe',
    "kafe AND -blå",
    "blå OR bla",
    "lang:no nike",
    "øle*",
    "straße",
    "istanbul",
]
PIECES = [
    *["nike", "Nike", "NIKE", "sko", "ola", "@ola", "@ola.bsky.social", "@ola@mastodon.social"],
    *["#nike", "#Nike", "C#nike", "x@ola", "##nike", "@nike.", "@nike-", "nike.sko", "Kaffe"],
    *["kafé", "kafe\u0301", "KAFÉ", "blå", "bla", "øl", "Øl", "ØLET", "STRASSE", "Straße"],
    *["İstanbul", "e-post", "e", "post", "\u0301", "\x00", "ﬁne", "Å", "A\u030a"],
]
DOCUMENTS = st.builds(
    Document,
    text=st.tuples(
        st.lists(
            st.one_of(st.sampled_from(PIECES), st.sampled_from(PIECES), st.text(max_size=3)),
            max_size=12,
        ),
        st.sampled_from([" ", " ", "", "-", ".", "@", "#", "\u0301", "\n"]),
    ).map(lambda parts: parts[1].join(parts[0])),
    lang=st.sampled_from(["", "no", "en"]),
)


@SETTINGS
@given(
    st.lists(st.sampled_from(QUERIES), min_size=1, max_size=8, unique=True),
    st.lists(DOCUMENTS, max_size=10),
)
def test_a_batch_matches_like_the_reference(queries, documents):
    assert all(check(text).ok for text in queries)
    matcher = compile_queries(enumerate(queries))
    nodes = [check(text).node for text in queries]
    expected = [
        [number for number, node in enumerate(nodes) if holds(node, DocumentView(document))]
        for document in documents
    ]
    assert matcher.match_many(documents) == expected
    assert [matcher.match(document) for document in documents] == expected


def test_text_not_in_nfc_and_the_separator_are_folded_one_by_one():
    matcher = compile_queries([(1, "kåre"), (2, "nike")])
    decomposed = unicodedata.normalize("NFD", "Kåre")
    documents = [Document(decomposed), Document("nike\x00sko"), Document("nike")]
    assert matcher.match_many(documents) == [[1], [2], [2]]
