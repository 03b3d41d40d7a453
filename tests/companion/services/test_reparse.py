"""goen reparse: kept captures read again with today's adapters, idempotently."""

from __future__ import annotations

import subprocess
import sys

from companion import adapters
from companion.adapters.base import Extraction, Profile
from companion.services.capture import CaptureInput, save_capture
from companion.services.reparse import reparse, report_lines
from tests.helpers import jsonld_person_page


class CardAdapter:
    """An adapter 'shipped later' that reads a made-up business-card page."""

    id, label, version, kinds = "card", "Cards", "1", ("profile",)
    url_patterns = (r"^https://cards\.test/",)

    def detect(self, page):
        return "<div class=card>" in page.html

    def extract(self, page):
        name = page.tree.find_class("card")[0].text_content().strip()
        return Extraction("profile", profile=Profile(name, url=page.url))


def save(db, settings, url, html, when="2026-11-01T00:00:00Z"):
    return save_capture(db, settings, CaptureInput(url, "auto", html, None, when))


def test_a_capture_no_adapter_read_is_read_after_an_adapter_arrives(db, settings):
    first = save(db, settings, "https://cards.test/1", "<div class=card>佐藤 健</div>")
    assert first.status == "needs_attention"
    with adapters.registered(CardAdapter()):
        report = reparse(db, settings)
        assert report.examined == 1 and len(report.changed) == 1
        change = report.changed[0]
        assert (change.before, change.after) == ("needs_attention", "parsed by card 1")
        assert change.contact_changed
        assert db.query_one("SELECT display_name FROM contacts")[0] == "佐藤 健"
        # a second run changes nothing
        again = reparse(db, settings)
        assert again.changed == [] and again.unchanged == 1
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 1
    assert "1 captures read again: 1 changed" in report_lines(report)[0]


def test_reparse_in_capture_order_keeps_the_newest_fields(db, settings):
    url = "https://example.com/ken"
    save(db, settings, url, jsonld_person_page("Ken", job_title="Intern", url=url),
         "2024-01-01T00:00:00Z")
    save(db, settings, url, jsonld_person_page("Ken", job_title="CTO", url=url),
         "2026-01-01T00:00:00Z")
    report = reparse(db, settings)
    assert report.examined == 2 and report.changed == []
    assert db.query_one("SELECT title FROM contacts")[0] == "CTO"


def test_adapter_filter_reads_only_its_captures_and_unread_ones(db, settings):
    save(db, settings, "https://example.com/a", jsonld_person_page("A", url="https://example.com/a"))
    save(db, settings, "https://cards.test/2", "<div class=card>B</div>")
    with adapters.registered(CardAdapter()):
        report = reparse(db, settings, adapter_id="card")
    assert report.examined == 1  # the generic capture was left alone
    assert report.changed[0].after == "parsed by card 1"


def test_cli_reparse(data_dir, settings, db):
    save(db, settings, "https://example.com/a", jsonld_person_page("A", url="https://example.com/a"))
    result = subprocess.run(
        [sys.executable, "-m", "companion", "reparse"], capture_output=True, text=True,
        timeout=60, env={"GOEN_DATA_DIR": str(data_dir), "GOEN_TOKEN_BACKEND": "file",
                         "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 captures read again: 0 changed, 1 unchanged, 0 errors.")
