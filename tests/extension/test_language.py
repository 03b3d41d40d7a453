"""The popup speaks Japanese and English: the language setting (storage `language`) and, when
it is `auto`, the browser's UI language decide which _locales/<lang>/messages.json is shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.extension.browser import by_testid, extension_messages
from tests.extension.sites import load_fixture

PROFILE = load_fixture("linkedin/profile-ja")


def save_button_key(button) -> str:
    """The messages.json key the Save contact button shows (docs/EXTENSION.md: every visible
    string goes through i18n, here by its data-i18n attribute)."""
    key = button.get_attribute("data-i18n")
    assert key, "the Save contact button has no data-i18n key"
    return key


def open_unknown_popup(browser):
    page = browser.open(PROFILE.url)
    return browser.open_popup(browser.tab_id(page.url), state="unknown")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_popup_in_the_chosen_language(ext, language):
    ext.set_language(language)
    popup = open_unknown_popup(ext)
    button = by_testid(popup, "save-contact")
    key = save_button_key(button)
    messages = {lang: extension_messages(lang)[key] for lang in ("en", "ja")}
    assert messages["en"] != messages["ja"], f"{key} is not translated"
    expect(button).to_have_text(messages[language])
    assert popup.evaluate("document.documentElement.lang") == language


def test_auto_follows_the_browser_language(ext, chromium_ja):
    """`auto` (the default) in an English browser shows English, in a Japanese one Japanese."""
    english = by_testid(open_unknown_popup(ext), "save-contact")
    japanese = by_testid(open_unknown_popup(chromium_ja), "save-contact")
    key = save_button_key(english)
    expect(english).to_have_text(extension_messages("en")[key])
    expect(japanese).to_have_text(extension_messages("ja")[key])
