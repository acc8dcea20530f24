import pytest
from django.urls import reverse

from varde.accounts.access import access_of
from varde.accounts.permissions import Perm
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.demo.plan import demo_plan_seed
from varde.strategy import models as m
from varde.strategy import selectors
from varde.strategy.tests.factories import ChannelFactory, PersonFactory
from varde.strategy.urls import urlpatterns


def url(name, workspace, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def test_every_view_declares_its_permission():
    for pattern in urlpatterns:
        access = access_of(pattern.callback)
        assert access is not None, pattern.name
        assert access.perm in {Perm.STRATEGY_VIEW, Perm.STRATEGY_EDIT}, pattern.name


@pytest.fixture
def demo(workspace, owner):
    demo_plan_seed(workspace=workspace, actor=owner, language="nb")
    return workspace


READ_PAGES = [
    ("overview", {}),
    *[("phase", {"number": n}) for n in range(1, 8)],
    ("history", {}),
    ("version", {"number": 1}),
    ("export", {"fmt": "md"}),
    ("export", {"fmt": "html"}),
    ("export", {"fmt": "pdf"}),
]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OWNER, 200),
        (Role.EDITOR, 200),
        (Role.ANALYST, 200),
        (Role.CONTRIBUTOR, 200),
        (Role.CLIENT_REVIEWER, 403),
    ],
)
def test_reading_the_plan_by_role(demo, client_as, role, status):
    client = client_as(member(demo, role))
    for name, kwargs in READ_PAGES:
        response = client.get(url(name, demo, **kwargs))
        assert response.status_code == status, (name, kwargs)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.EDITOR, 200), (Role.ANALYST, 403), (Role.CONTRIBUTOR, 403)],
)
def test_editing_pages_by_role(demo, client_as, role, status):
    client = client_as(member(demo, role))
    goal = m.SocialGoal.objects.filter(workspace=demo).first()
    assert client.get(url("item_new", demo, kind="goal")).status_code == status
    assert client.get(url("item_edit", demo, kind="goal", pk=goal.pk)).status_code == status
    assert client.get(url("template", demo)).status_code == status
    response = client.post(url("phase_save", demo, number=2), {"mission": "Changed"})
    assert response.status_code == (302 if status == 200 else 403)


def test_strangers_get_404(demo, other_workspace, client_as):
    outsider = member(other_workspace, Role.OWNER)
    assert client_as(outsider).get(url("overview", demo)).status_code == 404


def test_an_item_from_another_workspace_is_not_found(workspace, other_workspace, editor, client_as):
    foreign = ChannelFactory(workspace=other_workspace)
    client = client_as(editor)
    assert client.get(url("item_edit", workspace, kind="channel", pk=foreign.pk)).status_code == 404
    response = client.post(url("item_delete", workspace, kind="channel", pk=foreign.pk))
    assert response.status_code == 404
    assert m.PlanChannel.objects.filter(pk=foreign.pk).exists()


def test_unknown_kind_and_phase_are_404(workspace, editor, client_as):
    client = client_as(editor)
    assert client.get(url("item_new", workspace, kind="nonsense")).status_code == 404
    assert client.get(url("phase", workspace, number=9)).status_code == 404
    assert client.get(url("export", workspace, fmt="docx")).status_code == 404


def test_form_choices_are_limited_to_the_workspace(workspace, other_workspace, editor, client_as):
    PersonFactory(workspace=workspace, name="Our Kari")
    PersonFactory(workspace=other_workspace, name="Their Ola")
    page = client_as(editor).get(url("item_new", workspace, kind="goal")).content.decode()
    assert "Our Kari" in page
    assert "Their Ola" not in page


