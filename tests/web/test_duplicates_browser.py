"""The duplicates page in Chromium (pages_duplicates.py): a likely pair found by "look again
now", merged from the page keeping the chosen person, and the merge undone from the page."""

from __future__ import annotations

import sqlite3

from playwright.sync_api import expect

from tests.extension.companion_api import query

NOW = "2026-11-27T08:00:00.000Z"


def add_contact(server, name: str, org: str) -> int:
    # beside the running companion, as a hand-made SQL session would (WAL: one writer at a time)
    with sqlite3.connect(server.data_dir / "goen.sqlite3", timeout=30) as conn:
        return conn.execute(
            "INSERT INTO contacts (display_name, sort_key, organisation, tier, tier_source,"
            " created_at, updated_at) VALUES (?, ?, ?, 'wide', 'proposed', ?, ?)",
            (name, name.lower(), org, NOW, NOW)).lastrowid


def exists(server, contact_id: int) -> bool:
    return bool(query(server, "SELECT 1 FROM contacts WHERE id = ?", contact_id))


def test_a_pair_is_merged_keeping_the_chosen_one_and_the_merge_undone(web):
    a = add_contact(web.server, "田中一郎", "株式会社ミズナラ研究所")
    b = add_contact(web.server, "たなか いちろう", "ミズナラ研究所(株)")
    web.set_language("ja")
    web.goto("/duplicates")
    web.page.get_by_test_id("dup-refresh").get_by_role("button").click()
    proposal = web.page.get_by_test_id("dup-proposal").filter(has_text="田中一郎")
    expect(proposal).to_have_count(1)
    expect(proposal.get_by_test_id("dup-reasons")).not_to_be_empty()
    proposal.locator("select[name=keep]").select_option(str(b))
    proposal.get_by_test_id("dup-accept").get_by_role("button").click()
    web.page.wait_for_url(f"**/contacts/{b}")
    assert exists(web.server, b) and not exists(web.server, a)
    web.goto("/duplicates")
    merge = web.page.get_by_test_id("dup-merge").filter(has_text="田中一郎")
    merge.get_by_test_id("dup-undo").get_by_role("button").click()
    web.page.wait_for_url(f"**/contacts/{a}")
    assert exists(web.server, a) and exists(web.server, b)
    assert web.problems() == []
