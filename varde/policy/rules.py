"""The workspace's rules as the guard reads them, and the engine's cache of them.

The guard reads the plan (terms, hashtags, who may publish where), its own settings and the
members' names and roles. In the composer that is read afresh for every check. The publishing
engine checks every delivery again at send time, thousands a minute, for a handful of
workspaces whose rules seldom change, so it keeps each workspace's rules (``rules_for_send``)
and, before every send, reads one stamp of them: every row those rules come from, as one text
each (``strategy.selectors.plan_rule_rows``, ``policy.selectors.guard_rule_rows``), in one
statement. The kept rules are used only while the stamp is exactly the same, so a rule that
changes — added, edited or deleted, by any path — applies to every send whose check starts
after the change was committed. Kept rules are also read again after ``MAX_AGE_SECONDS``.

The engine's cache (``rules_for_send``, ``_stamp``) is fast-path code: the stamp runs for every
delivery sent. Change it only with ``bench/publish.py`` run before and after (docs/benchmarks.md)
and ``publishing/tests/test_engine_cost.py`` passing (statements and ORM-built queries per send).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import connection

from varde.lib import server_prepared
from varde.policy import selectors
from varde.policy.text import normalise
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.policy.models import GuardSettings
    from varde.strategy.selectors import ChannelPlan, HashtagPolicy, TermPolicy

# A bound on how long kept rules are used even when the stamp is unchanged. Nothing should be
# missed by the stamp; this only limits what a mistake there (a field the guard reads that the
# stamp leaves out) could cost.
MAX_AGE_SECONDS = 60.0


class WorkspaceRules:
    """Everything the guard reads from the plan, its settings and the members, each read at
    most once and only when a rule needs it."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @cached_property
    def terms(self) -> list[TermPolicy]:
        return strategy_selectors.banned_terms_for(self.workspace)

    @cached_property
    def hashtags(self) -> HashtagPolicy:
        return strategy_selectors.hashtags_for(self.workspace)

    @cached_property
    def settings(self) -> GuardSettings:
        return selectors.guard_settings_for(self.workspace)

    @cached_property
    def channel_plans(self) -> list[ChannelPlan]:
        return strategy_selectors.publishing_plan_for(self.workspace)

    @cached_property
    def roles(self) -> dict[int, str]:
        return selectors.member_roles(self.workspace)

    @cached_property
    def first_names(self) -> frozenset[str]:
        """The first names of the members and of the people in the plan, case-folded."""
        names = selectors.member_names(self.workspace)
        names += [p.name for plan in self.channel_plans for p in plan.publishers]
        names += [p.name for p in strategy_selectors.people_list(self.workspace)]
        return frozenset(first_name(n) for n in names if n.split())

    def role_of(self, user: User) -> str | None:
        return self.roles.get(user.pk)


def first_name(name: str) -> str:
    return normalise(name).split()[0].casefold()


# --- The engine's cache (fast path: change only with bench/publish.py) -------------------------


@dataclass(frozen=True)
class _Kept:
    stamp: tuple[str, ...]
    read_at: float  # time.monotonic()
    rules: WorkspaceRules


_kept: dict[tuple[str, int], _Kept] = {}
# The stamp's SQL, made once per workspace and database: building a query costs more than
# running this one.
_stamp_sql: dict[tuple[str, int], tuple[str, tuple[Any, ...]]] = {}
_lock = threading.Lock()


def _key(workspace_id: int) -> tuple[str, int]:
    return (f"{connection.vendor}:{connection.settings_dict.get('NAME')}", workspace_id)


def _stamp(workspace_id: int) -> tuple[str, ...]:
    key = _key(workspace_id)
    compiled = _stamp_sql.get(key)
    if compiled is None:
        first, *rest = [
            *strategy_selectors.plan_rule_rows(workspace_id),
            *selectors.guard_rule_rows(workspace_id),
        ]
        compiled = first.union(*rest, all=True).query.sql_with_params()
        with _lock:
            _stamp_sql[key] = compiled
    sql, params = compiled
    with connection.cursor() as cursor:
        # The values are the same for every send of the workspace: prepared with the SQL.
        server_prepared.execute(connection, cursor, sql, params, fixed=True)
        return tuple(sorted(row[0] for row in cursor.fetchall()))


def rules_for_send(workspace: Workspace) -> WorkspaceRules:
    """The workspace's rules for a send-time check: the kept ones while their stamp is
    unchanged (one statement), else read again, lazily, as the guard needs them."""
    stamp = _stamp(workspace.pk)
    key = _key(workspace.pk)
    kept = _kept.get(key)
    now = time.monotonic()
    if kept is not None and kept.stamp == stamp and now - kept.read_at < MAX_AGE_SECONDS:
        return kept.rules
    # Read after the stamp: the rules are at least as new as the stamp they are kept under,
    # so a change made in between shows as a different stamp at the next send.
    rules = WorkspaceRules(workspace)
    with _lock:
        _kept[key] = _Kept(stamp=stamp, read_at=now, rules=rules)
    return rules
