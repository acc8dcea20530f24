"""Words so common in Norwegian or English posts that a query standing on one matches nearly all.

A short list on purpose: it feeds one warning ("too common"), not a stop-word filter; the
matcher still matches these words when a query really asks for them.
"""

from __future__ import annotations

_NORWEGIAN = (
    "og i er det som en på til av å for med har jeg ikke de den vi du om men et kan så vil "
    "var fra eller skal hva noe nå bare også meg deg seg sin han hun dem oss dere ble blir "
    "enn mot etter ja nei her der da når hvor"
)
_ENGLISH = (
    "the and of to in is it that for you with on are this be at was have not but from or "
    "they we our your by an will can what all my has just more about their so if when a i "
    "me he she his her its no yes do did get"
)
COMMON_WORDS = frozenset(_NORWEGIAN.split()) | frozenset(_ENGLISH.split())
MIN_USEFUL_LITERAL = 2
