"""Every change to connected accounts goes through here."""

from __future__ import annotations

import enum
import json
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.channels import hooks, network_apps
from varde.channels.choices import ChannelStatus
from varde.channels.connecting import Verified, with_kept_refresh_token
from varde.channels.models import ConnectedAccount, InstanceApp, NetworkApp
from varde.channels.notices import channel_tell_owner_needs_reconnect
from varde.channels.selectors import (
    PLAN_CHANNEL_KEY,
    PLAN_NETWORK_KEY,
    channel_credentials,
    connector_for,
)
from varde.connectors.errors import AuthExpired, ConnectorError, RateLimited, Transient
from varde.lib.crypto import encrypt_secret
from varde.strategy import selectors as strategy_selectors
from varde.strategy import services as strategy_services

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.connectors.contracts import Credentials
    from varde.strategy.selectors import ChannelPlan

log = logging.getLogger(__name__)

# Writing last_success_at on every publish would add a write per post under load; once a
# minute is enough for "last worked at" to be true to the minute.
SUCCESS_RECORD_INTERVAL = timedelta(minutes=1)


def credentials_encrypt(credentials: Credentials) -> str:
    data: dict[str, Any] = {
        "access_token": credentials.access_token,
        "refresh_token": credentials.refresh_token,
        "expires_at": credentials.expires_at.isoformat() if credentials.expires_at else None,
        "scopes": list(credentials.scopes),
        "extra": dict(credentials.extra),
    }
    return encrypt_secret(json.dumps(data))


@transaction.atomic
def channel_connect(
    *,
    workspace: Workspace,
    connector_key: str,
    label: str,
    handle: str = "",
    credentials: Credentials | None = None,
    config: dict[str, str] | None = None,
    actor: User | None = None,
    secret_config: dict[str, str] | None = None,
    network_account_id: str = "",
) -> ConnectedAccount:
    channel = ConnectedAccount.objects.create(
        workspace=workspace,
        connector_key=connector_key,
        label=label,
        handle=handle,
        credentials_encrypted=credentials_encrypt(credentials) if credentials else "",
        config=config or {},
        secret_config_encrypted=_encrypt_config(secret_config),
        network_account_id=network_account_id,
        token_expires_at=credentials.expires_at if credentials else None,
        owner=actor,
    )
    audit_record(
        action="channel.connected",
        workspace=workspace,
        actor=actor,
        target=channel,
        detail={"network": connector_key},
    )
    return channel


def _encrypt_config(secret_config: dict[str, str] | None) -> str:
    return encrypt_secret(json.dumps(secret_config)) if secret_config else ""


@transaction.atomic
def channel_update_credentials(
    *, channel: ConnectedAccount, credentials: Credentials, actor: User | None = None
) -> ConnectedAccount:
    """Store new credentials (a reconnect or a refresh) and make the channel usable again.

    A stored refresh token is kept when the new credentials come without one.
    """
    was = channel.status
    credentials = with_kept_refresh_token(credentials, channel_credentials(channel))
    channel.credentials_encrypted = credentials_encrypt(credentials)
    channel.token_expires_at = credentials.expires_at
    channel.status = ChannelStatus.CONNECTED
    channel.last_error = ""
    channel.refresh_error = ""
    channel.disconnected_at = None
    channel.save(
        update_fields=[
            "credentials_encrypted",
            "token_expires_at",
            "status",
            "last_error",
            "refresh_error",
            "disconnected_at",
            "updated_at",
        ]
    )
    if was != ChannelStatus.CONNECTED:
        audit_record(
            action="channel.reconnected", workspace=channel.workspace, actor=actor, target=channel
        )
    return channel


def channel_mark_needs_reconnect(
    *, channel_id: int, error: str, refused_credentials: str | None = None
) -> bool:
    """Stop using a channel whose token the network refused.

    Returns True only for the call that made the change, so the owner is told once even when
    several workers meet the expired token at the same moment. With ``refused_credentials``
    (the encrypted credentials that were refused), nothing changes if the credentials have been
    replaced meanwhile: a refresh or a reconnect got there first, and the refusal is stale.
    """
    channels = ConnectedAccount.objects.filter(pk=channel_id, status=ChannelStatus.CONNECTED)
    if refused_credentials is not None:
        channels = channels.filter(credentials_encrypted=refused_credentials)
    changed = channels.update(
        status=ChannelStatus.NEEDS_RECONNECT, last_error=error, updated_at=timezone.now()
    )
    return changed == 1


