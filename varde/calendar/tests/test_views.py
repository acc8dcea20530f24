from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.calendar.tests.conftest import local, make_post
from varde.content.choices import ApprovalState
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery

pytestmark = pytest.mark.django_db


def url(workspace, name="calendar", **query):
    base = reverse(f"calendar:{name}", kwargs={"workspace": workspace.slug})
    if query:
        from urllib.parse import urlencode

        return f"{base}?{urlencode(query)}"
    return base


@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_each_view_shows_posts_with_status_words_and_the_timezone(  # noqa: PLR0917 - pytest fixtures
    view, client_as, workspace, editor, instagram, facebook, frozen
):
    sale = make_post(
        workspace, editor, [instagram, facebook], local(2026, 3, 18, 11, 0), text="Vårsalg!"
    )
    make_post(
        workspace,
        editor,
        [instagram],
        local(2026, 3, 19, 14, 30),
        text="Ferdig godkjent",
        state=ApprovalState.APPROVED,
        schedule=True,
    )
    response = client_as(editor).get(url(workspace, view=view, date="2026-03-18"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Oslo time (UTC+01:00)" in page  # a place and its offset, not the tz database id
    assert "Vårsalg!" in page
    assert "Draft" in page
    assert "Scheduled" in page
    assert "14:30" in page
    assert 'data-move-post="' in page
    edit = reverse("content:post_edit", kwargs={"workspace": workspace.slug, "post_id": sale.pk})
    assert f'href="{edit}"' in page  # a post opens in the composer


def test_colour_toggle_switches_the_legend_to_pillars(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, instagram, pillar, frozen
):
    make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0), pillar=pillar)
    page = client_as(editor).get(url(workspace, colour="pillar")).content.decode()
    assert "Sykkelglede" in page
    assert "No pillar" in page
    assert "entry swatch-0" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"channel": "facebook"}, "On Facebook", "On Instagram"),
        ({"campaign": "campaign"}, "In the campaign", "On Instagram"),
        ({"pillar": "pillar"}, "With a pillar", "On Instagram"),
        ({"author": "other"}, "By someone else", "On Instagram"),
        ({"status": "scheduled"}, "By someone else", "On Facebook"),
        ({"status": "in_review"}, "In the campaign", "On Instagram"),
    ],
)
def test_filters(  # noqa: PLR0917 - pytest fixtures
    query,
    shown,
    hidden,
    client_as,
    workspace,
    editor,
    instagram,
    facebook,
    campaign,
    pillar,
    frozen,
):
    other = member(workspace, Role.EDITOR)
    at = local(2026, 3, 18, 11, 0)
    make_post(workspace, editor, [instagram], at, text="On Instagram")
    make_post(workspace, editor, [facebook], at, text="On Facebook")
    make_post(
        workspace,
        editor,
        [instagram],
        at,
        text="In the campaign",
        campaign=campaign,
        approval_state=ApprovalState.IN_REVIEW,
    )
    make_post(workspace, editor, [instagram], at, text="With a pillar", pillar=pillar)
    make_post(
        workspace,
        other,
        [instagram],
        at,
        text="By someone else",
        state=ApprovalState.APPROVED,
        schedule=True,
    )
    ids = {
        "facebook": facebook.pk,
        "campaign": campaign.pk,
        "pillar": pillar.pk,
        "other": other.pk,
    }
    params = {k: ids.get(v, v) for k, v in query.items()}
    page = client_as(editor).get(url(workspace, **params)).content.decode()
    assert shown in page
    assert hidden not in page


def _query_count(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_query_count_does_not_grow_with_the_number_of_posts(  # noqa: PLR0917 - pytest fixtures
    view, client_as, workspace, editor, instagram, facebook, campaign, pillar, plan, frozen
):
    client = client_as(editor)
    address = url(workspace, view=view, date="2026-03-18")
    for n in range(3):
        make_post(workspace, editor, [instagram], local(2026, 3, 18, 9, n), campaign=campaign)
    few = _query_count(client, address)
    for n in range(120):
        make_post(
            workspace,
            editor,
            [instagram, facebook],
            local(2026, 3, 16 + n % 6, 8 + n % 12, n % 60),
            text=f"Post {n}",
            campaign=campaign,
            pillar=pillar,
        )
    many = _query_count(client, address)
    assert many == few
    # Pinned: a change that adds a query per post (or per anything) fails here.
    # 19 with a plan, as before "+n more": session, user, membership and the shell, the
    # calendar's channels, pillars, the posts in view (one windowed query), the plan, the plan's
    # posts for open slots, campaigns and authors, and the meters.
    assert many <= 19, many


def test_open_slots_are_suggested_from_the_publishing_plan(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, instagram, facebook, plan, frozen
):
    # Wednesday's Instagram slot is taken; Monday 11:00 (today, still ahead) and Friday are open.
    make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 30))
    response = client_as(editor).get(url(workspace, view="week", date="2026-03-16"))
    page = response.content.decode()
    slots = [
        (slot.local_iso, slot.channel_label)
        for day_slots in response.context["week_rows"]
        for cell in day_slots["cells"]
        for slot in cell["slots"]
    ]
    assert sorted(slots) == [
        ("2026-03-16T11:00", "Instagram"),
        ("2026-03-17T09:00", "Facebook"),
        ("2026-03-20T11:00", "Instagram"),
    ]
    assert page.count("Open slot") == 3
    compose = reverse("content:compose", kwargs={"workspace": workspace.slug})
    assert f"{compose}?channel={instagram.pk}&amp;at=2026-03-20T11%3A00" in page


