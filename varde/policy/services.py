"""Every change the guard makes: settings and hashtag confirmations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.policy.choices import NewHashtagRule, SignatureRule
from varde.policy.models import ConfirmedHashtag, GuardSettings
from varde.policy.text import HASHTAG, normal_tag

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace


@transaction.atomic
def hashtag_confirm(
    *, workspace: Workspace, tag: str, actor: User | None, note: str = ""
) -> ConfirmedHashtag:
    """A person has looked up what ``tag`` is about and says it is fine to use."""
    normal = normal_tag(tag)
    if not normal or HASHTAG.fullmatch("#" + normal) is None:
        raise ValidationError(
            _("“%(tag)s” is not a hashtag: use letters, digits and _, with at least one letter.")
            % {"tag": tag}
        )
    confirmation, _created = ConfirmedHashtag.objects.update_or_create(
        workspace=workspace,
        tag=normal,
        defaults={
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
            "note": note.strip()[:300],
        },
    )
    audit_record(
        action="policy.hashtag_confirmed",
        workspace=workspace,
        actor=actor,
        target=confirmation,
        detail={"tag": normal, "note": confirmation.note},
    )
    return confirmation


@transaction.atomic
def hashtag_forget(*, workspace: Workspace, tag: str, actor: User | None) -> bool:
    """Withdraw a confirmation: the next post with the tag must be checked again."""
    normal = normal_tag(tag)
    deleted, _rows = ConfirmedHashtag.objects.filter(workspace=workspace, tag=normal).delete()
    if deleted:
        audit_record(
            action="policy.hashtag_forgotten",
            workspace=workspace,
            actor=actor,
            detail={"tag": normal},
        )
    return bool(deleted)


@transaction.atomic
def guard_settings_save(
    *,
    workspace: Workspace,
    actor: User | None,
    signature: str,
    alt_text_required: bool,
    avoided_hashtag_blocks: bool,
    extra_disclosure_words: str,
    new_hashtag: str = NewHashtagRule.WARN,
) -> GuardSettings:
    if signature not in SignatureRule.values:
        raise ValidationError(_("Choose whether posts must be signed."))
    if new_hashtag not in NewHashtagRule.values:
        raise ValidationError(_("Choose what happens to a hashtag that is new to the workspace."))
    settings, _created = GuardSettings.objects.get_or_create(workspace=workspace)
    before = {
        "signature": settings.signature,
        "alt_text_required": settings.alt_text_required,
        "avoided_hashtag_blocks": settings.avoided_hashtag_blocks,
        "new_hashtag": settings.new_hashtag,
        "extra_disclosure_words": settings.extra_disclosure_words,
    }
    settings.signature = signature
    settings.alt_text_required = alt_text_required
    settings.avoided_hashtag_blocks = avoided_hashtag_blocks
    settings.new_hashtag = new_hashtag
    settings.extra_disclosure_words = ", ".join(
        w.strip() for w in extra_disclosure_words.split(",") if w.strip()
    )[:300]
    settings.updated_by = actor
    settings.save()
    after = {
        "signature": settings.signature,
        "alt_text_required": settings.alt_text_required,
        "avoided_hashtag_blocks": settings.avoided_hashtag_blocks,
        "new_hashtag": settings.new_hashtag,
        "extra_disclosure_words": settings.extra_disclosure_words,
    }
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        audit_record(
            action="policy.settings_changed", workspace=workspace, actor=actor, detail=changed
        )
    return settings
