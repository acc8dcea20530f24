"""CSV import of mentions exported from other tools."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.listening.sources import get
from varde.listening.sources.base import SourceError
from varde.listening.sources.csv_import import read_mentions
from varde.listening.sources.tests.conftest import soon


def test_norwegian_excel_file_in_cp1252_with_semicolons():
    data = (
        "Dato;Tekst;Forfatter;Brukernavn;Lenke;Språk;Kilde;Ukjent\r\n"
        "01.10.2024 08:30;Kaffe på fjellet med Varde;Kari Nordmann;@kari;https://vg.no/a;nb;Twitter;x\r\n"
        ";;;;;;;\r\n"
        "ikke en dato;Tekst;;;;;;\r\n"
        "2024-10-02T10:00:00+02:00;Ærlig talt, bra;;;javascript:alert(1);;;\r\n"
    ).encode("cp1252")
    result = read_mentions(data)
    first, second = result.items
    assert first.text == "Kaffe på fjellet med Varde"
    assert first.published_at == datetime(2024, 10, 1, 8, 30, tzinfo=UTC)
    assert (first.author_name, first.author_handle) == ("Kari Nordmann", "@kari")
    assert (first.url, first.site, first.lang) == ("https://vg.no/a", "vg.no", "nb")
    assert first.external_id == "https://vg.no/a"
    assert first.extra == {"source": "Twitter"}
    assert second.published_at == datetime(2024, 10, 2, 8, 0, tzinfo=UTC)
    assert second.url == ""
    assert second.external_id.startswith("sha256:")
    assert result.problems == [(4, "date not understood: 'ikke en dato'")]
    assert result.ignored_columns == ("Ukjent",)


def test_utf8_with_bom_commas_and_quotes_and_tabs():
    data = '\ufeffid,Full Text,Date\n7,"Hei, ""Varde""",1727771400\n'.encode()
    (item,) = read_mentions(data).items
    assert (item.external_id, item.text) == ("7", 'Hei, "Varde"')
    assert item.published_at == datetime(2024, 10, 1, 8, 30, tzinfo=UTC)
    tabbed = b"text\tdate\nHei\t2024-10-01\n"
    assert read_mentions(tabbed).items[0].text == "Hei"


def test_a_file_without_the_required_columns_is_refused():
    with pytest.raises(SourceError) as caught:
        read_mentions(b"url;author\nhttps://a.example;x\n")
    assert caught.value.code == "bad_file"
    assert "text, date" in caught.value.detail


def test_the_csv_source_imports_a_file_once():
    config = {"content": "text;date\nHei Varde;2024-10-01 08:30\n"}
    first = get("csv").read(config, None, deadline=soon())
    again = get("csv").read(config, first.cursor, deadline=soon())
    assert [i.text for i in first.items] == ["Hei Varde"]
    assert again.not_modified
    assert again.items == []


def test_an_excel_workbook_is_read_as_the_calendar_and_newsletter_read_it():
    """One table reader for every import (varde.lib.tables): a workbook works here too, and is
    kept as CSV text with its rows' numbers."""
    import io

    from openpyxl import Workbook

    from varde.listening.sources.csv_import import read_text, stored_text

    book = Workbook()
    sheet = book.active
    sheet.append(["Tekst", "Dato", "Forfatter"])
    when = datetime(2024, 10, 1, 8, 30)  # noqa: DTZ001 - a workbook keeps no time zone
    sheet.append(["Áŋŋá syklet til Bryggen", when, "Áŋŋá"])
    sheet.append([None, None, None])
    sheet.append(["Uten dato", "i morgen", ""])
    data = io.BytesIO()
    book.save(data)
    result = read_mentions(data.getvalue(), "eksport.XLSX")
    (item,) = result.items
    assert (item.text, item.author_name) == ("Áŋŋá syklet til Bryggen", "Áŋŋá")
    assert item.published_at == datetime(2024, 10, 1, 8, 30, tzinfo=UTC)
    assert result.problems == [(4, "date not understood: 'i morgen'")]
    kept = read_text(stored_text(data.getvalue(), "eksport.xlsx"))
    assert (kept.items, kept.problems) == (result.items, result.problems)


def test_a_file_named_otherwise_is_read_as_csv():
    assert read_mentions(b"text;date\nHei;2024-10-01\n", "export").items[0].text == "Hei"
