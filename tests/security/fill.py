"""A workspace with a row of every model and the XSS corpus in every text field.

Nothing here names an app's model: the demo seeds a realistic workspace, a row is made for
every model the demo left empty (its required fields read from ``_meta``), and then every
text field of every row is overwritten with payloads. A model or field added later is filled
the same way, so the pages that show it are tried without anyone writing a test.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tests.security.corpus import payload_text
from varde.lib.crypto import encrypt_secret

# Text fields left alone, by name: they are never shown as text (secrets, hashes, keys the
# code looks things up by), or hold a value from a fixed set the code branches on; fields named
# like a URL parameter are kept too (``url_parameter_names``). A payload there tests nothing but
# a crash on data no form or network can give.
KEPT_NAMES = {
    "password",
    "slug",
    "language",
    "timezone",
    "scheduled_timezone",
    "kind",
    "source_kind",
    "connector_key",
    "network",
    "cursor",
    "secrets",
    "salt",
    "fingerprint",
    "mime_type",
    "currency",
    "queue_kind",
    "scope",
    "key",
    "code",
    "pixel_id",
    "sentiment",
    "mix_category",
    "error_code",
    "action",
    "target_type",
    "metric",
    "source",
}
KEPT_SUFFIXES = ("_encrypted", "_hash", "_token", "token", "_key", "_id")
# A field with one of these in its name holds a link: it gets the javascript: payloads first.
URL_NAMES = ("url", "link", "website", "redirect_uri", "instance", "target_url")
TEXT_FIELDS = (models.CharField, models.TextField)
ROWS_FILLED_ONE_BY_ONE = 40
ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@functools.cache
def url_parameter_names() -> frozenset[str]:
    """The names of the URL parameters: a field of the same name (``code``, ``app``) is how a
    page is found, so it keeps its value and the walk can use it."""
    from django.urls import get_resolver

    from varde.accounts.tests.test_access import PARAM, walk

    routes = walk(get_resolver().url_patterns)
    return frozenset(m["name"] for route in routes for m in PARAM.finditer(route.template))


def is_filled(model_field: models.Field[Any, Any]) -> bool:
    """Whether the corpus goes into this field."""
    if not isinstance(model_field, (*TEXT_FIELDS, models.JSONField)) or model_field.primary_key:
        return False
    if model_field.choices or isinstance(model_field, models.SlugField | models.EmailField):
        return False
    name = model_field.name
    if name in KEPT_NAMES or name in url_parameter_names():
        return False
    return not name.endswith(KEPT_SUFFIXES)


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("varde.")]


def rows_of(model: type[models.Model], workspace: Any) -> models.QuerySet[Any]:
    """The model's rows in ``workspace``, or all rows for a model not held by a workspace."""
    names = {f.name for f in model._meta.get_fields()}
    if "workspace" in names:
        return model._default_manager.filter(workspace=workspace)
    return model._default_manager.all()


@dataclass
class Filled:
    """What the corpus reached: ``fields`` as ``app.Model.field`` labels."""

    fields: set[str] = field(default_factory=set)
    rows: int = 0
    models_created: list[str] = field(default_factory=list)
    models_not_created: dict[str, str] = field(default_factory=dict)


# --- one row per model ------------------------------------------------------------------------

_counter = itertools.count(1)


def _value_for(model_field: models.Field[Any, Any], workspace: Any, owner: Any) -> Any:
    """A valid value for a required field, enough for the row to be saved and shown."""
    if model_field.choices:
        return model_field.choices[0][0]
    if isinstance(model_field, models.ForeignKey | models.OneToOneField):
        return _related_row(model_field, workspace, owner)
    return _plain_value(model_field)


