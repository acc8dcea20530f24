from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from varde.content.utm import link_with_utm, utm_parameters


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_source_is_the_network_and_medium_social_by_default():
    url = link_with_utm(
        "https://shop.example/bikes", utm_parameters(network="x", campaign="spring")
    )
    assert query(url) == {"utm_source": "x", "utm_medium": "social", "utm_campaign": "spring"}


def test_campaign_medium_and_newsletter_email():
    assert utm_parameters(network="facebook", medium="paid")["utm_medium"] == "paid"
    assert utm_parameters(network="newsletter")["utm_medium"] == "email"
    assert "utm_campaign" not in utm_parameters(network="x")


def test_parameters_already_in_the_link_win_and_others_stay():
    url = link_with_utm(
        "https://shop.example/?ref=1&utm_source=mine#top", utm_parameters(network="bluesky")
    )
    assert query(url) == {"ref": "1", "utm_source": "mine", "utm_medium": "social"}
    assert url.endswith("#top")


def test_no_link_and_odd_schemes_are_left_alone():
    assert link_with_utm("", {"utm_source": "x"}) == ""
    assert link_with_utm("mailto:a@b.c", {"utm_source": "x"}) == "mailto:a@b.c"
