"""Reply approval where the playbook asks for it: candidates, an approver who picks one (and
may edit it), sending through the same path, the writer told, refused candidates kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.inbox import services
from varde.inbox.choices import ProposalStatus, ReplyStatus, TriageClass
from varde.inbox.models import Reply, ReplyProposal
from varde.notifications.models import Notification
from varde.sandbox.models import SandboxPost

from .conftest import arrive

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(workspace):
    return member(workspace, Role.ADMIN, full_name="Ola Admin")


def _complaint(sandbox):
    return arrive(sandbox, text="Pakken kom aldri!", triage_class=TriageClass.COMPLAINT)


def _rule(workspace, owner, *, complaints=False, roles=()):
    services.approval_settings_save(
        workspace=workspace, complaints=complaints, roles=list(roles), actor=owner
    )


def test_without_a_rule_no_reply_needs_approval(sandbox, editor):
    item = _complaint(sandbox)
    assert services.approval_reason(conversation=item.conversation, author=editor) == ""


def test_a_reply_to_a_complaint_cannot_be_sent_straight_away(workspace, sandbox, owner, editor):
    _rule(workspace, owner, complaints=True)
    item = _complaint(sandbox)
    other = arrive(sandbox, text="Hei!", handle="per.sim", in_reply_to="post-2")
    assert "complaints" in services.approval_reason(conversation=item.conversation, author=editor)
    assert services.approval_reason(conversation=other.conversation, author=editor) == ""
    with pytest.raises(services.ReplyBlockedError) as blocked:
        services.reply_send(
            conversation=item.conversation, author=editor, text="Beklager!", mode="public"
        )
    assert "Submit it for approval" in " ".join(blocked.value.messages)
    assert not Reply.objects.exists()


def test_every_reply_by_a_role(workspace, sandbox, owner, editor):
    _rule(workspace, owner, roles=[Role.EDITOR])
    item = arrive(sandbox)
    assert "Editor" in services.approval_reason(conversation=item.conversation, author=editor)
    assert services.approval_reason(conversation=item.conversation, author=owner) == ""


def test_candidates_an_approver_picks_and_edits_one_the_writer_is_told(
    workspace, sandbox, owner, editor, admin
):
    _rule(workspace, owner, complaints=True)
    item = _complaint(sandbox)
    proposal = services.proposal_submit(
        conversation=item.conversation,
        writer=editor,
        texts=["Beklager, vi sjekker!", "Så leit – send oss ordrenummeret.", "  "],
        mode="public",
    )
    assert [c.text for c in proposal.candidates.all()] == [
        "Beklager, vi sjekker!",
        "Så leit – send oss ordrenummeret.",
    ]
    assert "complaints" in proposal.reason
    told = Notification.objects.filter(kind="inbox.reply_approval")
    assert {n.user_id for n in told} == {owner.pk, admin.pk}  # not the writer

    second = proposal.candidates.all()[1]
    reply = services.proposal_approve(
        proposal=proposal,
        candidate_id=second.pk,
        approver=admin,
        text="Så leit – send oss ordrenummeret, så ordner vi det.",
    )
    assert reply.status == ReplyStatus.SENT
    assert reply.author == editor  # sent in the writer's name
    sent = SandboxPost.objects.get(network_post_id=reply.network_id)
    assert sent.in_reply_to == item.network_id
    assert sent.text == "Så leit – send oss ordrenummeret, så ordner vi det."
    proposal.refresh_from_db()
    second.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.decided_by == admin
    assert proposal.reply == reply
    assert second.chosen
    assert second.edited_text.endswith("så ordner vi det.")
    assert not proposal.candidates.get(position=1).chosen  # kept, not chosen
    assert Notification.objects.filter(kind="inbox.reply_decided", user=editor).exists()
    assert AuditEvent.objects.filter(action="inbox.reply_approved").exists()
    with pytest.raises(services.ProposalError):
        services.proposal_approve(proposal=proposal, candidate_id=second.pk, approver=owner)


def test_the_writer_cannot_approve_their_own_and_an_editor_cannot_approve(
    workspace, sandbox, owner, editor
):
    _rule(workspace, owner, roles=[Role.EDITOR, Role.OWNER])
    item = arrive(sandbox)
    proposal = services.proposal_submit(
        conversation=item.conversation, writer=owner, texts=["Hei!"], mode="public"
    )
    candidate = proposal.candidates.get()
    with pytest.raises(services.ProposalError, match="someone else"):
        services.proposal_approve(proposal=proposal, candidate_id=candidate.pk, approver=owner)
    with pytest.raises(services.ProposalError, match="owners and admins"):
        services.proposal_approve(proposal=proposal, candidate_id=candidate.pk, approver=editor)


def test_refused_candidates_stay_in_the_history(workspace, sandbox, owner, editor, admin):
    _rule(workspace, owner, complaints=True)
    item = _complaint(sandbox)
    proposal = services.proposal_submit(
        conversation=item.conversation, writer=editor, texts=["Nei.", "Nei takk."], mode="public"
    )
    services.proposal_refuse(proposal=proposal, approver=admin, note="For kort, vis empati.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED
    assert proposal.candidates.count() == 2
    told = Notification.objects.get(kind="inbox.reply_decided", user=editor)
    assert "For kort, vis empati." in told.text
    # A new try is possible once the old one is decided.
    services.proposal_submit(
        conversation=item.conversation, writer=editor, texts=["Beklager!"], mode="public"
    )
    assert ReplyProposal.objects.filter(conversation=item.conversation).count() == 2


def test_each_candidate_goes_through_the_guard(workspace, sandbox, owner, editor):
    from varde.policy.services import guard_settings_save

    guard_settings_save(
        workspace=workspace,
        actor=owner,
        signature="block",
        alt_text_required=False,
        avoided_hashtag_blocks=False,
        extra_disclosure_words="",
    )
    _rule(workspace, owner, complaints=True)
    item = _complaint(sandbox)
    with pytest.raises(services.ReplyBlockedError) as blocked:
        services.proposal_submit(
            conversation=item.conversation, writer=editor, texts=["Beklager!"], mode="public"
        )
    assert "Candidate 1" in " ".join(blocked.value.messages)
    proposal = services.proposal_submit(
        conversation=item.conversation,
        writer=editor,
        texts=["Beklager!"],
        mode="public",
        sign=True,
    )
    assert editor.get_short_name() in proposal.candidates.get().text


def test_a_failed_send_after_approval_tells_the_writer(workspace, sandbox, owner, editor, admin):
    from varde.sandbox.choices import FaultKind
    from varde.sandbox.services import sandbox_fault_add

    _rule(workspace, owner, complaints=True)
    item = _complaint(sandbox)
    proposal = services.proposal_submit(
        conversation=item.conversation, writer=editor, texts=["Beklager!"], mode="public"
    )
    sandbox_fault_add(kind=FaultKind.REJECTED, message="Sandbox says no", remaining=1)
    reply = services.proposal_approve(
        proposal=proposal, candidate_id=proposal.candidates.get().pk, approver=admin
    )
    assert reply.status == ReplyStatus.FAILED
    told = Notification.objects.get(kind="inbox.reply_decided", user=editor)
    assert "Sandbox says no" in told.text


def _client(user, language="en"):
    from django.test import Client

    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _url(name, workspace, **kwargs):
    return reverse(f"inbox:{name}", kwargs={"workspace": workspace.slug, **kwargs})


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_pages_side_by_side_in_both_languages(workspace, sandbox, editor, admin, language):
    _rule(workspace, admin, complaints=True)
    item = _complaint(sandbox)
    conversation_url = _url("conversation", workspace, conversation_id=item.conversation_id)
    writer = _client(editor, language)
    page = writer.get(conversation_url).content.decode()
    assert ("Submit for approval" if language == "en" else "Send til godkjenning") in page
    response = writer.post(
        _url("conversation_propose", workspace, conversation_id=item.conversation_id),
        {"candidate": ["Beklager <b>!</b>", "Vi ser på det."], "mode": "public"},
    )
    assert response.status_code == 302
    proposal = ReplyProposal.objects.get()
    approver = _client(admin, language)
    page = approver.get(conversation_url).content.decode()
    assert "Beklager &lt;b&gt;!&lt;/b&gt;" in page  # escaped
    assert page.count("candidate-text-") >= 2
    listing = approver.get(_url("proposals", workspace)).content.decode()
    assert f"#proposal-{proposal.pk}" in listing
    # An editor may not decide.
    assert (
        writer.post(_url("proposal_refuse", workspace, proposal_id=proposal.pk)).status_code == 403
    )
    first = proposal.candidates.get(position=1)
    response = approver.post(
        _url("proposal_approve", workspace, proposal_id=proposal.pk),
        {"candidate": first.pk, "text": "Beklager! Vi ordner det."},
    )
    assert response.status_code == 302
    assert Reply.objects.get().text == "Beklager! Vi ordner det."


def test_a_blocked_proposal_keeps_the_candidates(client_as, workspace, sandbox, owner, editor):
    from varde.policy.services import guard_settings_save

    guard_settings_save(
        workspace=workspace,
        actor=owner,
        signature="block",
        alt_text_required=False,
        avoided_hashtag_blocks=False,
        extra_disclosure_words="",
    )
    _rule(workspace, owner, complaints=True)
    item = _complaint(sandbox)
    writer = client_as(editor)
    writer.post(
        _url("conversation_propose", workspace, conversation_id=item.conversation_id),
        {"candidate": ["Mitt første utkast"], "mode": "public"},
    )
    page = writer.get(_url("conversation", workspace, conversation_id=item.conversation_id))
    assert ">Mitt første utkast</textarea>" in page.content.decode()
    assert not ReplyProposal.objects.exists()


def test_the_settings_page(client_as, workspace, owner, editor):
    url = _url("reply_approval", workspace)
    assert client_as(editor).get(url).status_code == 403
    response = client_as(owner).post(url, {"complaints": "on", "roles": ["editor"]})
    assert response.status_code == 302
    found = services.approval_settings_of(workspace)
    assert (found.complaints, found.roles) == (True, ["editor"])
    assert AuditEvent.objects.filter(action="inbox.reply_approval_changed").exists()


def test_another_workspaces_proposal_is_not_found(client_as, workspace, other_workspace, sandbox):
    from varde.sandbox.services import sandbox_channel_create

    stranger = member(other_workspace, Role.OWNER)
    item = arrive(sandbox)
    writer = member(workspace, Role.EDITOR)
    proposal = services.proposal_submit(
        conversation=item.conversation, writer=writer, texts=["Hei"], mode="public"
    )
    sandbox_channel_create(workspace=other_workspace, actor=stranger)
    response = client_as(stranger).post(
        _url("proposal_approve", other_workspace, proposal_id=proposal.pk),
        {"candidate": proposal.candidates.get().pk},
    )
    assert response.status_code == 404


def test_the_command_line_is_stopped_too_with_the_reason(workspace, sandbox, owner, editor, capsys):
    from varde.cli import main as cli_main

    _rule(workspace, owner, roles=[Role.EDITOR])
    item = arrive(sandbox)
    args = ["inbox", "reply", "--workspace", workspace.slug, "--item", str(item.pk)]
    code = cli_main([*args, "--text", "Takk!", "--as", editor.email])
    assert code == 1
    assert "approval" in capsys.readouterr().err.lower()
    assert not Reply.objects.exists()
