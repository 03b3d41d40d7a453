"""Facebook adapter: what the fixture table does not show (tests/fixtures/sites/facebook/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import facebook

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
TOKYO = "2026-11-26T09:30:00.000+09:00"


def _case(name: str) -> tuple[dict, str]:
    path = FIXTURES / "facebook" / f"{name}.html"
    spec = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return spec, path.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.parametrize("name", ["thread-www-en", "thread-messenger-ja", "thread-e2ee-trimmed"])
def test_thread_fixtures_with_their_capture_time(name):
    # the fixture table builds its Page without captured_at; a thread needs it
    spec, html = _case(name)
    page = Page(spec["url"], html, captured_at=spec["captured_at"])
    assert facebook.detect(page)
    assert facebook.extract(page).to_dict() == spec["expected"]
    assert adapters.pick(Page(spec["url"], html, captured_at=TOKYO), "thread").id == "facebook"


def test_thread_without_capture_time_keeps_participants_and_says_why_no_messages():
    spec, html = _case("thread-www-en")
    result = facebook.extract(Page(spec["url"], html))
    assert [p.display_name for p in result.thread.participants] == ["Priya Raman"]
    assert result.thread.messages == []
    assert "5 message(s) without a readable time skipped" in result.warnings


def _other_sites_pages():
    return sorted(p for p in FIXTURES.glob("*/*.html")
                  if p.parent.name != "facebook" and p.with_suffix(".json").exists())


@pytest.mark.parametrize("html_path", _other_sites_pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_detect_false_on_other_sites_pages(html_path):
    html = html_path.read_bytes().decode("utf-8", errors="replace")
    url = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))["url"]
    assert facebook.detect(Page(url, html, captured_at=TOKYO)) is False


@pytest.mark.parametrize("url, html", [
    ("https://www.facebook.com/someone", ""),
    ("https://www.facebook.com/someone", "garbage <<<>>> \x00"),
    ("https://www.facebook.com/someone", "<html><body><p>nothing</p></body></html>"),
    ("https://www.facebook.com/messages/t/123/", "<html><body><div role='main'></div></body></html>"),
    ("https://www.messenger.com/t/123/", "<html><body><h2>Chats</h2></body></html>"),
    ("https://www.facebook.com/groups/12345/", "<html><body><div role='main'><h1>A group</h1></div></body></html>"),
    ("https://www.facebook.com/", "<html><body><div role='main'><h1>Home</h1></div></body></html>"),
])
def test_nothing_recognisable_raises(url, html):
    page = Page(url, html, captured_at=TOKYO)
    assert facebook.detect(page) is False
    with pytest.raises(ExtractionError):
        facebook.extract(page)


def test_profile_url_forms():
    ref = facebook._profile_ref
    assert ref("https://m.facebook.com/John.Smith?ref=bookmarks")[:2] == (
        "https://www.facebook.com/John.Smith", "John.Smith")
    assert ref("https://www.facebook.com/profile.php?id=42&sk=about")[:2] == (
        "https://www.facebook.com/profile.php?id=42", None)
    assert ref("https://ja-jp.facebook.com/people/Taro-Yamada/1000123/")[:2] == (
        "https://www.facebook.com/profile.php?id=1000123", None)
    assert ref("https://www.facebook.com/1000123")[0] == "https://www.facebook.com/profile.php?id=1000123"
    assert ref("https://www.facebook.com/messages/t/1") is None
    assert ref("https://www.facebook.com/profile.php?lst=1%3A2") is None


@pytest.mark.parametrize("url, key", [
    ("https://www.facebook.com/messages/t/100012345678901/", "100012345678901"),
    ("https://www.facebook.com/messages/e2ee/t/8123456789012345", "8123456789012345"),
    ("https://www.messenger.com/t/7345678901234567/?ref=x", "7345678901234567"),
    ("https://www.messenger.com/e2ee/t/99", "99"),
    ("https://www.facebook.com/messages/", None),
    ("https://www.messenger.com/", None),
])
def test_thread_key_from_url(url, key):
    assert facebook._thread_key(url) == key


def test_link_shims_unwrapped_and_tracking_dropped():
    base = "https://www.facebook.com/x"
    assert facebook.unwrap_link(
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1%26fbclid%3DIw&h=AT",
        base) == "https://example.com/a?b=1"
    assert facebook.unwrap_link("https://lm.facebook.com/l.php?u=javascript%3Aalert(1)", base) is None
    assert facebook.unwrap_link("/l.php?u=https%3A%2F%2Fexample.org%2F", base) == "https://example.org/"
    assert facebook.unwrap_link("https://example.net/", base) == "https://example.net/"


def test_url_patterns_are_javascript_safe_and_match_the_sites():
    for pattern in facebook.url_patterns:
        assert "(?" not in pattern and "\\A" not in pattern and "\\Z" not in pattern
    for url in ("https://www.facebook.com/x", "https://mbasic.facebook.com/x",
                "https://ja-jp.facebook.com/x", "https://www.messenger.com/t/1"):
        assert any(__import__("re").search(p, url) for p in facebook.url_patterns)
    assert not any(__import__("re").search(p, "https://developers.facebook.com/docs")
                   for p in facebook.url_patterns)


def test_work_title_needs_the_organisation_link():
    html = """<html><body><div role="main"><h1>A B</h1>
      <div data-pagelet="ProfileTilesFeed_0">
        <span dir="auto">Meet me at noon</span>
        <span dir="auto">CTO at <a href="https://www.facebook.com/acme.example">Acme</a></span>
      </div></div></body></html>"""
    profile = facebook.extract(Page("https://www.facebook.com/a.b.example", html)).profile
    assert (profile.title, profile.organisation) == ("CTO", "Acme")
    assert profile.bio == "Meet me at noon"  # no link after " at ": free text, the intro bio
