"""The parser: what each construct of the language becomes, and that spans point at the text."""

from __future__ import annotations

import pytest

from varde.listening.query.nodes import And, Field, Near, Not, Or, Phrase, Term
from varde.listening.query.normalise import TokenKind
from varde.listening.query.parser import parse

W, TAG, AT = TokenKind.WORD, TokenKind.HASHTAG, TokenKind.HANDLE


def t(value: str, kind: TokenKind = W) -> Term:
    return Term(value, kind)


CASES = [
    ("nike", t("nike")),
    ("Nike", t("nike")),
    ("KAFÉ", t("kafe")),
    ("Blåbær", t("blåbær")),
    ("nike adidas", And((t("nike"), t("adidas")))),
    ("nike AND adidas", And((t("nike"), t("adidas")))),
    ("nike OR adidas", Or((t("nike"), t("adidas")))),
    ("a OR b OR c", Or((t("a"), t("b"), t("c")))),
    ("a b c", And((t("a"), t("b"), t("c")))),
    ("a OR b c", Or((t("a"), And((t("b"), t("c")))))),
    ("(a OR b) c", And((Or((t("a"), t("b"))), t("c")))),
    ("(a OR b) OR c", Or((Or((t("a"), t("b"))), t("c")))),
    ("NOT a", Not(t("a"))),
    ("-a", Not(t("a"))),
    ("a -b", And((t("a"), Not(t("b"))))),
    ("a NOT b", And((t("a"), Not(t("b"))))),
    ("a AND NOT (b OR c)", And((t("a"), Not(Or((t("b"), t("c"))))))),
    ('"Varde AS"', Phrase((t("varde"), t("as")))),
    ('"Varde, AS!"', Phrase((t("varde"), t("as")))),
    ("e-post", Phrase((t("e"), t("post")))),
    ("vg.no", Phrase((t("vg"), t("no")))),
    ("a NEAR/3 b", Near(t("a"), t("b"), 3)),
    ("a NEAR/3f b", Near(t("a"), t("b"), 3, ordered=True)),
    ("a NEAR/2 (b OR c)", Near(t("a"), Or((t("b"), t("c"))), 2)),
    ('"x y" NEAR/1 z', Near(Phrase((t("x"), t("y"))), t("z"), 1)),
    ("a NEAR/2 b NEAR/3 c", Near(Near(t("a"), t("b"), 2), t("c"), 3)),
    ("a NEAR/2 b c", And((Near(t("a"), t("b"), 2), t("c")))),
    ("kaff*", t("kaff*")),
    ("organi?ation", t("organi?ation")),
    ("#Aurora", t("aurora", TAG)),
    ("#auro*", t("auro*", TAG)),
    ("@Ola.bsky.social", t("ola.bsky.social", AT)),
    ("@ola@mastodon.social", t("ola@mastodon.social", AT)),
    ("lang:no", Field("lang", "no")),
    ("LANG:NO", Field("lang", "NO")),
    ('author:"Ola Nordmann"', Field("author", "Ola Nordmann")),
    ("site:vg.no nike", And((Field("site", "vg.no"), t("nike")))),
    ("source:bluesky", Field("source", "bluesky")),
    ("ANDROID NEARBY ORDER NOTE", And((t("android"), t("nearby"), t("order"), t("note")))),
    ("and", t("and")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_parses_to(text, expected):
    parsed = parse(text)
    assert parsed.node == expected
    assert all(not found.is_error for found in parsed.problems)


def test_spans_point_at_the_query_text():
    text = 'nike OR "Varde AS" NEAR/2f #aurora'
    node = parse(text).node
    assert isinstance(node, Or)
    nike, near = node.operands
    assert text[slice(*nike.span)] == "nike"
    assert isinstance(near, Near)
    assert text[slice(*near.left.span)] == '"Varde AS"'
    assert text[slice(*near.right.span)] == "#aurora"


def test_brackets_mark_a_group_and_stop_flattening():
    node = parse("(a b) c").node
    assert isinstance(node, And)
    assert len(node.operands) == 2
    assert node.operands[0].bracketed


def test_empty_text_gives_no_tree_and_no_syntax_problem():
    assert parse("").node is None
    assert parse("   ").problems == ()


@pytest.mark.parametrize(
    "text",
    ["nike AND", "(", ")", '"', "a OR OR b", "NEAR/3 a", "a NEAR/3", "a, b", "()", "-"],
)
def test_broken_queries_give_problems_not_exceptions(text):
    parsed = parse(text)
    assert parsed.node is None or parsed.problems
    assert all(0 <= found.start <= found.end <= len(text) for found in parsed.problems)
