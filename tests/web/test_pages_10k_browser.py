"""Every page of the web view in headless Chromium on a generated network of 10,000 contacts
(issue 7): each renders in Japanese and English with no console error, no script error and no
failed request, and search still finds a person by reading. (Timings at this size are the
bench's: bench/bench_web.py.)

The network is made once per test session: 10,000 people with one identity each, 30,000
messages read for facts, events and links (bench/gen_network.py through companion/demo.py's
loader; about 20 s here).
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from companion.db import Database
from companion.demo import load_generator
from tests.extension.companion_api import query
from tests.helpers import start_server, stop_server
from tests.web.test_lists_browser import a_reading
from tests.web.test_pages_browser import assert_secure_html

CONTACTS = 10_000


@pytest.fixture(scope="session")
def network_10k(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-10k") / "data"
    folder.mkdir(mode=0o700)
    gen = load_generator()
    db = Database(folder / "goen.sqlite3")
    try:
        db.migrate()
        gen.generate(db, contacts=CONTACTS, identities_per_contact=1, interactions=3 * CONTACTS,
                     captures=0, seed=3, followup=True)
        gen.analyze_facts(db, workers=1)
    finally:
        db.close()
    return folder


@pytest.fixture(scope="module")
def companion(network_10k, tmp_path_factory):
    """This module's companion (the `web` fixture of conftest.py opens the view on it)."""
    data_dir = tmp_path_factory.mktemp("web-10k-companion") / "data"
    shutil.copytree(network_10k, data_dir)
    os.chmod(data_dir, 0o700)
    server = start_server(data_dir, {"GOEN_TOKEN_BACKEND": "file"}, timeout=60)
    yield server
    stop_server(server)


def test_every_page_renders_without_errors_at_10000_contacts(web):
    assert query(web.server, "SELECT COUNT(*) FROM contacts")[0][0] == CONTACTS
    busiest = query(web.server, "SELECT contact_id FROM interactions GROUP BY contact_id"
                                " ORDER BY COUNT(*) DESC LIMIT 1")[0][0]
    event = query(web.server, "SELECT id FROM events LIMIT 1")[0][0]
    pages = {"/": "today-suggestions", "/contacts": "contact-row",
             f"/contacts/{busiest}": "timeline", "/events": "event-row",
             f"/events/{event}": "event-title", "/settings": None, "/duplicates": "dup-refresh",
             "/import": None}
    for lang in ("ja", "en"):
        web.set_language(lang)
        for path, testid in pages.items():
            response = web.goto(path)
            assert response.status == 200, path
            assert_secure_html(response)
            if testid:
                expect(web.page.get_by_test_id(testid).first).to_be_visible()
        web.goto("/network")
        expect(web.page.get_by_test_id("network-graph")).to_have_attribute(
            "data-ready", "true", timeout=90_000)
        expect(web.page.get_by_test_id("network-status")).to_contain_text("10")
    web.page.wait_for_timeout(300)
    assert web.problems() == []


def test_search_finds_a_person_by_reading_among_10000(web):
    name, reading = a_reading(web.server)
    web.goto("/contacts")
    web.page.get_by_test_id("contact-q").fill(reading)
    expect(web.page.get_by_test_id("contact-row")).to_have_count(1)
    expect(web.page.get_by_test_id("contact-name")).to_have_text(name)
    assert web.problems() == []
