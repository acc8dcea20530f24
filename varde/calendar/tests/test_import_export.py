"""Import: every error with its row and column before anything is saved; all or nothing.
Export: the calendar as filtered, with formula cells defused."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from varde.calendar.exporter import safe_cell
from varde.calendar.importer import ImportFileError, check_rows, read_table
from varde.calendar.tests.conftest import NOW, local, make_post
from varde.content.choices import ApprovalState
from varde.content.models import Post
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages asserted here are the English ones (the default language is bokmål)."""
    with translation.override("en"):
        yield


HEADER = "text,channels,date,time,campaign,pillar,mix_category,link,paid\n"


def _url(workspace, name):
    return reverse(f"calendar:{name}", kwargs={"workspace": workspace.slug})


def _upload(client, workspace, content, name="posts.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(_url(workspace, "import"), {"file": SimpleUploadedFile(name, data)})


def _confirm(client, workspace, response):
    return client.post(_url(workspace, "import_confirm"), {"payload": response.context["payload"]})


def test_a_clean_file_is_previewed_then_imported_as_planned_drafts(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, instagram, facebook, campaign, pillar, frozen
):
    content = HEADER + (
        "Vårsalg i butikken,Instagram; Facebook,2026-03-20,09:00,Vårslipp,Sykkelglede,"
        "promotional,https://example.com/vaar,ja\n"
        '"Hva liker du, sykkel eller ski?",@bryggen,31.03.2026,14.30,,,engagement,,\n'
    )
    client = client_as(editor)
    preview = _upload(client, workspace, content)
    assert preview.status_code == 200
    assert "2 posts are ready to import as drafts." in preview.content.decode()
    assert Post.objects.count() == 0  # nothing saved before confirming

    response = _confirm(client, workspace, preview)
    assert response.status_code == 302
    first, second = Post.objects.order_by("id")
    assert first.approval_state == ApprovalState.DRAFT
    assert (first.campaign, first.pillar_id, first.mix_category) == (
        campaign,
        pillar.pk,
        "promotional",
    )
    assert (first.link_url, first.is_paid, first.author) == (
        "https://example.com/vaar",
        True,
        editor,
    )
    deliveries = Delivery.objects.filter(post=first)
    assert {d.channel_id for d in deliveries} == {instagram.pk, facebook.pk}
    assert {d.state for d in deliveries} == {DeliveryState.DRAFT}
    assert {d.scheduled_at for d in deliveries} == {local(2026, 3, 20, 9, 0)}
    # 31 March is summer time: 14:30 in Oslo is 12:30 UTC.
    [summer] = Delivery.objects.filter(post=second)
    assert summer.scheduled_at == dt.datetime(2026, 3, 31, 12, 30, tzinfo=dt.UTC)
    assert second.text == "Hva liker du, sykkel eller ski?"


def test_every_error_is_shown_with_its_row_and_column_and_nothing_is_saved(
    client_as, workspace, editor, instagram, frozen
):
    content = HEADER + (
        "OK post,Instagram,2026-03-20,09:00,,,,,\n"
        ",Instagram,2026-03-20,09:00,,,,,\n"  # row 3: no text
        "Post,Nowhere,2026-03-20,09:00,,,,,\n"  # row 4: unknown channel
        "Post,,2026-03-20,09:00,,,,,\n"  # row 5: no channel
        "Post,Instagram,20th March,09:00,,,,,\n"  # row 6: bad date
        "Post,Instagram,2026-03-20,nine,,,,,\n"  # row 7: bad time
        "Post,Instagram,2026-03-01,09:00,,,,,\n"  # row 8: in the past
        "Post,Instagram,2026-03-20,09:00,Ukjent,,,,\n"  # row 9: unknown campaign
        "Post,Instagram,2026-03-20,09:00,,Ukjent,,,\n"  # row 10: unknown pillar
        "Post,Instagram,2026-03-20,09:00,,,salg,,\n"  # row 11: unknown mix category
        "Post,Instagram,2026-03-20,09:00,,,,not a link,\n"  # row 12: bad link
        "Post,Instagram,2026-03-20,09:00,,,,,kanskje\n"  # row 13: bad paid
    )
    client = client_as(editor)
    response = _upload(client, workspace, content)
    errors = [(e.row, e.column) for e in response.context["check"].errors]
    assert errors == [
        (3, "text"),
        (4, "channels"),
        (5, "channels"),
        (6, "date"),
        (7, "time"),
        (8, "date"),
        (9, "campaign"),
        (10, "pillar"),
        (11, "mix_category"),
        (12, "link"),
        (13, "paid"),
    ]
    page = response.content.decode()
    assert "11 problems to fix — nothing has been saved" in page
    assert "Row 4, column “channels”: There is no channel called “Nowhere”" in page
    assert "Import them" not in page  # no way to confirm a file with errors
    assert Post.objects.count() == 0


def test_rows_are_checked_again_at_confirmation(client_as, workspace, editor, instagram, frozen):
    content = (
        HEADER + "Post,Instagram,2026-03-20,09:00,,,,,\nPost 2,Instagram,2026-03-21,09:00,,,,,\n"
    )
    client = client_as(editor)
    preview = _upload(client, workspace, content)
    instagram.delete()  # the channel went away between preview and confirmation
    response = _confirm(client, workspace, preview)
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["check"].errors] == [
        (2, "channels"),
        (3, "channels"),
    ]
    assert Post.objects.count() == 0


