"""The popup's states other than a saved page: not paired, companion not running, a page that
cannot be saved. Each says what went wrong in the error message."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.extension.browser import by_testid
from tests.extension.sites import load_fixture
from tests.helpers import stop_server

PROFILE = load_fixture("linkedin/profile-ja")


def expect_error_message(popup) -> str:
    message = by_testid(popup, "error-message")
    expect(message).to_be_visible()
    text = message.inner_text().strip()
    assert text, "the error message is empty"
    return text


def test_not_paired(unpaired, companion):
    """A running companion is not enough: without port and token the popup asks to pair."""
    assert "companion" not in unpaired.storage()
    page = unpaired.open(PROFILE.url)
    popup = unpaired.open_popup(unpaired.tab_id(page.url), state="not_paired")
    expect_error_message(popup)
    expect(by_testid(popup, "save-contact")).to_have_count(0)


def test_offline_when_the_companion_is_stopped(ext, companion):
    page = ext.open(PROFILE.url)
    tab_id = ext.tab_id(page.url)
    ext.open_popup(tab_id, state="unknown").close()  # paired and running: the usual state
    stop_server(companion)
    popup = ext.open_popup(tab_id, state="offline")
    expect_error_message(popup)


def test_a_refused_token_asks_to_pair_again(ext, companion):
    """A stored token the companion refuses is no pairing: the popup says to pair again."""
    ext.pair(companion.port, "not-the-token")
    page = ext.open(PROFILE.url)
    popup = ext.open_popup(ext.tab_id(page.url), state="not_paired")
    expect_error_message(popup)
    expect(by_testid(popup, "save-contact")).to_have_count(0)


def test_unsupported_page(ext):
    tab_id, _ = ext.open_tab_from_extension("about:blank")
    popup = ext.open_popup(tab_id, state="unsupported")
    expect(by_testid(popup, "save-contact")).to_have_count(0)
    expect(by_testid(popup, "save-conversation")).to_have_count(0)
