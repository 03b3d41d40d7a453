"""Every adapter, on random and garbled HTML: detect() never raises, extract() raises nothing
but ExtractionError. Garbled pages are the fixtures cut, shuffled and corrupted, so each
adapter meets broken versions of exactly the markup it looks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from companion import adapters
from companion.adapters.base import ExtractionError, Page

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
PAGES = sorted(p.read_text(encoding="utf-8", errors="replace") for p in FIXTURES.glob("*/*.html"))
URLS = ["https://www.linkedin.com/in/someone/", "https://x.com/someone",
        "https://www.linkedin.com/messaging/thread/2-abc/", "https://x.com/messages/1-2",
        "https://www.facebook.com/someone", "https://www.instagram.com/someone/",
        "https://mastodon.social/@someone", "https://bsky.app/profile/someone.bsky.social",
        "https://github.com/someone", "https://www.wantedly.com/id/someone",
        "https://8card.net/p/123", "https://example.com/about"]


def garble(page: str, data: st.DataObject) -> str:
    if not page:
        return page
    op = data.draw(st.sampled_from(["cut", "splice", "drop", "insert", "dup"]))
    i = data.draw(st.integers(0, len(page)))
    j = data.draw(st.integers(i, min(len(page), i + 5000)))
    if op == "cut":
        return page[:i]
    if op == "splice":
        return page[j:] + page[:i]
    if op == "drop":
        return page[:i] + page[j:]
    if op == "insert":
        junk = data.draw(st.sampled_from(["<", ">", "</div>", "<div>", '"', "&", "\x00", "\ud800",
                                          "<script type='application/ld+json'>{", "]]>", "<!--"]))
        return page[:i] + junk + page[i:]
    return page[:j] + page[i:j] + page[j:]


def check(adapter, page: Page) -> None:
    assert adapter.detect(page) in (True, False)
    try:
        adapter.extract(page)
    except ExtractionError:
        pass


def test_there_are_fixtures_to_garble():
    assert PAGES


@pytest.mark.parametrize("adapter", adapters.all_adapters(), ids=lambda a: a.id)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_adapter_raises_on_garbled_fixtures(adapter, data):
    page = garble(data.draw(st.sampled_from(PAGES)), data)
    check(adapter, Page(data.draw(st.sampled_from(URLS)), page,
                        captured_at="2026-11-26T09:30:00+09:00"))


@pytest.mark.parametrize("adapter", adapters.all_adapters(), ids=lambda a: a.id)
@settings(max_examples=60, deadline=None)
@given(html=st.text(max_size=3000), url=st.sampled_from(URLS))
def test_no_adapter_raises_on_random_text(adapter, html, url):
    check(adapter, Page(url, html, captured_at="2026-11-26T09:30:00+09:00"))