def _plain_value(model_field: models.Field[Any, Any]) -> Any:  # noqa: PLR0911, PLR0912 - a table
    number = next(_counter)
    if model_field.name.endswith("_encrypted"):
        return encrypt_secret(f"secret {number}")  # the page decrypts it to show a hint
    if isinstance(model_field, models.EmailField):
        return f"row{number}@example.test"
    if isinstance(model_field, models.URLField):
        return f"https://example.test/{number}"
    if isinstance(model_field, TEXT_FIELDS):
        return f"x{number}"[: model_field.max_length or 40]
    if isinstance(model_field, models.BooleanField):
        return False
    if isinstance(model_field, models.DateTimeField):
        return timezone.now()
    if isinstance(model_field, models.DateField):
        return timezone.localdate()
    if isinstance(model_field, models.TimeField):
        return datetime.time(9, 0)
    if isinstance(model_field, models.DurationField):
        return datetime.timedelta(hours=1)
    if isinstance(model_field, models.DecimalField):
        return decimal.Decimal(1)
    if isinstance(model_field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(model_field, models.JSONField):
        return {}
    if isinstance(model_field, models.BinaryField):
        return b""
    if isinstance(model_field, models.FileField):
        return model_field.storage.save(f"fill/{number}.png", ContentFile(ONE_PIXEL_PNG))
    return 1  # the integer and float fields


def _related_row(model_field: models.Field[Any, Any], workspace: Any, owner: Any) -> Any:
    target = model_field.related_model
    assert isinstance(target, type)
    if target._meta.label == "accounts.Workspace":
        return workspace
    if target._meta.label == "accounts.User":
        return owner
    existing = rows_of(target, workspace).order_by("pk").first()
    if existing is not None and not isinstance(model_field, models.OneToOneField):
        return existing
    return create_row(target, workspace, owner)


def _required(model_field: models.Field[Any, Any]) -> bool:
    return not (
        model_field.primary_key
        or model_field.null
        or model_field.has_default()
        or (model_field.blank and not isinstance(model_field, models.ForeignKey))
        or getattr(model_field, "auto_now", False)
        or getattr(model_field, "auto_now_add", False)
    )


def create_row(model: type[models.Model], workspace: Any, owner: Any) -> models.Model:
    """Save one row with every required field given a plain valid value."""
    values = {
        f.name: _value_for(f, workspace, owner) for f in model._meta.concrete_fields if _required(f)
    }
    if any(f.name == "workspace" for f in model._meta.concrete_fields):
        values["workspace"] = workspace
    return model._default_manager.create(**values)


def one_row_per_model(workspace: Any, owner: Any, filled: Filled) -> None:
    """A row for every model that has none in ``workspace`` yet."""
    for model in project_models():
        if rows_of(model, workspace).exists():
            continue
        try:
            with transaction.atomic():
                create_row(model, workspace, owner)
            filled.models_created.append(model._meta.label)
        except (IntegrityError, ValueError, TypeError) as error:
            filled.models_not_created[model._meta.label] = str(error)[:200]


# --- the corpus into every text field ---------------------------------------------------------


def _json_with_payloads(value: Any, offset: int) -> Any:
    """The same JSON shape with every string that reads as prose replaced by payloads.

    Keys and short words stay: they are the codes the code branches on (``"kind": "like"``),
    while a sentence, a name or a link is what a person or a network wrote.
    """
    if isinstance(value, dict):
        return {k: _json_with_payloads(v, offset + i) for i, (k, v) in enumerate(value.items())}
    if isinstance(value, list):
        return [_json_with_payloads(v, offset + i) for i, v in enumerate(value)]
    if isinstance(value, str) and (" " in value or "/" in value or len(value) > 24):
        return payload_text(offset, 400, url_first="://" in value)
    return value


def _row_values(row: models.Model, text_fields: list[Any], offset: int) -> dict[str, Any]:
    values = {}
    for index, model_field in enumerate(text_fields):
        if isinstance(model_field, models.JSONField):
            values[model_field.attname] = _json_with_payloads(
                getattr(row, model_field.attname), offset + index
            )
        else:
            unique = f" {row.pk}" if model_field.unique else ""
            limit = (model_field.max_length or 10_000) - len(unique)
            text = payload_text(offset + index, limit, url_first=_url_first(model_field))
            values[model_field.attname] = text + unique
    return values


def _url_first(model_field: Any) -> bool:
    return any(part in model_field.name for part in URL_NAMES)


def corpus_into_text_fields(workspace: Any, filled: Filled) -> None:
    """Every filled field of every row of the workspace gets payloads, a different mix per
    field and per row. The workspace's own name gets them too."""
    for model in project_models():
        text_fields = [f for f in model._meta.concrete_fields if is_filled(f)]
        if not text_fields:
            continue
        rows = list(rows_of(model, workspace).order_by("pk")[:ROWS_FILLED_ONE_BY_ONE])
        for number, row in enumerate(rows):
            values = _row_values(row, text_fields, offset=number * 7)
            model._default_manager.filter(pk=row.pk).update(**values)
        filled.rows += len(rows)
        if rows:
            filled.fields |= {f"{model._meta.label}.{f.name}" for f in text_fields}
