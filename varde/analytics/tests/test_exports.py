"""Every Analytics table as CSV, on the page and from the command line (issue 14, items 7, 9)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from varde.analytics import exports
from varde.analytics.choices import ConversionKind, ConversionSource, Metric, MetricSource
from varde.analytics.models import Conversion, DailyRollup
from varde.cli import main
from varde.sandbox.services import sandbox_channel_create


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _numbers(workspace, owner):
    channel = sandbox_channel_create(workspace=workspace, label="=SUM(A1)", actor=owner)
    today = timezone.localdate()
    for metric, value in ((Metric.LIKES, 12), (Metric.VIEWS, 300)):
        DailyRollup.objects.create(
            workspace=workspace,
            day=today,
            channel=channel,
            metric=metric,
            value=value,
            posts=1,
            source=MetricSource.SANDBOX,
        )
    Conversion.objects.create(
        workspace=workspace,
        kind=ConversionKind.SALE,
        value=Decimal("1290.00"),
        currency="NOK",
        at=timezone.now(),
        day=today,
        source=ConversionSource.MANUAL,
        note="Ordre 1001",
    )
    return channel


def test_every_table_exports_with_a_heading_row(workspace, owner):
    _numbers(workspace, owner)
    start, end = exports.default_period()
    for key in exports.TABLES:
        rows = _rows(exports.export_csv(workspace=workspace, key=key, start=start, end=end))
        assert rows, key
        assert all(cell for cell in rows[0]), f"{key} has an empty heading"


def test_the_channel_table_matches_the_page_and_is_formula_safe(client, workspace, owner):
    _numbers(workspace, owner)
    client.force_login(owner)
    response = client.get(f"/w/{workspace.slug}/analytics/export/channels.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response.content.decode())
    assert rows[1][:3] == ["'=SUM(A1)", "300", "12"]
    page = client.get(f"/w/{workspace.slug}/analytics/")
    assert f"/w/{workspace.slug}/analytics/export/channels.csv" in page.content.decode()


def test_an_unknown_table_is_404(client, workspace, owner):
    client.force_login(owner)
    assert client.get(f"/w/{workspace.slug}/analytics/export/secrets.csv").status_code == 404


def test_the_command_writes_the_conversions(workspace, owner, tmp_path, capsys):
    _numbers(workspace, owner)
    out = tmp_path / "conversions.csv"
    today = timezone.localdate().isoformat()
    code = main(
        [
            "analytics",
            "export",
            "--workspace",
            workspace.slug,
            "--table",
            "conversions",
            "--start",
            today,
            "--end",
            today,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    rows = _rows(out.read_text())
    assert rows[0][0] == "Date"
    assert rows[1][1:5] == ["Sale", "1290.00", "NOK", "entered by hand"]


def test_the_command_refuses_a_bad_date(workspace, capsys):
    code = main(
        [
            "analytics",
            "export",
            "--workspace",
            workspace.slug,
            "--table",
            "goals",
            "--start",
            "1.12",
        ]
    )
    assert code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_days_outside_the_period_are_left_out(workspace, owner):
    _numbers(workspace, owner)
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    text = exports.export_csv(workspace=workspace, key="channels", start=long_ago, end=long_ago)
    assert len(_rows(text)) == 1