def _move(client, post, to_date, to_time="", from_at="", htmx=False):  # noqa: PLR0917 - pytest fixtures
    data = {
        "post": post.pk,
        "date": to_date,
        "time": to_time,
        "from_at": from_at,
        "next": "view=week",
    }
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url(post.workspace, "move"), data, **headers)


def _times(post):
    return sorted(
        (d.channel.label, d.scheduled_at, d.state)
        for d in Delivery.objects.filter(post=post).select_related("channel")
    )


def test_drag_endpoint_moves_the_post_and_answers_with_the_calendar(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, instagram, facebook, frozen
):
    post = make_post(workspace, editor, [instagram, facebook], local(2026, 3, 18, 11, 0))
    response = _move(client_as(editor), post, "2026-03-20", "14:00", "2026-03-18T11:00", htmx=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Moved to Friday 20 March 14:00 on Facebook, Instagram." in page
    assert 'id="calendar-body"' not in page  # the partial, not the whole page
    assert '<div id="cal-meters" hx-swap-oob="innerHTML">' in page  # and the meters beside it
    assert {at for _label, at, _state in _times(post)} == {local(2026, 3, 20, 14, 0)}


def test_keyboard_move_without_javascript_redirects_back(
    client_as, workspace, editor, instagram, frozen
):
    post = make_post(
        workspace,
        editor,
        [instagram],
        local(2026, 3, 18, 11, 0),
        state=ApprovalState.APPROVED,
        schedule=True,
    )
    response = _move(client_as(editor), post, "2026-03-24", "", "2026-03-18T11:00")
    assert response.status_code == 302
    assert response["Location"].endswith("?view=week")
    [(_label, at, state)] = _times(post)
    assert at == local(2026, 3, 24, 11, 0)  # time kept
    assert state == DeliveryState.SCHEDULED


def test_moving_a_published_post_is_refused_with_a_clear_message(
    client_as, workspace, editor, instagram, frozen
):
    post = make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0))
    Delivery.objects.filter(post=post).update(state=DeliveryState.PUBLISHED)
    response = _move(client_as(editor), post, "2026-03-20", "11:00", htmx=True)
    assert "already gone out on Instagram" in response.content.decode()
    [(_label, at, _state)] = _times(post)
    assert at == local(2026, 3, 18, 11, 0)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CLIENT_REVIEWER])
def test_read_only_roles_cannot_move(role, client_as, workspace, editor, instagram, frozen):  # noqa: PLR0917 - pytest fixtures
    post = make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0))
    reader = member(workspace, role)
    client = client_as(reader)
    assert _move(client, post, "2026-03-20", "11:00").status_code == 403
    assert client.get(url(workspace)).status_code == (200 if role == Role.ANALYST else 403)
    if role == Role.ANALYST:
        page = client.get(url(workspace, date="2026-03-18")).content.decode()
        assert "data-move-post" not in page
        assert "Import posts" not in page


def test_contributor_moves_own_drafts_only(client_as, workspace, editor, instagram, frozen):
    contributor = member(workspace, Role.CONTRIBUTOR)
    own = make_post(workspace, contributor, [instagram], local(2026, 3, 18, 11, 0))
    others = make_post(workspace, editor, [instagram], local(2026, 3, 18, 12, 0))
    scheduled = make_post(
        workspace,
        contributor,
        [instagram],
        local(2026, 3, 18, 13, 0),
        state=ApprovalState.APPROVED,
        schedule=True,
    )
    client = client_as(contributor)
    assert _move(client, own, "2026-03-19").status_code == 302
    assert _times(own)[0][1] == local(2026, 3, 19, 11, 0)
    page = _move(client, others, "2026-03-19", htmx=True).content.decode()
    assert "only your own posts" in page
    page = _move(client, scheduled, "2026-03-19", htmx=True).content.decode()
    assert "only an editor can move it" in page
    assert _times(scheduled)[0][1] == local(2026, 3, 18, 13, 0)