def test_a_failure_while_saving_leaves_nothing_half_imported(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, instagram, frozen, monkeypatch
):
    from varde.calendar import services

    calls = []
    real = services.post_save_draft

    def fail_on_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "post_save_draft", fail_on_second)
    content = HEADER + "One,Instagram,2026-03-20,09:00,,,,,\nTwo,Instagram,2026-03-21,09:00,,,,,\n"
    client = client_as(editor)
    client.raise_request_exception = True
    preview = _upload(client, workspace, content)
    with pytest.raises(RuntimeError):
        _confirm(client, workspace, preview)
    assert len(calls) == 2  # the first post was saved, then rolled back with the second
    assert Post.objects.count() == 0


def test_a_tampered_or_expired_preview_is_refused(client_as, workspace, editor):
    response = client_as(editor).post(_url(workspace, "import_confirm"), {"payload": "forged"})
    assert response.status_code == 400
    assert "Upload the file again" in response.content.decode()


def test_semicolon_separated_norwegian_csv_in_windows_1252(workspace, instagram, frozen):
    content = (
        "Tekst;Kanaler;Dato;Klokkeslett;Betalt\n"
        "Blåbærtur på Fløyen;Instagram;20.03.2026;09:00;nei\n"
    )
    table = read_table(name="innlegg.csv", data=content.encode("cp1252"))
    check = check_rows(workspace=workspace, rows=table.rows, now=NOW)
    assert check.errors == []
    [row] = check.rows
    assert row.text == "Blåbærtur på Fløyen"
    assert row.channels == (instagram,)
    assert not row.is_paid


def test_cr_only_line_ends_are_read_not_a_server_error(
    client_as, workspace, editor, instagram, frozen
):
    # Issue 15: a file saved with CR alone between lines (old Mac Excel) gave HTTP 500.
    content = "text;channels;date;time\rVår;Instagram;20.03.2026;09:00\r"
    preview = _upload(client_as(editor), workspace, content)
    assert preview.status_code == 200
    assert "1 post is ready to import as a draft." in preview.content.decode()


def test_a_cell_over_128_kb_is_named_not_a_server_error(client_as, workspace, editor):
    # Issue 15: csv's own 128 KB field limit raised an error that became HTTP 500.
    content = "text,channels,date,time\n" + "x" * (130 * 1024) + ",Instagram,2026-03-20,09:00\n"
    response = _upload(client_as(editor), workspace, content)
    assert response.status_code == 400
    assert "Row 2, column A holds" in response.content.decode()
    assert Post.objects.count() == 0


