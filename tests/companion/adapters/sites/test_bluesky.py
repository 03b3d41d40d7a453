"""The Bluesky adapter beyond its fixtures: what it must refuse, and edge cases of the markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import bluesky

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
OTHER_PAGES = sorted(p for p in FIXTURES.glob("*/*.html") if p.parent.name != "bluesky")
PROFILE = "https://bsky.app/profile/someone.bsky.social"


def test_module_attributes():
    assert bluesky.id == "bluesky"
    assert bluesky.kinds == ("profile",)
    for pattern in bluesky.url_patterns:
        re.compile(pattern)
        assert "(?" not in pattern  # no named groups, inline flags or look-arounds (JavaScript)


@pytest.mark.parametrize("url, matches", [
    ("https://bsky.app/profile/someone.bsky.social", True),
    ("https://bsky.app/profile/did:plc:abc123/", True),
    ("https://bsky.app/profile/someone.bsky.social?ref=x", True),
    ("https://bsky.app/profile/someone.bsky.social/post/3kabc", False),
    ("https://bsky.app/profile/someone.bsky.social/followers", False),
    ("https://bsky.app/", False),
    ("https://evil.example/bsky.app/profile/someone", False),
])
def test_url_patterns(url, matches):
    assert any(re.search(p, url) for p in bluesky.url_patterns) is matches


@pytest.mark.parametrize("path", OTHER_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_not_detected_on_other_sites_pages(path: Path):
    html = path.read_text(encoding="utf-8", errors="replace")
    # even under a Bluesky profile URL, another site's page is not a Bluesky profile
    assert bluesky.detect(Page(PROFILE, html)) is False


@pytest.mark.parametrize("html", ["", "  ", "<html></html>", "{}", "\x00<div data-testid=",
                                  '<div id="root"></div>', "Bluesky " * 50])
def test_garbage_is_not_detected_and_extract_raises(html):
    page = Page(PROFILE, html)
    assert bluesky.detect(page) is False
    with pytest.raises(ExtractionError):
        bluesky.extract(page)


def test_profile_url_with_no_profile_content_raises():
    html = ('<!DOCTYPE html><html><head><title>Bluesky</title>'
            '<meta name="application-name" content="Bluesky"></head>'
            '<body><div id="root"><div data-testid="profileScreen"></div></div></body></html>')
    page = Page(PROFILE, html)
    assert bluesky.detect(page) is False
    with pytest.raises(ExtractionError, match="no Bluesky profile"):
        bluesky.extract(page)
    assert adapters.pick(page, "profile") is None


def test_invalid_handle_keeps_the_did_url():
    html = ('<html><body><div data-testid="profileHeaderDisplayName">Ghost</div>'
            '<div data-testid="profileHeaderHandle">⚠Invalid Handle</div>'
            '<div data-testid="profileHeaderAviButton"><img src="https://cdn.bsky.app/img/avatar/'
            'plain/did:plc:zzzz2222yyyy/bafk@jpeg"></div></body></html>')
    result = bluesky.extract(Page("https://bsky.app/profile/did:plc:zzzz2222yyyy", html)).profile
    assert result.display_name == "Ghost"
    assert result.url == "https://bsky.app/profile/did:plc:zzzz2222yyyy"
    assert result.handle is None
    assert result.me_links == []


def test_proxied_links_are_unwrapped_and_app_links_skipped():
    html = ('<html><body><div data-testid="profileHeaderDisplayName">Aoi</div>'
            '<div data-testid="profileHeaderHandle">@aoi.example.jp</div>'
            '<div data-testid="profileHeaderDescription">'
            '<a href="https://go.bsky.app/redirect?u=https%3A%2F%2Faoi.example.jp%2Fworks">'
            'works</a>'
            '<a href="/profile/friend.bsky.social">@friend</a><a href="/hashtag/art">#art</a>'
            '<a href="https://bsky.app/search?q=x">search</a><a href="javascript:void(0)">x</a>'
            '</div></body></html>')
    result = bluesky.extract(Page("https://bsky.app/profile/aoi.example.jp", html)).profile
    assert result.links == ["https://aoi.example.jp/works"]
    assert result.handle == "aoi.example.jp"


def test_another_accounts_avatar_is_not_taken():
    html = ('<html><head>'
            '<link rel="alternate" href="at://did:plc:me1111/app.bsky.actor.profile/self">'
            '</head><body><div data-testid="profileHeaderDisplayName">Me</div>'
            '<img data-testid="userAvatarImage" src="https://cdn.bsky.app/img/avatar/plain/'
            'did:plc:other2222/bafk@jpeg"></body></html>')
    result = bluesky.extract(Page("https://bsky.app/profile/me.bsky.social", html)).profile
    assert result.avatar_url is None
    assert result.me_links == ["https://bsky.app/profile/did:plc:me1111"]
    assert bluesky.extract(Page("https://bsky.app/profile/me.bsky.social", html)).warnings == [
        "no bio", "no photo"]


def test_handle_case_is_normalised_like_canonical_urls():
    html = ('<html><body><div data-testid="profileHeaderDisplayName">Sora</div>'
            '<div data-testid="profileHeaderHandle">@Sora.Example.JP</div></body></html>')
    result = bluesky.extract(Page("https://bsky.app/profile/Sora.Example.JP", html)).profile
    assert result.url == "https://bsky.app/profile/sora.example.jp"
    assert result.handle == "sora.example.jp"


def test_picked_before_generic_on_its_own_fixture():
    html = (FIXTURES / "bluesky" / "ja-profile.html").read_text(encoding="utf-8")
    spec = json.loads((FIXTURES / "bluesky" / "ja-profile.json").read_text(encoding="utf-8"))
    assert adapters.pick(Page(spec["url"], html), "profile").id == "bluesky"