def test_a_new_user_writes_a_minimal_plan(workspace, editor, client_as):
    client = client_as(editor)
    overview = client.get(url("overview", workspace))
    assert b"Start from a template" in overview.content

    def post(name, data, **kwargs):
        response = client.post(url(name, workspace, **kwargs), data)
        assert response.status_code == 302, response.content.decode()[:2000]

    post("phase_save", {"mission": "Get Bergen cycling", "customer_value": "Tips"}, number=2)
    post("item_new", {"name": "Kari", "title": "Marketing"}, kind="person")
    kari = m.PlanPerson.objects.get(workspace=workspace)
    post(
        "item_new",
        {
            "network": "instagram",
            "name": "@shop",
            "role": "talking",
            "posts_per_week": "3",
            "days": ["0", "2"],
            "times": "9.30, 15:00",
            "minutes_per_post": "30",
            "producer": kari.pk,
        },
        kind="channel-plan",
    )
    post(
        "item_new",
        {
            "title": "More visits",
            "metric": "web_visits",
            "baseline": "100",
            "target": "300",
            "deadline": "2030-01-01",
            "owner": kari.pk,
            "status": "active",
        },
        kind="goal",
    )
    [plan] = selectors.publishing_plan_for(workspace)
    assert plan.days == (0, 2)
    assert [t.strftime("%H:%M") for t in plan.times] == ["09:30", "15:00"]
    assert selectors.goals_for(workspace)[0].owner.name == "Kari"
    page = client.get(url("phase", workspace, number=4)).content.decode()
    assert "@shop" in page


def test_form_errors_are_shown_not_saved(workspace, editor, client_as):
    client = client_as(editor)
    response = client.post(
        url("item_new", workspace, kind="channel-plan"),
        {"network": "instagram", "name": "@x", "times": "noon", "minutes_per_post": "30"},
    )
    assert response.status_code == 200
    assert "is not a time" in response.content.decode()
    response = client.post(
        url("phase_save", workspace, number=4),
        {"mix_promotional": "150", "mix_curated": "0", "mix_engagement": "0"},
    )
    assert response.status_code == 200
    assert not m.PlanChannel.objects.filter(workspace=workspace).exists()
    assert selectors.content_mix_target(workspace).promotional == 34


def test_template_view_applies_the_template(workspace, editor, client_as):
    response = client_as(editor).post(
        url("template", workspace), {"template": "small_business", "language": "nb"}
    )
    assert response.status_code == 302
    assert selectors.plan_for(workspace).tone_of_voice.startswith("Vennlig")


def test_delete_asks_first_then_removes(workspace, editor, client_as):
    channel = ChannelFactory(workspace=workspace)
    client = client_as(editor)
    assert (
        client.get(url("item_delete", workspace, kind="channel", pk=channel.pk)).status_code == 200
    )
    assert m.PlanChannel.objects.filter(pk=channel.pk).exists()
    client.post(url("item_delete", workspace, kind="channel", pk=channel.pk))
    assert not m.PlanChannel.objects.filter(pk=channel.pk).exists()


def test_versions_from_the_history_page(demo, editor, client_as):
    client = client_as(editor)
    assert client.post(url("version_save", demo), {"note": "Spring"}).status_code == 302
    assert client.post(url("version_adopt", demo, number=2)).status_code == 302
    assert selectors.adopted_version(demo).number == 2
    overview = client.get(url("overview", demo)).content.decode()
    assert "No changes since then." in overview


def test_overview_shows_health_with_links(workspace, editor, client_as):
    page = client_as(editor).get(url("overview", workspace)).content.decode()
    assert url("phase", workspace, number=2) + "#mission" in page


def test_export_headers(demo, editor, client_as):
    client = client_as(editor)
    html = client.get(url("export", demo, fmt="html"))
    assert "script-src" not in html["Content-Security-Policy"]
    assert html["Content-Disposition"].startswith("inline")
    pdf = client.get(url("export", demo, fmt="pdf") + "?lang=en")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")


def test_goal_form_offers_to_add_a_person_first_and_comes_back(client_as, workspace, owner):
    client = client_as(owner)
    goal_new = url("item_new", workspace, kind="goal")
    page = client.get(goal_new).content.decode()
    assert "Add a person first" in page or "Legg til en person først" in page
    person_new = url("item_new", workspace, kind="person")
    response = client.post(f"{person_new}?next={goal_new}", {"name": "Kari", "next": goal_new})
    assert response.status_code == 302
    assert response["Location"] == goal_new
    # Now there is someone to choose: the offer is gone.
    page = client.get(goal_new).content.decode()
    assert f"{person_new}?next=" not in page


def test_next_never_leaves_the_workspace(client_as, workspace, owner):
    person_new = url("item_new", workspace, kind="person")
    for elsewhere in ("https://evil.example/", "//evil.example/", "/w/other/strategy/"):
        response = client_as(owner).post(person_new, {"name": "Kari", "next": elsewhere})
        assert response["Location"] == url("phase", workspace, number=6) + "#team"