@transaction.atomic
def channel_set_paused(*, channel: ConnectedAccount, paused: bool, actor: User | None) -> None:
    """Pause a connected channel (nothing is sent; scheduled posts wait) or resume it.

    Only a connected channel can be paused and only a paused one resumed: resuming must never
    hide that a channel needs reconnecting.
    """
    wanted_from = ChannelStatus.CONNECTED if paused else ChannelStatus.PAUSED
    changed = ConnectedAccount.objects.filter(pk=channel.pk, status=wanted_from).update(
        status=ChannelStatus.PAUSED if paused else ChannelStatus.CONNECTED,
        updated_at=timezone.now(),
    )
    if not changed:
        raise ValidationError(
            _("Only a connected channel can be paused.")
            if paused
            else _("Only a paused channel can be resumed.")
        )
    channel.refresh_from_db()
    audit_record(
        action="channel.paused" if paused else "channel.resumed",
        workspace=channel.workspace,
        actor=actor,
        target=channel,
    )
    if not paused:
        hooks.channel_usable_again.call(channel)


def channel_record_success(
    *, channel_id: int, last_success_at: datetime | None, now: datetime
) -> None:
    if last_success_at is not None and now - last_success_at < SUCCESS_RECORD_INTERVAL:
        return
    ConnectedAccount.objects.filter(pk=channel_id).update(last_success_at=now, last_error="")


# -- connecting -----------------------------------------------------------------------------


@transaction.atomic
def channel_connect_verified(
    *,
    workspace: Workspace,
    verified: Verified,
    actor: User | None,
    label: str = "",
    channel: ConnectedAccount | None = None,
) -> ConnectedAccount:
    """Store an account the network has just described: a new channel, or a reconnect of
    ``channel`` (which must be the same account on the network)."""
    profile = verified.profile
    if channel is None:
        return channel_connect(
            workspace=workspace,
            connector_key=verified.connector_key,
            label=(label or profile.display_name or profile.handle)[:120],
            handle=profile.handle[:200],
            credentials=verified.credentials,
            config=verified.config,
            secret_config=verified.secret_config,
            network_account_id=profile.network_id[:200],
            actor=actor,
        )
    if channel.workspace_id != workspace.pk or channel.connector_key != verified.connector_key:
        raise ValidationError(_("This channel belongs to another network or workspace."))
    if channel.network_account_id and profile.network_id != channel.network_account_id:
        raise ValidationError(
            _(
                "You signed in as %(handle)s, which is not the account of this channel. Sign in "
                "as %(expected)s, or connect %(handle)s as a new channel."
            )
            % {"handle": profile.handle or profile.network_id, "expected": channel.handle}
        )
    # The network's settings are read afresh; the person's tie to the plan is kept.
    kept = {k: v for k, v in channel.config.items() if k in (PLAN_CHANNEL_KEY, PLAN_NETWORK_KEY)}
    channel.config = {**verified.config, **kept}
    channel.secret_config_encrypted = _encrypt_config(verified.secret_config)
    channel.handle = profile.handle[:200] or channel.handle
    channel.network_account_id = profile.network_id[:200]
    if label:
        channel.label = label[:120]
    channel.save(
        update_fields=[
            "config",
            "secret_config_encrypted",
            "handle",
            "network_account_id",
            "label",
            "updated_at",
        ]
    )
    was_usable = channel.status == ChannelStatus.CONNECTED
    channel_update_credentials(channel=channel, credentials=verified.credentials, actor=actor)
    if not was_usable:
        hooks.channel_usable_again.call(channel)
    return channel


@transaction.atomic
def channel_disconnect(*, channel: ConnectedAccount, actor: User | None) -> int:
    """Forget the credentials and stop using the channel; keep it for the history.

    Posts still waiting for this channel (drafts and scheduled ones) are cancelled for it, so
    nothing sits in the queue for an account Varde can no longer reach. Returns how many.
    """
    if channel.status == ChannelStatus.DISCONNECTED:
        return 0
    cancelled = sum(hooks.channel_disconnecting.call(channel, actor))
    channel.status = ChannelStatus.DISCONNECTED
    channel.credentials_encrypted = ""
    channel.secret_config_encrypted = ""
    channel.token_expires_at = None
    channel.refresh_error = ""
    channel.disconnected_at = timezone.now()
    channel.save(
        update_fields=[
            "status",
            "credentials_encrypted",
            "secret_config_encrypted",
            "token_expires_at",
            "refresh_error",
            "disconnected_at",
            "updated_at",
        ]
    )
    audit_record(
        action="channel.disconnected",
        workspace=channel.workspace,
        actor=actor,
        target=channel,
        detail={"network": channel.connector_key, "cancelled": cancelled},
    )
    return cancelled


