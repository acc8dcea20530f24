"""The sandbox connector: a pretend network whose posts land on a page inside Varde.

Every other connector lives in ``varde.connectors`` and never touches the ORM, because its
network is somewhere else on the internet. This one sits beside its models on purpose: its
"network" *is* inside Varde. It must

* count exactly what it received, so the chaos test and the benchmark can prove that no
  delivery was lost and none was sent twice (``SandboxPost`` has no unique key on the
  idempotency key: a duplicate is stored, not swallowed);
* work across processes: several workers, the web process and the reconciler all see one
  network, so its state is in the database rather than in memory;
* inject faults on demand (``SandboxFault``): latency, a timeout before or after the post was
  accepted, 429 with Retry-After, a 5xx error, a rejection, an expired token, and a worker crash
  right after the post was accepted.

The demo, the chaos test and the benchmark all publish through it.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

import httpx
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from varde.connectors.capabilities import Capability
from varde.connectors.connect import NO_FORMS, ConnectForms
from varde.connectors.contracts import (
    AccountProfile,
    AuthorizeRedirect,
    Credentials,
    Limits,
    Mention,
    MentionKind,
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
)
from varde.connectors.errors import (
    AuthExpired,
    NotSupported,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)
from varde.connectors.look import NetworkLook
from varde.connectors.registry import register
from varde.connectors.text import fingerprint
from varde.lib import server_prepared
from varde.lib.prepared_writes import PreparedInsert
from varde.sandbox.choices import FaultKind
from varde.sandbox.metrics import followers_on, post_counts
from varde.sandbox.models import SandboxFault, SandboxIncoming, SandboxPost
from varde.sandbox.services import sandbox_people_answer

# Seeded per process, so a chaos run can be repeated as closely as process timing allows.
_random = random.Random(  # noqa: S311 - fault dice, seeded on purpose; nothing secret
    f"{os.environ.get('VARDE_SANDBOX_SEED', '0')}:{os.getpid()}"
)


class SandboxCrash(BaseException):
    """Stands in for a worker dying right after the network accepted the post.

    A BaseException, so nothing in the engine's ``except Exception`` catches it: the delivery
    is left exactly as a killed worker leaves it. Set VARDE_SANDBOX_CRASH=exit to end the
    process instead (the chaos test's workers do).
    """


@register
class SandboxConnector:
    key: ClassVar[str] = "sandbox"
    label: ClassVar[str] = gettext_noop("Sandbox")
    # Not a brand: no mark, its initial stands in.
    look: ClassVar[NetworkLook] = NetworkLook(
        description=gettext_lazy(
            "A pretend network inside Varde, for trying things out. Nothing leaves this server."
        ),
    )
    # Connected without any credentials: no form to fill in.
    connect_forms: ClassVar[ConnectForms] = NO_FORMS
    limits: ClassVar[Limits] = Limits(text_max=5000)
    # Comments, mentions, private messages and follows come from the simulated people
    # (``varde.sandbox.people``); replies, messages and hiding land back in the sandbox.
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.DELETE
        | Capability.FIND_PUBLISHED
        | Capability.COMMENTS
        | Capability.MENTIONS
        | Capability.REPLY
        | Capability.HIDE
        | Capability.DMS
        | Capability.METRICS
    )
    config_keys: ClassVar[tuple[str, ...]] = ("account", "workspace")
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        *,
        credentials: Credentials | None = None,
        config: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.credentials = credentials
        self.config: Mapping[str, str] = dict(config or {})
        self.sleep = sleep if sleep is not None else time.sleep
        self.account = self.config.get("account", "sandbox")

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def effective_limits(self) -> Limits:
        return self.limits

    # Publishing -------------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        result = self._send(request)
        if self.config.get("simulated_people") == "1":
            # A few made-up people answer over the next minutes, like on a real network.
            sandbox_people_answer(account=self.account, now=timezone.now(), spread_s=300)
        return result

    def _send(
        self, request: PublishRequest, *, in_reply_to: str = "", private_to: str = ""
    ) -> PublishResult:
        if self.credentials is None:
            msg = _("The sandbox account is not connected.")
            raise AuthExpired(msg)
        fault = self._fault()
        if fault is None:
            return self._accept(request, in_reply_to=in_reply_to, private_to=private_to)
        kind = fault.kind
        message = fault.message
        if kind == FaultKind.TIMEOUT_LOST:
            raise OutcomeUnknown(message or _("The sandbox did not answer in time."))
        if kind == FaultKind.RATE_LIMITED:
            raise RateLimited(
                message or _("The sandbox says: too many posts, slow down."),
                retry_after=fault.retry_after_s,
            )
        if kind == FaultKind.SERVER_ERROR:
            raise Transient(message or _("The sandbox had an internal error (503)."), status=503)
        if kind == FaultKind.REJECTED:
            raise Rejected(message or _("The sandbox does not accept this post."), status=400)
        if kind == FaultKind.AUTH_EXPIRED:
            raise AuthExpired(message or _("The sandbox token has expired."), status=401)
        self._accept(request, in_reply_to=in_reply_to, private_to=private_to)
        if kind == FaultKind.TIMEOUT_ACCEPTED:
            raise OutcomeUnknown(message or _("The sandbox did not answer in time."))
        # CRASH_AFTER_ACCEPT
        if os.environ.get("VARDE_SANDBOX_CRASH") == "exit":
            os._exit(70)
        raise SandboxCrash

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        mine = SandboxPost.objects.filter(account=self.account, deleted_at__isnull=True)
        found = mine.filter(idempotency_key=request.idempotency_key).order_by("id").first()
        if found is None:
            found = (
                mine.filter(fingerprint=fingerprint(request.full_text), received_at__gte=since)
                .order_by("id")
                .first()
            )
        return self._result(found) if found is not None else None

    def delete(self, network_post_id: str) -> None:
        SandboxPost.objects.filter(account=self.account, network_post_id=network_post_id).update(
            deleted_at=timezone.now()
        )

    # What the sandbox does not pretend to do ----------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        raise NotSupported(Capability.OAUTH, self.key)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        raise NotSupported(Capability.OAUTH, self.key)

    def login(self, *, identifier: str, secret: str) -> Credentials:
        return Credentials(access_token=f"sandbox-{uuid.uuid4().hex}")

    def refresh(self) -> Credentials:
        # A refresh meets the same injected faults as a post: a token fault still pending
        # means the grant itself is revoked, a server error is a passing failure.
        fault = self._fault()
        if fault is not None and fault.kind == FaultKind.AUTH_EXPIRED:
            raise AuthExpired(fault.message or _("The sandbox grant was revoked."), status=400)
        if fault is not None and fault.kind == FaultKind.SERVER_ERROR:
            raise Transient(
                fault.message or _("The sandbox had an internal error (503)."), status=503
            )
        return Credentials(access_token=f"sandbox-{uuid.uuid4().hex}")

    def get_account(self) -> AccountProfile:
        return AccountProfile(
            network_id=self.account,
            handle=self.account,
            display_name=self.account,
            url=self._page_url(),
            followers=followers_on(self.account, timezone.localdate()),
        )

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """What the simulated people sent that has arrived, from the cursor's time on (the
        inbox keeps items by id, so the overlap of one instant is safe)."""
        now = timezone.now()
        arrived = SandboxIncoming.objects.filter(account=self.account, arrives_at__lte=now)
        if cursor:
            # A cursor from before the simulated people is not a time: read everything.
            with contextlib.suppress(ValueError):
                arrived = arrived.filter(arrives_at__gte=datetime.fromisoformat(cursor))
        rows = list(arrived.order_by("arrives_at", "id")[:200])
        items = tuple(
            Mention(
                id=row.network_id,
                kind=MentionKind(row.kind),
                author_handle=row.author_handle,
                author_name=row.author_name,
                text=row.text,
                url=f"{self._page_url()}#incoming-{row.network_id}",
                created_at=row.arrives_at,
                in_reply_to=row.in_reply_to or None,
            )
            for row in rows
        )
        next_cursor = rows[-1].arrives_at.isoformat() if rows else cursor
        return Page(items=items, cursor=next_cursor)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        """Believable counts that grow with the post's age (``sandbox.metrics``); a deleted
        post is absent, as on a real network."""
        now = timezone.now()
        posts = SandboxPost.objects.filter(
            account=self.account,
            network_post_id__in=list(network_post_ids),
            deleted_at__isnull=True,
        ).values_list("network_post_id", "received_at")
        return tuple(
            PostMetrics(network_post_id=post_id, fetched_at=now, **post_counts(post_id, now - at))
            for post_id, at in posts
        )

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        request = PublishRequest(text=text, idempotency_key=idempotency_key)
        return self._send(request, in_reply_to=to[:60])

    def send_message(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        request = PublishRequest(text=text, idempotency_key=idempotency_key)
        return self._send(request, private_to=to[:80])

    def fetch_replies(self, network_post_id: str) -> tuple[Mention, ...]:
        raise NotSupported(Capability.REPLIES_OF_POST, self.key)

    def hide(self, comment_id: str) -> None:
        self._set_hidden(comment_id, hidden=True)

    def unhide(self, comment_id: str) -> None:
        self._set_hidden(comment_id, hidden=False)

    def _set_hidden(self, comment_id: str, *, hidden: bool) -> None:
        if self.credentials is None:
            raise AuthExpired(_("The sandbox account is not connected."))
        found = SandboxIncoming.objects.filter(
            account=self.account, network_id=comment_id, kind=MentionKind.COMMENT
        ).update(hidden=hidden)
        if not found:
            raise Rejected(_("The sandbox can hide only replies to the account's own posts."))

    # Inside the pretend network -------------------------------------------------------------

    def _fault(self) -> SandboxFault | None:
        """The fault that fires for this call, if any; latency faults only slow it down."""
        for fault in _faults_for(self.account):
            if _random.random() >= fault.probability:
                continue
            if fault.remaining is not None:
                # Count down atomically: two workers must not both spend the last one.
                spent = SandboxFault.objects.filter(pk=fault.pk, remaining__gt=0).update(
                    remaining=F("remaining") - 1
                )
                if not spent:
                    continue
            if fault.kind == FaultKind.LATENCY:
                self.sleep(fault.latency_ms / 1000)
                continue
            return fault
        return None

    def _accept(
        self, request: PublishRequest, *, in_reply_to: str = "", private_to: str = ""
    ) -> PublishResult:
        post = SandboxPost(
            account=self.account,
            in_reply_to=in_reply_to,
            private_to=private_to,
            network_post_id=uuid.uuid4().hex[:20],
            idempotency_key=request.idempotency_key,
            fingerprint=fingerprint(request.full_text),
            text=request.full_text,
        )
        # A pretend network: what it received need not wait for the disk (PostgreSQL).
        with server_prepared.commit_not_awaited():
            _NEW_POST.save(post)
        return self._result(post)

    def _result(self, post: SandboxPost) -> PublishResult:
        return PublishResult(
            network_post_id=post.network_post_id,
            url=f"{self._page_url()}#post-{post.network_post_id}",
            published_at=post.received_at,
        )

    def _page_url(self) -> str:
        workspace = self.config.get("workspace", "")
        return f"{settings.BASE_URL}/w/{workspace}/sandbox/" if workspace else settings.BASE_URL


# What the sandbox received, written with its SQL built once (varde/lib/prepared_writes.py).
_NEW_POST = PreparedInsert(SandboxPost)

# The fault list is read afresh on every call, so that a fault switched on reaches workers that
# are already running. Its SQL is built once per database, with a stand-in for the account:
# building the query cost more than the rest of a sandbox call, and every send of the publishing
# benchmark makes one (fast path: change only with bench/publish.py).
_ACCOUNT_STAND_IN = "\x00account"
_fault_sql: dict[str, tuple[Any, str, tuple[Any, ...], int, list[str], Any]] = {}


def _faults_for(account: str) -> list[SandboxFault]:
    """``SandboxFault.objects.filter(account__in=["", account])``, in its order."""
    connection = connections[DEFAULT_DB_ALIAS]
    key = f"{DEFAULT_DB_ALIAS}:{connection.vendor}"
    prepared = _fault_sql.get(key)
    if prepared is None:
        query = SandboxFault.objects.filter(account__in=["", _ACCOUNT_STAND_IN]).query
        compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        slot = list(params).index(_ACCOUNT_STAND_IN)
        names = [column[0].target.attname for column in compiler.select]
        converters = compiler.get_converters([column[0] for column in compiler.select])
        prepared = _fault_sql[key] = (compiler, sql, tuple(params), slot, names, converters)
    compiler, sql, params, slot, names, converters = prepared
    values = list(params)
    values[slot] = account
    with connection.cursor() as cursor:
        server_prepared.execute(connection, cursor, sql, values)
        rows = cursor.fetchall()
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    return [SandboxFault.from_db(DEFAULT_DB_ALIAS, names, tuple(row)) for row in rows]
