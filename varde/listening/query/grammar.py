"""The query language's grammar, for lark's LALR parser with its basic lexer.

Precedence, tightest first: NEAR, then NOT / `-`, then AND (written, or implicit between two
adjacent operands), then OR. Operators are upper case only; `and`/`or` in lower case are words
(the validator warns about them). The basic lexer is used so the same terminals can also be
listed token by token (`lex`), which is how unbalanced brackets get an exact position.
"""

from __future__ import annotations

from lark import Lark

GRAMMAR = r"""
start: [or_expr]

?or_expr: and_expr
        | or_expr OR and_expr       -> or_op

?and_expr: unary
         | and_expr AND unary       -> and_op
         | and_expr unary           -> and_op

?unary: near_expr
      | NOT unary                  -> not_op
      | MINUS unary                -> not_op

?near_expr: primary
          | near_expr NEAR primary -> near_op

?primary: LPAR or_expr RPAR         -> group
        | TERM                      -> term
        | HASHTAG                   -> hashtag
        | HANDLE                    -> handle
        | PHRASE                    -> phrase
        | FIELD                     -> field

_W: /[\w\u0300-\u036f*?]/
_WP: /[\w\u0300-\u036f]/

AND: "AND"
OR: "OR"
NOT: "NOT"
MINUS: "-"
LPAR: "("
RPAR: ")"
NEAR.3: /NEAR\/\d+f?(?![\w])/
FIELD.3: /[A-Za-z]+:("[^"]*"|[^\s()"]*)/
HASHTAG.2: "#" _W+
HANDLE.2: "@" _WP+ (/[.\-]/ _WP+)* ("@" _WP+ (/[.\-]/ _WP+)*)?
PHRASE.2: /"[^"]*"/
TERM: _W+ (/[\-'’.]/ _W+)*

%ignore /\s+/
"""

PARSER = Lark(
    GRAMMAR, parser="lalr", lexer="basic", propagate_positions=True, maybe_placeholders=True
)