# -- keeping tokens fresh ---------------------------------------------------------------------

# Refresh a token when it expires within this margin. The periodic task runs every 5 minutes,
# so a token gets about five tries before it lapses (a network briefly down is survived), and
# Google's one-hour tokens are not refreshed on every run.
REFRESH_AHEAD = timedelta(minutes=25)


class RefreshOutcome(enum.StrEnum):
    REFRESHED = "refreshed"
    # Network down, 5xx, rate limit: try again next time; the channel stays connected.
    TRANSIENT = "transient"
    # The grant is revoked or the refresh token is no longer accepted: only a reconnect helps.
    REVOKED = "revoked"
    # Another refusal (the app's credentials are wrong, say): recorded, tried again later.
    FAILED = "failed"
    SKIPPED = "skipped"


def channels_due_for_refresh(*, now: datetime) -> list[int]:
    return list(
        ConnectedAccount.objects.filter(
            status=ChannelStatus.CONNECTED,
            token_expires_at__isnull=False,
            token_expires_at__lte=now + REFRESH_AHEAD,
        )
        .order_by("token_expires_at")
        .values_list("pk", flat=True)
    )


def channel_refresh(*, channel_id: int, now: datetime) -> RefreshOutcome:
    """Refresh one channel's token, telling a passing failure from a revoked grant.

    The network call happens outside any transaction; the result is stored only if the
    credentials did not change meanwhile (a person reconnecting wins over a refresh).
    """
    channel = ConnectedAccount.objects.select_related("workspace", "owner").get(pk=channel_id)
    if channel.status != ChannelStatus.CONNECTED:
        return RefreshOutcome.SKIPPED
    previous = channel_credentials(channel)
    read_encrypted = channel.credentials_encrypted
    try:
        fresh = connector_for(channel).refresh()
    except AuthExpired as error:
        # Only the refresh token we used is known to be dead. If another refresh stored new
        # credentials meanwhile (networks that rotate refresh tokens refuse the old one), the
        # channel is fine and nobody is told anything.
        message = str(error)
        if channel_mark_needs_reconnect(
            channel_id=channel.pk, error=message, refused_credentials=read_encrypted
        ):
            channel.refresh_from_db()
            channel_tell_owner_needs_reconnect(channel=channel, error=message)
            return RefreshOutcome.REVOKED
        return RefreshOutcome.SKIPPED
    except (Transient, RateLimited) as error:
        _record_refresh_error(channel.pk, str(error))
        return RefreshOutcome.TRANSIENT
    except ConnectorError as error:
        # OutcomeUnknown cannot happen on a token call (no side effect); anything else is a
        # refusal that is not about the grant: keep the channel, show the error.
        log.warning("Refreshing channel %s failed: %s", channel.pk, error)
        _record_refresh_error(channel.pk, str(error))
        return RefreshOutcome.FAILED
    fresh = with_kept_refresh_token(fresh, previous)
    stored = ConnectedAccount.objects.filter(
        pk=channel.pk, status=ChannelStatus.CONNECTED, credentials_encrypted=read_encrypted
    ).update(
        credentials_encrypted=credentials_encrypt(fresh),
        token_expires_at=fresh.expires_at,
        last_refreshed_at=now,
        refresh_error="",
        updated_at=now,
    )
    return RefreshOutcome.REFRESHED if stored else RefreshOutcome.SKIPPED


def _record_refresh_error(channel_id: int, error: str) -> None:
    ConnectedAccount.objects.filter(pk=channel_id).update(
        refresh_error=error[:1000], updated_at=timezone.now()
    )


def channels_refresh_due(*, now: datetime) -> dict[str, int]:
    """Refresh every token that expires soon; returns how many ended which way."""
    counts: dict[str, int] = {}
    for channel_id in channels_due_for_refresh(now=now):
        try:
            outcome = channel_refresh(channel_id=channel_id, now=now)
        except Exception:  # one broken channel must not stop the others being refreshed
            log.exception("Refreshing channel %s crashed", channel_id)
            outcome = RefreshOutcome.FAILED
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# -- Varde's registrations on people's own servers (Mastodon) ------------------------------


@transaction.atomic
def instance_app_save(
    *, connector_key: str, instance: str, redirect_uri: str, client_id: str, client_secret: str
) -> None:
    """Keep the app Varde just registered on ``instance`` for the next account there."""
    InstanceApp.objects.update_or_create(
        connector_key=connector_key,
        instance=instance,
        redirect_uri=redirect_uri,
        defaults={
            "client_id": client_id,
            "client_secret_encrypted": encrypt_secret(client_secret),
        },
    )


