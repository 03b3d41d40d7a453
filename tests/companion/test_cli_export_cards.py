"""`goen export --format vcard|csv` (companion/cli_data.py over services/export_cards.py): a
private file with the right name, never overwritten, and standard output as UTF-8 with CRLF."""

from __future__ import annotations

import csv
import io
import stat

import pytest
import vobject

from tests.companion.test_cli_data import add_person, goen, home  # noqa: F401 (fixture)


@pytest.mark.parametrize("fmt,suffix", [("vcard", "vcf"), ("csv", "csv")])
def test_export_writes_a_private_file_named_for_its_format(home, tmp_path, capsys, fmt,
                                                           suffix):
    add_person(home, "佐藤 花")
    add_person(home, "=1+1")
    assert goen("export", "--format", fmt) == 0
    out = capsys.readouterr().out
    written = list(tmp_path.glob(f"goen-export-*.{suffix}"))
    assert len(written) == 1 and str(written[0]) in out
    assert "Exported 2 contacts" in out
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.partial"))
    raw = written[0].read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") > 0          # CRLF, even on Linux
    if fmt == "vcard":
        cards = list(vobject.readComponents(raw.decode("utf-8")))
        assert [c.fn.value for c in cards] == ["佐藤 花", "=1+1"]
    else:
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert [r[0] for r in rows[1:]] == ["佐藤 花", "'=1+1"]
    assert goen("export", "--format", fmt, "--output", written[0].name) == 1  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_export_to_standard_output(home, capsys):
    add_person(home, "Oliver Quill")
    assert goen("export", "--format", "vcard", "--output", "-") == 0
    out = capsys.readouterr().out
    assert out.startswith("BEGIN:VCARD") and "FN:Oliver Quill" in out
    assert goen("export", "--format", "csv", "--output", "-") == 0
    assert "Oliver Quill" in capsys.readouterr().out


def test_json_stays_the_default(home, tmp_path, capsys):
    add_person(home, "佐藤 花")
    assert goen("export") == 0
    assert len(list(tmp_path.glob("goen-export-*.json"))) == 1
