"""The query language where a person meets it: the pages, the messages and any post's text.

``varde/listening/tests/test_query_properties.py`` holds the language's own properties (the
parser and validator never raise, the automaton equals evaluation). These add what stood
between them and a 500: every problem has a message in both languages that its numbers fill
without error, a query over arbitrary Unicode posts answers, and the pages that check, test
and save a query answer anything typed, a refused query saving nothing.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security.corpus import PAYLOADS
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.listening.models import ListeningQuery
from varde.listening.query import Document, DocumentView, compile_queries, holds
from varde.listening.query.limits import MAX_QUERY_LENGTH
from varde.listening.query.messages import problem_message
from varde.listening.query.validator import check
from varde.listening.tests.test_query_properties import QUERIES, QUERY_CHARS

TYPED = st.one_of(
    QUERIES,
    st.text(QUERY_CHARS, max_size=80),
    st.text(max_size=80),
    st.sampled_from(PAYLOADS),
    st.just("(" * 500 + "a" + ")" * 500),
    st.just("a OR " * 400 + "b"),
    st.just("x" * (MAX_QUERY_LENGTH + 5)),
)
ANY_POST = st.builds(
    Document,
    text=st.text(max_size=200),
    lang=st.text(max_size=5),
    author=st.text(max_size=20),
    site=st.text(max_size=20),
    source=st.text(max_size=10),
)
THROUGH_THE_PAGE = settings(max_examples=max(10, settings.default.max_examples // 2))


@given(text=TYPED)
def test_every_problem_reads_as_a_sentence_in_both_languages(text):
    for language in ("en", "nb"):
        with translation.override(language):
            for problem in check(text).problems:
                assert problem_message(problem).strip()


@given(queries=st.lists(QUERIES, min_size=1, max_size=4), post=ANY_POST)
def test_valid_queries_answer_any_unicode_post_the_same_both_ways(queries, post):
    """The language's own test feeds posts made of its words; a network sends anything."""
    checked = [(number, check(text)) for number, text in enumerate(queries)]
    valid = [(number, found.node) for number, found in checked if found.ok]
    matcher = compile_queries((number, queries[number]) for number, _ in valid)
    view = DocumentView(post)
    assert matcher.match(post) == [number for number, node in valid if holds(node, view)]


@pytest.fixture
def listener(db):
    workspace = WorkspaceFactory(slug="shop", language="en")
    return workspace, member(workspace, Role.OWNER)


@THROUGH_THE_PAGE
@given(text=TYPED)
def test_the_query_pages_answer_anything_typed_and_a_refused_query_saves_nothing(
    text, listener, client
):
    workspace, owner = listener
    client.force_login(owner)
    base = f"/w/{workspace.slug}/listening/queries"
    for page in ("check", "test"):
        assert client.post(f"{base}/{page}/", {"text": text}).status_code == 200
    saved = ListeningQuery.objects.count()
    response = client.post(f"{base}/new/", {"name": "Typed", "text": text, "kind": "brand"})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # the form again, with the problem: nothing saved
        assert ListeningQuery.objects.count() == saved


@pytest.mark.parametrize("typed", ["\u0301", '"\u0301"', "#\u0301", "kaffe OR \u0301"])
def test_a_word_of_only_combining_marks_is_refused_not_a_500(typed, listener, client):
    """Found by the property above with the "thorough" profile: the test page crashed, the
    pre-filter given an empty word to look for."""
    workspace, owner = listener
    client.force_login(owner)
    assert not check(typed).ok
    response = client.post(f"/w/{workspace.slug}/listening/queries/test/", {"text": typed})
    assert response.status_code == 200
