"""Credentials from a token endpoint's answer, shared by the OAuth 2.0 connectors."""

from datetime import timedelta

from varde.connectors.contracts import Credentials
from varde.connectors.http import utc_now
from varde.connectors.oauth import credentials_from_token


def test_a_first_answer_gives_everything_it_has():
    creds = credentials_from_token(
        {"access_token": "a1", "refresh_token": "r1", "expires_in": 3600, "scope": "x y"}, None
    )
    assert (creds.access_token, creds.refresh_token, creds.scopes) == ("a1", "r1", ("x", "y"))
    assert creds.expires_at is not None
    assert timedelta(minutes=59) < creds.expires_at - utc_now() <= timedelta(hours=1)


def test_a_refresh_answer_keeps_what_it_leaves_out():
    previous = Credentials(
        access_token="old", refresh_token="r1", scopes=("x",), extra={"username": "varde"}
    )
    creds = credentials_from_token({"access_token": "a2", "refresh_token": ""}, previous)
    assert creds.refresh_token == "r1"  # never overwritten by an empty value
    assert creds.scopes == ("x",)
    assert creds.extra == {"username": "varde"}
    assert creds.expires_at is None


def test_linkedins_comma_separated_scopes_are_split():
    creds = credentials_from_token({"access_token": "a", "scope": "r_basicprofile,w_member"}, None)
    assert creds.scopes == ("r_basicprofile", "w_member")
