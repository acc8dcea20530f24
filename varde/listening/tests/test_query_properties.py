"""Properties that must hold for any input, checked by Hypothesis on generated queries and posts.

- The parser and validator never raise: anything a user types comes back as Problems.
- Folding works character by character, which the matcher relies on (it folds a whole post
  once for the automaton but compares folded words).
- The automaton path (`Matcher.match`) returns exactly what evaluating every query on the post
  (`holds`) returns: the anchors are a pre-filter that never drops a true match.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varde.listening.query import Document, DocumentView, compile_queries, holds
from varde.listening.query.anchors import anchors
from varde.listening.query.normalise import fold, nfc
from varde.listening.query.validator import check, validate

SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

QUERY_CHARS = st.sampled_from(list('abcæøå Åé()"*?#@-:/ANDORTNE0123456789,.!\t\n\u0301'))
WORDS = ["nike", "adidas", "kaffe", "kafé", "blå", "bla", "fjellet", "varde", "øl", "the", "as"]
WILDCARDS = ["kaff*", "fjel*", "kaf?e", "blå*", "nik?", "var*e"]
SIGNED = ["#aurora", "#nike", "@varde", "@ola.bsky.social"]
PHRASES = ['"varde as"', '"kaffe på fjellet"', "e-post", '"nike sko"']
FIELDS = ["lang:no", "lang:en", "site:vg.no", "author:ola", "source:bluesky"]
TEXT_WORDS = [
    *WORDS,
    *["Kaffe", "KAFE", "kafe", "Kaffen", "BLÅ", "Nike-sko", "sko", "på", "e", "post", "AS"],
    *["#Aurora", "#NIKE", "@Varde", "@ola.bsky.social", "aurora", "vg.no", ",", "!", "...", "og"],
]


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda ab: f"({ab[0]} OR {ab[1]})"),
        pair.map(lambda ab: f"{ab[0]} AND {ab[1]}"),
        pair.map(lambda ab: f"{ab[0]} {ab[1]}"),
        pair.map(lambda ab: f"{ab[0]} -({ab[1]})"),
        children.map(lambda a: f"NOT ({a})"),
        st.tuples(children, children, st.integers(0, 4), st.booleans()).map(
            lambda t: f"({t[0]}) NEAR/{t[2]}{'f' if t[3] else ''} ({t[1]})"
        ),
    )


LEAVES = st.sampled_from(WORDS + WILDCARDS + SIGNED + PHRASES + FIELDS)
QUERIES = st.recursive(LEAVES, _combine, max_leaves=6)
DOCUMENTS = st.builds(
    Document,
    # Mostly the queries' own words in many spellings, with some arbitrary Unicode between them
    # to try the word-boundary rules of the pre-filter.
    text=st.tuples(
        st.lists(
            st.one_of(
                st.sampled_from(TEXT_WORDS), st.sampled_from(TEXT_WORDS), st.text(max_size=4)
            ),
            max_size=14,
        ),
        st.sampled_from([" ", " ", "", "-", "\u0301"]),
    ).map(lambda parts: parts[1].join(parts[0])),
    lang=st.sampled_from(["", "no", "nb", "nn", "en", "sv"]),
    author=st.sampled_from(["", "ola", "@Ola", "kari"]),
    site=st.sampled_from(["", "vg.no", "www.vg.no", "nrk.no"]),
    source=st.sampled_from(["", "bluesky", "rss"]),
)


@SETTINGS
@given(st.text(QUERY_CHARS, max_size=60))
def test_the_validator_never_raises_and_positions_are_in_the_text(text):
    for found in validate(text):
        assert 0 <= found.start <= found.end <= len(text)


@SETTINGS
@given(st.text(max_size=40))
def test_any_unicode_gives_problems_not_exceptions(text):
    validate(text)


@SETTINGS
@given(st.text(max_size=30), st.text(max_size=30))
def test_folding_is_character_by_character(left, right):
    assert fold(left + right) == fold(left) + fold(right)


@SETTINGS
@given(st.lists(QUERIES, min_size=1, max_size=12), st.lists(DOCUMENTS, min_size=1, max_size=8))
def test_the_automaton_path_equals_evaluating_every_query(queries, documents):
    checked = [(number, check(text)) for number, text in enumerate(queries)]
    valid = [(number, found.node) for number, found in checked if found.ok]
    matcher = compile_queries((number, queries[number]) for number, _ in valid)
    for document in documents:
        view = DocumentView(document)
        expected = [number for number, node in valid if holds(node, view)]
        assert matcher.match(document) == expected


@SETTINGS
@given(QUERIES, DOCUMENTS)
def test_a_match_always_contains_one_of_the_query_anchors(query, document):
    checked = check(query)
    if not checked.ok or checked.node is None:
        return
    needed = anchors(checked.node)
    if needed is not None and holds(checked.node, DocumentView(document)):
        folded = fold(nfc(document.text))
        assert any(all(anchor.literal in folded for anchor in option) for option in needed)
