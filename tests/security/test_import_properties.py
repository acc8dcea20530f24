"""The importers on any file: an answer, never a 500, and a refused import saves nothing.

Three pages take a table from a person: the calendar's import (CSV or XLSX, through
``varde.lib.tables``), the newsletter's subscriber import (the same reader) and listening's CSV
import. Hypothesis builds the files: the real column names with cells of every awkward kind
(the XSS corpus, formulas, control characters, line breaks inside cells, 140 kB cells), every
separator and line ending (CR only included), several encodings, workbooks, and bytes that
only claim to be a table. Each file goes through the page as a person's upload would.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security.corpus import PAYLOADS
from tests.security.fill import create_row
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.calendar import importer
from varde.content.models import Post
from varde.lib import tables
from varde.listening.models import Mention, Source
from varde.newsletter.models import Subscriber, SubscriberList

pytestmark = pytest.mark.django_db

AWKWARD_CELLS = (
    *PAYLOADS,
    "=1+1",
    "+SUM(A1)",
    "@cmd",
    "-2",
    '"',
    '""quoted""',
    "a;b,c\td",
    "line\rbreak",
    "line\nbreak",
    "line\r\nbreak",
    "\x00",
    "\x0b\x0c",
    "\ufeffbom",
    "2026-02-30 25:61",
    "31.12.2026 23:59",
    "ø æ å € “”",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
)
CELL = st.one_of(
    st.sampled_from(AWKWARD_CELLS),
    st.text(max_size=40),
    st.just("x" * 140_000),  # over csv's default field limit of 128 kB
)
# A page answers in tens of milliseconds on a quiet machine; fewer examples keep CI short.
THROUGH_THE_PAGE = settings(max_examples=max(10, settings.default.max_examples // 2))
CALENDAR_HEADER = importer.template_rows(["Instagram"])[0]
NEWSLETTER_HEADER = ["email", "name"]
LISTENING_HEADER = ["text", "date", "url", "author", "handle", "language", "id", "site", "source"]


def _csv(rows: list[list[str]], separator: str, newline: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator=newline).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell)[:32_000] for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def table_files(draw: st.DrawFn, header: list[str]) -> tuple[str, bytes]:
    """A file name and its bytes: a table with ``header`` (perhaps), or something that is not."""
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=6))
    if draw(st.booleans()):
        rows = [draw(st.permutations(header))[: draw(st.integers(1, len(header)))], *rows]
    shape = draw(st.sampled_from(["csv", "csv", "csv", "xlsx", "bytes"]))
    if shape == "xlsx":
        return "posts.xlsx", _xlsx(rows)
    if shape == "bytes":
        name = draw(st.sampled_from(["posts.xlsx", "posts.csv", "posts.txt", "posts"]))
        start = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"]))
        return name, start + draw(st.binary(max_size=400))
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return "posts.csv", _csv(rows, separator, newline, encoding)


@pytest.fixture
def shop(db):
    workspace = WorkspaceFactory(slug="shop", language="en")
    return workspace, member(workspace, Role.OWNER)


@given(file=st.one_of(table_files(CALENDAR_HEADER), table_files(NEWSLETTER_HEADER)))
def test_the_shared_reader_gives_rows_or_a_table_error(file):
    name, data = file
    try:
        rows = tables.read_rows(name=name, data=data, max_rows=50, max_bytes=1_000_000)
    except tables.TableError as refused:
        messages = refused.messages
    else:
        assert all(isinstance(cell, str) for row in rows for cell in row.cells)
        return
    assert messages
    assert all(messages)


@THROUGH_THE_PAGE
@given(file=table_files(CALENDAR_HEADER))
def test_the_calendar_import_answers_every_file_and_saves_nothing_before_confirm(
    file, shop, client
):
    workspace, owner = shop
    client.force_login(owner)
    name, data = file
    posts = Post.objects.count()
    response = client.post(
        f"/w/{workspace.slug}/calendar/import/", {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code in (200, 400)
    assert Post.objects.count() == posts


@THROUGH_THE_PAGE
@given(file=table_files(NEWSLETTER_HEADER), consent=st.booleans())
def test_the_subscriber_import_answers_every_file_and_a_refused_file_saves_nothing(
    file, consent, shop, client
):
    workspace, owner = shop
    client.force_login(owner)
    subscriber_list = SubscriberList.objects.filter(workspace=workspace).first()
    subscriber_list = subscriber_list or create_row(SubscriberList, workspace, owner)
    name, data = file
    before = Subscriber.objects.count()
    form = {"file": SimpleUploadedFile(name, data)}
    if consent:
        form["consent_confirmed"] = "on"
    response = client.post(
        f"/w/{workspace.slug}/newsletter/lists/{subscriber_list.pk}/import/", form
    )
    assert response.status_code == 302
    said = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    if not any(level == "success" for level, _ in said):  # the file itself was refused
        assert Subscriber.objects.count() == before, said


@THROUGH_THE_PAGE
@given(file=table_files(LISTENING_HEADER))
def test_the_listening_import_answers_every_file_and_a_refused_file_saves_nothing(
    file, shop, client
):
    workspace, owner = shop
    client.force_login(owner)
    name, data = file
    sources, mentions = Source.objects.count(), Mention.objects.count()
    response = client.post(
        f"/w/{workspace.slug}/listening/sources/csv/",
        {"file": SimpleUploadedFile(name, data), "name": "Export"},
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    if preview is None:
        assert Source.objects.count() == sources
        return
    source = Source.objects.filter(workspace=workspace).latest("pk")
    run = client.post(f"/w/{workspace.slug}/listening/sources/csv/{source.pk}/import/")
    assert run.status_code == 302
    said = [str(m) for m in get_messages(run.wsgi_request)]
    if any(text.startswith("Nothing was imported") for text in said):
        assert Mention.objects.count() == mentions, said


@given(text=st.one_of(st.text(max_size=200), st.sampled_from(PAYLOADS)))
def test_the_listening_reader_reads_any_text_or_says_why_not(text):
    from varde.listening.sources import csv_import
    from varde.listening.sources.base import CODES, SourceError

    try:
        csv_import.read_text(text)
    except SourceError as refused:
        code = refused.code
    else:
        return
    assert code in CODES


def test_a_listening_csv_with_cr_only_line_ends_is_read_not_a_crash():
    """Found by the property above: csv.Error escaped from the header row as a 500."""
    from varde.listening.sources import csv_import

    read = csv_import.read_text("text;date\rHei Varde;2026-03-01\rIgjen;2026-03-02\r")
    assert [item.text for item in read.items] == ["Hei Varde", "Igjen"]