def test_meters_partial_for_the_composer(client_as, workspace, editor, instagram, plan, frozen):  # noqa: PLR0917 - pytest fixtures
    make_post(workspace, editor, [instagram], local(2026, 3, 24, 11, 0))
    response = client_as(editor).get(url(workspace, "meters", week="2026-03-25"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "23 Mar – 29 Mar" in page
    assert "1 of 3 planned" in page
    assert "Too few" in page
    assert "<html" not in page
    assert "calendar/calendar.css" in page  # styled inside the composer too


def test_meters_partial_needs_content_view(client_as, workspace):
    reviewer = member(workspace, Role.CLIENT_REVIEWER)
    assert client_as(reviewer).get(url(workspace, "meters")).status_code == 403


def _crowd(workspace, editor, channels, count, *, day=18, hour=11):
    return [
        make_post(workspace, editor, channels, local(2026, 3, day, hour, n), text=f"Crowd {n}")
        for n in range(count)
    ]


def test_a_crowded_day_shows_plus_more_which_opens_the_rest(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, instagram, facebook, frozen
):
    # Eight posts on one day, each on two channels: a post counts once, not once per channel.
    _crowd(workspace, editor, [instagram, facebook], 8)
    client = client_as(editor)
    month = client.get(url(workspace, view="month", date="2026-03-18"))
    page = month.content.decode()
    assert page.count('class="entry-text"') == 3
    assert "+5 more" in page
    assert "8 posts in view." in page
    [cell] = [c for week in month.context["month_weeks"] for c in week if c["more"]]
    more_address = f"{url(workspace, 'more')}?{cell['more_query']}"
    assert f'href="{more_address.replace("&", "&amp;")}"' in page

    rest = client.get(more_address, HTTP_HX_REQUEST="true")
    assert rest.status_code == 200
    rest_page = rest.content.decode()
    assert "<html" not in rest_page  # only the rest, for htmx to put in place of "+5 more"
    assert rest_page.count('class="entry-text"') == 5
    assert [f"Crowd {n}" in rest_page for n in range(8)] == [False] * 3 + [True] * 5
    assert "autofocus" in rest_page  # the keyboard lands on what opened

    # Without JavaScript, the same link is a page of its own.
    whole = client.get(more_address).content.decode()
    assert "<html" in whole
    assert whole.count('class="entry-text"') == 5


def test_a_crowded_hour_of_the_week_opens_the_rest_of_that_hour(
    client_as, workspace, editor, instagram, frozen
):
    _crowd(workspace, editor, [instagram], 5)
    make_post(workspace, editor, [instagram], local(2026, 3, 18, 14, 0), text="Later that day")
    client = client_as(editor)
    week = client.get(url(workspace, view="week", date="2026-03-18"))
    page = week.content.decode()
    assert page.count('class="entry-text"') == 3  # two at 11, one at 14
    assert "+3 more" in page
    [cell] = [c for row in week.context["week_rows"] for c in row["cells"] if c["more"]]
    assert (cell["day"], cell["hour"], cell["more"]) == (dt.date(2026, 3, 18), 11, 3)
    rest = client.get(
        f"{url(workspace, 'more')}?{cell['more_query']}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert [f"Crowd {n}" in rest for n in range(5)] == [False, False, True, True, True]
    assert "Later that day" not in rest


def test_more_opens_in_chunks(client_as, workspace, editor, instagram, frozen, monkeypatch):  # noqa: PLR0917 - pytest fixtures
    from varde.calendar import page

    monkeypatch.setattr(page, "MORE_CHUNK", 2)
    _crowd(workspace, editor, [instagram], 8)
    client = client_as(editor)
    rest = client.get(
        url(workspace, "more", date="2026-03-18", skip=3), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert rest.count('class="entry-text"') == 2
    assert "+3 more" in rest  # the chunk after, opened the same way
    assert "skip=5" in rest


def test_more_keeps_to_the_workspace_and_the_filters(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, instagram, facebook, frozen
):
    from varde.accounts.tests.factories import WorkspaceFactory
    from varde.channels.models import ConnectedAccount

    other = WorkspaceFactory(slug="other")
    stranger = member(other, Role.EDITOR)
    elsewhere = ConnectedAccount.objects.create(
        workspace=other, connector_key="instagram", label="Elsewhere"
    )
    make_post(other, stranger, [elsewhere], local(2026, 3, 18, 11, 0), text="Not ours")
    make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0), text="On Instagram")
    make_post(workspace, editor, [facebook], local(2026, 3, 18, 12, 0), text="On Facebook")
    client = client_as(editor)
    everything = client.get(url(workspace, "more", date="2026-03-18")).content.decode()
    assert "On Instagram" in everything
    assert "On Facebook" in everything
    assert "Not ours" not in everything
    narrowed = client.get(
        url(workspace, "more", date="2026-03-18", channel=facebook.pk)
    ).content.decode()
    assert "On Facebook" in narrowed
    assert "On Instagram" not in narrowed
    assert client.get(url(workspace, "more", date="nonsense")).status_code == 400
    today = client.get(url(workspace, "more")).content.decode()  # no day: today (16 March)
    assert "On Instagram" not in today
    assert "16 Mar" in today
    reviewer = member(workspace, Role.CLIENT_REVIEWER)
    assert client_as(reviewer).get(url(workspace, "more", date="2026-03-18")).status_code == 403


def test_the_agenda_is_paged(client_as, workspace, editor, instagram, plan, frozen, monkeypatch):  # noqa: PLR0917 - pytest fixtures
    from varde.calendar import page

    monkeypatch.setattr(page, "LIST_PAGE_SIZE", 3)
    for n, day in enumerate([17, 17, 18, 19, 19, 24, 26, 27]):
        make_post(workspace, editor, [instagram], local(2026, 3, day, 8, n), text=f"Post {n}")
    client = client_as(editor)
    first = client.get(url(workspace, view="list", date="2026-03-18"))
    page_one = first.content.decode()
    assert "Agenda" in page_one
    assert page_one.count('class="entry-text"') == 3
    assert "Posts 1–3 of 8" in page_one
    assert "8 posts in view." in page_one
    assert "page=2" in page_one
    # Open slots show on the page whose days hold them: Monday's (today) on the first page,
    # Friday's 11:00 (after the third post, on the 18th) on the second.
    first_days = [item["day"].day for item in first.context["list_days"]]
    assert first_days == [16, 17, 18]
    second = client.get(url(workspace, view="list", date="2026-03-18", page=2))
    assert [f"Post {n}" in second.content.decode() for n in range(8)] == [False] * 3 + [
        True
    ] * 3 + [False] * 2
    assert [item["day"].day for item in second.context["list_days"]] == [19, 20, 23, 24, 25]
    last = client.get(url(workspace, view="list", date="2026-03-18", page=3)).content.decode()
    assert last.count('class="entry-text"') == 2
    assert "Posts 7–8 of 8" in last
    assert "page=4" not in last


def test_a_dst_week_puts_posts_in_their_local_hours(
    client_as, workspace, editor, instagram, frozen
):
    # Sunday 29 March 2026: clocks go from 02:00 to 03:00 in Oslo.
    for minute in range(3):
        make_post(workspace, editor, [instagram], local(2026, 3, 29, 1, 30 + minute))
    for minute in range(4):
        make_post(workspace, editor, [instagram], local(2026, 3, 29, 3, 10 + minute))
    week = client_as(editor).get(url(workspace, view="week", date="2026-03-29"))
    cells = {
        (cell["day"].day, cell["hour"]): (len(cell["entries"]), cell["more"])
        for row in week.context["week_rows"]
        for cell in row["cells"]
        if cell["entries"]
    }
    assert cells == {(29, 1): (2, 1), (29, 3): (2, 2)}


def test_move_without_javascript_opens_a_page_with_the_form(
    client_as, workspace, editor, instagram, frozen
):
    post = make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0), text="Vårsalg")
    client = client_as(editor)
    calendar_address = "http://testserver" + url(workspace, view="week", date="2026-03-18")
    response = client.get(
        url(workspace, "move", post=post.pk, from_at="2026-03-18T11:00"),
        HTTP_REFERER=calendar_address,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vårsalg" in page
    assert 'value="2026-03-18"' in page
    assert 'value="11:00"' in page
    assert 'name="next" value="view=week&amp;date=2026-03-18"' in page
    assert _move(client, post, "2026-03-20", "11:00", "2026-03-18T11:00").status_code == 302
    assert _times(post)[0][1] == local(2026, 3, 20, 11, 0)
    assert client.get(url(workspace, "move", post=999_999)).status_code == 404


def test_without_channels_the_calendar_says_to_connect_one(client_as, workspace, editor):
    page = client_as(editor).get(url(workspace)).content.decode()
    assert "No channels are connected yet" in page
    assert reverse("channels:list", kwargs={"workspace": workspace.slug}) in page
