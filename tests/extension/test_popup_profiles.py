"""Saving a person from their profile page, on every site the extension lists: the popup on
the real host name, the Save contact button, the contact in the companion's SQLite file, and
the popup knowing them afterwards."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.extension.browser import by_testid, extension_messages
from tests.extension.companion_api import api, contact_names, query
from tests.extension.sites import MASTODON_ALIASES, load_fixture

PROFILES = {
    "linkedin": load_fixture("linkedin/profile-ja"),
    "x": load_fixture("x/profile-ja"),
    "github": load_fixture("github/profile-ja"),
    "bluesky": load_fixture("bluesky/ja-profile"),
    "mastodon.social": load_fixture("mastodon/ja-profile").moved_to(
        "https://mastodon.social/@misaki"),
    "mstdn.jp": load_fixture("mastodon/v3-public-profile").moved_to("https://mstdn.jp/@oliver"),
    "wantedly": load_fixture("wantedly/profile-ja"),
    "eight": load_fixture("eight/profile-ja"),
}
assert {PROFILES["mastodon.social"].url, PROFILES["mstdn.jp"].url} == set(MASTODON_ALIASES)


def save_contact(ext, url: str):
    """Open the profile, open the popup for its tab, click Save contact; return the popup."""
    page = ext.open(url)
    popup = ext.open_popup(ext.tab_id(page.url), state="unknown")
    by_testid(popup, "save-contact").click()
    expect(by_testid(popup, "save-result")).to_have_text(
        extension_messages(ext.ui_language())["save_result_saved"])
    return page, popup


@pytest.mark.parametrize("site", list(PROFILES))
def test_save_contact_then_the_popup_knows_them(ext, companion, site):
    fixture = PROFILES[site]
    name = fixture.display_name
    assert contact_names(companion) == []

    page, popup = save_contact(ext, fixture.url)

    assert contact_names(companion) == [name]
    assert query(companion, "SELECT status FROM captures") == [("parsed",)]
    popup.close()
    again = ext.open_popup(ext.tab_id(page.url), state="known")
    expect(by_testid(again, "contact-name")).to_have_text(name)
    # a profile alone is no interaction: the popup says there has been none yet
    last = by_testid(again, "last-interaction")
    expect(last).to_be_visible()
    expect(last).to_contain_text(extension_messages(ext.ui_language())["last_interaction_none"])


def test_known_contact_shows_the_last_interaction(ext, companion):
    fixture = PROFILES["linkedin"]
    page, popup = save_contact(ext, fixture.url)
    (contact_id,) = query(companion, "SELECT id FROM contacts")[0]
    status, _ = api(companion, "POST", f"/contacts/{contact_id}/interactions",
                    {"kind": "meeting", "occurred_at": "2026-11-20T10:00:00Z",
                     "direction": "both", "text": "来月飲みに行きましょう"})
    assert status == 201
    popup.close()

    again = ext.open_popup(ext.tab_id(page.url), state="known")
    expect(by_testid(again, "contact-name")).to_have_text(fixture.display_name)
    expect(by_testid(again, "last-interaction")).to_contain_text("来月飲みに行きましょう")


def test_saving_the_same_profile_twice_keeps_one_contact(ext, companion):
    fixture = PROFILES["github"]
    page, popup = save_contact(ext, fixture.url)
    popup.close()
    again = ext.open_popup(ext.tab_id(page.url), state="known")
    update = by_testid(again, "update-contact")
    expect(update).to_be_visible()
    update.click()
    # the very same page: the companion answers duplicate, and nothing is written
    expect(by_testid(again, "save-result")).to_have_text(
        extension_messages(ext.ui_language())["save_result_nothing_new"])
    assert contact_names(companion) == [fixture.display_name]
    assert query(companion, "SELECT COUNT(*) FROM captures") == [(1,)]
