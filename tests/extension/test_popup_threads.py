"""Saving a conversation: the popup offers it on a thread page, reports how many messages were
new, and saving the same conversation again adds none."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.extension.browser import by_testid
from tests.extension.companion_api import interaction_count, query
from tests.extension.sites import load_fixture

THREADS = ["linkedin/thread-en", "linkedin/thread-ja", "x/dm-ja"]


def save_conversation(popup) -> int:
    by_testid(popup, "save-conversation").click()
    result = by_testid(popup, "save-result")
    expect(result).to_be_visible()
    expect(result).to_have_attribute("data-new-interactions", re.compile(r"^\d+$"))
    return int(result.get_attribute("data-new-interactions"))


@pytest.mark.parametrize("name", THREADS)
def test_save_conversation_then_again_adds_nothing(ext, companion, name):
    fixture = load_fixture(name)
    expected = fixture.message_count
    page = ext.open(fixture.url)
    tab_id = ext.tab_id(page.url)

    popup = ext.open_popup(tab_id, state="thread")
    assert save_conversation(popup) == expected
    assert interaction_count(companion) == expected
    assert query(companion, "SELECT status FROM captures") == [("parsed",)]

    popup.close()
    popup = ext.open_popup(tab_id, state="thread")
    assert save_conversation(popup) == 0
    assert interaction_count(companion) == expected
    # the people in it are contacts now
    participants = {p["display_name"] for p in fixture.expected["thread"]["participants"]}
    names = {row[0] for row in query(companion, "SELECT display_name FROM contacts")}
    assert names <= participants and names