@transaction.atomic
def instance_app_forget(
    *, connector_key: str, instance: str, redirect_uri: str, client_id: str
) -> None:
    """The server no longer knows this registration: the next connect registers again.
    Only the given ``client_id`` is forgotten, never a newer registration."""
    InstanceApp.objects.filter(
        connector_key=connector_key,
        instance=instance,
        redirect_uri=redirect_uri,
        client_id=client_id,
    ).delete()


# -- This Varde's own apps with the networks (Settings → Networks) ---------------------------


@transaction.atomic
def network_app_save(*, app: str, client_id: str, client_secret: str, actor: User) -> NetworkApp:
    """Save the app id and, when given, a new secret (encrypted). An empty secret keeps the one
    saved before: the page never shows a saved secret, so an empty field means "unchanged".
    Recorded in the audit log with what changed, never the values."""
    setup = network_apps.app_setup(app)
    if setup is None:
        raise ValidationError(_("No network on this Varde signs in with this app."))
    if setup.from_environment:
        raise ValidationError(
            _("This app is set in the server's environment, which wins; change it there.")
        )
    row = NetworkApp.objects.select_for_update().filter(app=app).first() or NetworkApp(app=app)
    changed = [name for name in ("client_id",) if row.client_id != client_id]
    row.client_id = client_id
    if client_secret:
        row.client_secret_encrypted = encrypt_secret(client_secret)
        changed.append("client_secret")
    if setup.needs_secret and not row.client_secret_encrypted:
        raise ValidationError(_("Enter the app secret as well."))
    row.updated_by = actor
    row.save()
    audit_record(
        action="network_app.saved", actor=actor, target=row, detail={"app": app, "changed": changed}
    )
    return row


@transaction.atomic
def network_app_remove(*, app: str, actor: User) -> bool:
    """Forget the saved app id and secret. Channels connected with the app can no longer renew
    their access, so the page asks first. False when nothing was saved."""
    deleted, _by_model = NetworkApp.objects.filter(app=app).delete()
    if deleted:
        audit_record(action="network_app.removed", actor=actor, detail={"app": app})
    return bool(deleted)


# --- Tying a channel to the publishing plan ----------------------------------------------------


@transaction.atomic
def channel_plan_tie(
    *, channel: ConnectedAccount, plan_channel_id: int | None, actor: User | None
) -> ChannelPlan | None:
    """Tie a connected account to one channel of the workspace's plan (None: untie it).

    Tied, the calendar's meters and gaps, the composer's next free slot and the guard's "who
    may publish where" treat the account as that plan channel, whatever the networks are (a
    sandbox for the plan's Facebook page, an "Other" channel). Untied, the account is matched
    by network again. Returns the plan channel now tied, or None.
    """
    plan: ChannelPlan | None = None
    if plan_channel_id is not None:
        plans = strategy_selectors.publishing_plan_for(channel.workspace)
        plan = next((p for p in plans if p.channel_id == plan_channel_id), None)
        if plan is None:
            raise ValidationError(_("Choose a channel of this workspace's plan."))
    config = {
        k: v for k, v in channel.config.items() if k not in (PLAN_CHANNEL_KEY, PLAN_NETWORK_KEY)
    }
    if plan is not None:
        config[PLAN_CHANNEL_KEY] = str(plan.channel_id)
        config[PLAN_NETWORK_KEY] = plan.network
    channel.config = config
    channel.save(update_fields=["config", "updated_at"])
    audit_record(
        action="channel.plan_tied" if plan else "channel.plan_untied",
        workspace=channel.workspace,
        actor=actor,
        target=channel,
        detail={"plan_channel": plan.name, "network": plan.network} if plan else {},
    )
    return plan


@transaction.atomic
def channel_plan_add(
    *, channel: ConnectedAccount, network: str, name: str, actor: User | None
) -> ChannelPlan:
    """Add a new channel to the plan (phase 1 and 4) for this account, and tie the two.

    The new plan channel has no days, times or frequency yet: the person gives them in phase 4.
    """
    created = strategy_services.plan_item_create(
        workspace=channel.workspace,
        actor=actor,
        kind="channel",
        fields={"network": network, "name": name.strip()[:120]},
    )
    plan = channel_plan_tie(channel=channel, plan_channel_id=created.pk, actor=actor)
    assert plan is not None  # noqa: S101 - it was created just above, in this workspace
    return plan