def test_xlsx_with_real_dates_and_times(client_as, workspace, editor, instagram, frozen):
    book = Workbook()
    sheet = book.active
    sheet.append(["text", "channels", "date", "time", "mix category", "notes"])
    sheet.append(
        ["Fra Excel", "Instagram", dt.datetime(2026, 3, 20), dt.time(9, 15), "Curated", "x"]  # noqa: DTZ001 - local wall clock
    )
    sheet.append(["Feil", "Instagram", "i morgen", dt.time(9, 15), "", ""])
    data = io.BytesIO()
    book.save(data)
    client = client_as(editor)
    preview = _upload(client, workspace, data.getvalue(), name="posts.xlsx")
    assert [(e.row, e.column) for e in preview.context["check"].errors] == [(3, "date")]
    assert "notes" in preview.content.decode()  # the ignored column is named
    assert Post.objects.count() == 0
    table = read_table(name="posts.xlsx", data=data.getvalue())
    [row, _bad] = table.rows
    assert (row.values["date"], row.values["time"]) == ("2026-03-20", "09:15")
    check = check_rows(workspace=workspace, rows=table.rows[:1], now=NOW)
    assert check.rows[0].mix_category == "curated"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("posts.pdf", b"%PDF", "Upload a CSV file"),
        ("posts.csv", b"", "file is empty"),
        ("posts.csv", b"text,date\nHei,2026-03-20\n", "Missing: channels, time"),
        ("posts.csv", HEADER.encode(), "no posts"),
        ("posts.xlsx", b"not a workbook", "could not be read as an Excel workbook"),
    ],
)
def test_files_that_cannot_be_read_say_why(name, content, message, client_as, workspace, editor):  # noqa: PLR0917 - pytest fixtures
    # Outside a request the language is whatever the last request on this thread left.
    with translation.override("en"), pytest.raises(ImportFileError, match=message):
        read_table(name=name, data=content)
    response = _upload(client_as(editor), workspace, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_template_download_uses_the_workspace_channels(client_as, workspace, editor, instagram):
    response = client_as(editor).get(_url(workspace, "import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="varde-import-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "text",
        "channels",
        "date",
        "time",
        "campaign",
        "pillar",
        "mix_category",
        "link",
        "paid",
    ]
    assert rows[1][1] == "Instagram"
    table = read_table(name="t.csv", data=response.content)
    assert len(table.rows) == 2  # the template reads back as two example posts


def test_read_only_roles_cannot_import(client_as, workspace):
    from varde.accounts.roles import Role
    from varde.accounts.tests.factories import member

    analyst = member(workspace, Role.ANALYST)
    assert client_as(analyst).get(_url(workspace, "import")).status_code == 403


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+47 55 55 55 55", "'+47 55 55 55 55"),
        ("-1", "'-1"),
        ("@bryggen", "'@bryggen"),
        ("\tx", "'\tx"),
        ("Hei", "Hei"),
        (None, ""),
    ],
)
def test_formula_cells_are_defused(value, written):
    assert safe_cell(value) == written


def test_export_follows_the_filters(client_as, workspace, editor, instagram, facebook, frozen):  # noqa: PLR0917 - pytest fixtures
    make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0), text="=1+1 on Instagram")
    make_post(workspace, editor, [facebook], local(2026, 3, 18, 12, 0), text="On Facebook")
    make_post(workspace, editor, [instagram], local(2026, 4, 18, 12, 0), text="Next month")
    response = client_as(editor).get(
        _url(workspace, "export"), {"date": "2026-03-18", "channel": instagram.pk}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["date", "time", "time zone", "channels", "status"]
    assert len(rows) == 2
    assert rows[1][:6] == [
        "2026-03-18",
        "11:00",
        "Europe/Oslo",
        "Instagram (Draft)",
        "Draft",
        "'=1+1 on Instagram",
    ]


def test_a_shifted_row_gets_one_clear_error(workspace, instagram, facebook, frozen):
    content = (
        "text;channels;date;time\n"
        "Hei;Instagram; Facebook;20.03.2026;09:00\n"  # unquoted ; in a ;-file: shifted
        "Hallo;Instagram, Facebook;20.03.2026;10:00\n"  # "," between channels works
    )
    table = read_table(name="posts.csv", data=content.encode())
    check = check_rows(workspace=workspace, rows=table.rows, now=NOW)
    assert [(e.row, e.column) for e in check.errors] == [(2, "")]
    assert "more cells than the first row" in check.errors[0].message
    [row] = check.rows
    assert row.channels == (instagram, facebook)
