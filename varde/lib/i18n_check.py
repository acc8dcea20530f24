"""Check that the bokmål catalogue is complete and compiled: `python -m varde.lib.i18n_check`.

1. Every string marked for translation in the code is in varde/locale/nb/LC_MESSAGES/django.po
   (extracted afresh with Django's makemessages into a scratch copy, so nothing is missed).
2. Every entry there has a translation and none is marked fuzzy.
3. The compiled django.mo says the same as the .po.
Exits 1 with the list of problems and how to fix them.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
PO = PACKAGE / "locale" / "nb" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def parse_po(path: Path) -> list[dict[str, object]]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], and flags."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""

    def finish() -> None:
        if "msgid" in current:
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            key = ""
            continue
        if line.startswith("#,"):
            current["flags"] = line[2:].strip()
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = _unescape(match.group(2))
        elif line.startswith('"') and key:
            current[key] = str(current[key]) + _unescape(line[1:-1])
    finish()
    return [entry for entry in entries if entry.get("msgid") != ""]


def _unescape(text: str) -> str:
    return text.encode("raw_unicode_escape").decode("unicode_escape")


def _translations(entry: dict[str, object]) -> list[str]:
    return [str(v) for k, v in entry.items() if k.startswith("msgstr")]


def _ident(entry: dict[str, object]) -> tuple[str, str]:
    return (str(entry.get("msgctxt", "")), str(entry["msgid"]))


def extracted_ids() -> set[tuple[str, str]]:
    django_admin = Path(sys.executable).parent / "django-admin"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "varde"
        shutil.copytree(
            PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "tests")
        )
        (copy / "locale").mkdir()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "varde.conf.test_settings"}
        subprocess.run(
            [str(django_admin), "makemessages", "-l", "nb", "--no-wrap"],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        return {_ident(e) for e in parse_po(copy / "locale/nb/LC_MESSAGES/django.po")}


def problems() -> list[str]:
    if not PO.exists():
        return [f"{PO} is missing: run `make messages`."]
    entries = parse_po(PO)
    found: list[str] = []
    known = {_ident(entry) for entry in entries}
    missing = sorted(extracted_ids() - known)
    found += [f"not in the catalogue: {msgid!r}" for _ctx, msgid in missing]
    for entry in entries:
        if "fuzzy" in str(entry.get("flags", "")):
            found.append(f"marked fuzzy: {entry['msgid']!r}")
        elif not all(_translations(entry)):
            found.append(f"not translated: {entry['msgid']!r}")
    # Compare contents, not file times: a fresh clone gives both files the same time.
    if not MO.exists():
        found.append("django.mo is missing: run `make messages`.")
    else:
        with MO.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for entry in entries:
            if "msgid_plural" in entry or "fuzzy" in str(entry.get("flags", "")):
                continue
            msgid = str(entry["msgid"])
            context = str(entry.get("msgctxt", ""))
            text = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            if text != entry.get("msgstr"):
                found.append(f"django.mo differs from django.po at {msgid!r}: run `make messages`.")
                break
    return found


def main() -> int:
    found = problems()
    if found:
        print("The bokmål catalogue is incomplete:", *found[:60], sep="\n  ")
        if len(found) > 60:
            print(f"  … and {len(found) - 60} more")
        print("Run `make messages`, translate the new entries, and run it again.")
        return 1
    print("Bokmål catalogue complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
