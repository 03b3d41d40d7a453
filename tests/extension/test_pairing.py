"""Pairing by hand in the options page, as a person does: paste the port and the token that
`goen pair --show` prints. The other tests pair through storage directly (browser.pair)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.extension.browser import by_testid
from tests.extension.sites import load_fixture

PROFILE = load_fixture("x/profile-ja")


def pair_in_options(browser, port: int, token: str):
    options = browser.context.new_page()
    options.goto(browser.url("options/options.html"))
    options.fill('[data-testid="pair-port"]', str(port))
    options.fill('[data-testid="pair-token"]', token)
    options.click('[data-testid="pair-manual-submit"]')
    result = by_testid(options, "pair-result")
    expect(result).to_be_visible()
    return options, result


def test_pair_by_hand_then_save(unpaired, companion):
    page = unpaired.open(PROFILE.url)
    tab_id = unpaired.tab_id(page.url)
    unpaired.open_popup(tab_id, state="not_paired").close()

    options, result = pair_in_options(unpaired, companion.port, companion.token)
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_contain_text(str(companion.port))
    assert unpaired.storage()["companion"] == {"port": companion.port,
                                               "token": companion.token}
    expect(by_testid(options, "companion-status")).to_have_attribute("data-running", "true")

    popup = unpaired.open_popup(tab_id, state="unknown")
    by_testid(popup, "save-contact").click()
    expect(by_testid(popup, "save-result")).to_be_visible()


def test_a_wrong_token_is_refused_and_not_stored(unpaired, companion):
    options, result = pair_in_options(unpaired, companion.port, "x" * 43)
    expect(result).to_have_attribute("data-ok", "false")
    assert result.inner_text().strip()
    assert "companion" not in unpaired.storage()
