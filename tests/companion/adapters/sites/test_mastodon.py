"""The Mastodon adapter beyond its fixtures: what it must refuse, and edge cases of the markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import mastodon

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
OTHER_PAGES = sorted(p for p in FIXTURES.glob("*/*.html") if p.parent.name != "mastodon")


def page(url: str, html: str) -> Page:
    return Page(url, html)


def test_module_attributes():
    assert mastodon.id == "mastodon"
    assert mastodon.PRIORITY == 200
    assert mastodon.kinds == ("profile",)
    for pattern in mastodon.url_patterns:
        re.compile(pattern)
        assert "(?" not in pattern  # no named groups, inline flags or look-arounds (JavaScript)


@pytest.mark.parametrize("path", OTHER_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_not_detected_on_other_sites_pages(path: Path):
    html = path.read_text(encoding="utf-8", errors="replace")
    spec = path.with_suffix(".json")
    if not spec.exists():  # another site's fixture being written; test_fixtures reports it
        pytest.skip("fixture without a .json")
    url = json.loads(spec.read_text(encoding="utf-8"))["url"]
    assert mastodon.detect(page(url, html)) is False


@pytest.mark.parametrize("html", [
    "", "   ", "<html></html>", "{", "[]", "null", "{}", '{"type": "Note", "content": "hi"}',
    '{"@context": "https://www.w3.org/ns/activitystreams", "type": "Person"}',
    "\x00\x01<div id='mastodon'", "<pre>{not json</pre>", "mastodon " * 100,
])
def test_garbage_is_not_detected_and_extract_raises(html: str):
    p = page("https://mastodon.social/@someone", html)
    assert mastodon.detect(p) is False
    with pytest.raises(ExtractionError):
        mastodon.extract(p)


def test_mastodon_url_without_a_profile_raises():
    html = ('<html><head><title>mastodon.social</title></head><body>'
            '<div class="notranslate app-holder" id="mastodon" data-props="{}"></div>'
            '</body></html>')
    p = page("https://mastodon.social/@someone", html)
    assert mastodon.detect(p) is False
    with pytest.raises(ExtractionError, match="no name"):
        mastodon.extract(p)


def test_a_blog_with_an_activitypub_alternate_is_not_mastodon():
    # e.g. a WordPress site with the ActivityPub plugin: an alternate link but no Mastodon markup
    html = ('<html><head><meta property="og:type" content="profile">'
            '<meta property="og:title" content="Jane Doe">'
            '<link rel="alternate" type="application/activity+json"'
            ' href="https://jane.example/author/jane">'
            '</head><body><h1>Jane Doe</h1></body></html>')
    p = page("https://jane.example/author/jane", html)
    assert mastodon.detect(p) is False
    assert adapters.pick(p, "profile").id == "generic"


def test_bluesky_empty_activity_link_is_not_mastodon():
    html = ('<html><head><link type="application/activity+json" href="">'
            '<meta name="application-name" content="Bluesky"></head><body></body></html>')
    assert mastodon.detect(page("https://bsky.app/profile/a.bsky.social", html)) is False


def test_local_account_handle_without_domain_uses_the_page_host():
    # Mastodon 4.0-4.2 wrote only "@user" for a local account
    html = ('<html><body><div id="mastodon" data-props="{}"><div class="account__header">'
            '<div class="account__header__tabs__name"><h1><span>Aiko</span>'
            '<small><span>@Aiko</span></small></h1></div></div></div></body></html>')
    result = mastodon.extract(page("https://mstdn.example.jp/@Aiko", html)).profile
    assert result.display_name == "Aiko"
    assert result.url == "https://mstdn.example.jp/@aiko"
    assert result.handle == "aiko@mstdn.example.jp"


def test_redesigned_header_name_and_handle():
    # the 2025 redesign: <h1>name</h1><p>user@<domain pill></p>
    html = ('<html><body><div id="mastodon" data-props="{}"><div class="account__header">'
            '<div class="account__header__tabs__name _nameWrapper_x1"><div class="_name_x2">'
            '<h1><bdi><span>美咲</span></bdi></h1><p>misaki@<button class="_pill">'
            'social.example.jp</button></p></div></div></div></div></body></html>')
    result = mastodon.extract(page("https://social.example.jp/@misaki", html)).profile
    assert result.display_name == "美咲"
    assert result.handle == "misaki@social.example.jp"


def test_empty_display_name_falls_back_to_the_user_name():
    html = ('<html><body><div id="mastodon" data-props="{}"><div class="account__header">'
            '<div class="account__header__tabs__name"><h1><bdi><span></span></bdi>'
            '<small><span>@quiet<span class="invisible">@example.social</span></span></small>'
            '</h1></div></div></div></body></html>')
    result = mastodon.extract(page("https://example.social/@quiet", html)).profile
    assert result.display_name == "quiet"


def test_actor_json_without_any_name_raises():
    actor = {"@context": ["https://www.w3.org/ns/activitystreams"], "type": "Person",
             "id": "https://example.social/users/x", "inbox": "https://example.social/inbox"}
    p = page("https://example.social/users/x", json.dumps(actor))
    assert mastodon.detect(p) is False
    with pytest.raises(ExtractionError, match="no name"):
        mastodon.extract(p)


def test_actor_json_with_a_byte_order_mark_and_url_list():
    actor = {"@context": "https://www.w3.org/ns/activitystreams", "type": ["Person"],
             "id": "https://example.social/users/kaito", "preferredUsername": "kaito",
             "name": "海斗", "url": [{"type": "Link", "href": "https://example.social/@kaito"},
                                   "https://kaito.example.org/"],
             "icon": [{"type": "Image", "url": "https://example.social/a.png"}]}
    result = mastodon.extract(page("https://example.social/users/kaito",
                                   "\ufeff" + json.dumps(actor, ensure_ascii=False))).profile
    assert result.display_name == "海斗"
    assert result.url == "https://example.social/@kaito"
    assert result.handle == "kaito@example.social"
    assert result.avatar_url == "https://example.social/a.png"
    assert result.links == ["https://kaito.example.org/"]


def test_javascript_and_data_links_are_dropped_from_fields():
    html = ('<html><body><div id="mastodon" data-props="{}"><div class="account__header">'
            '<div class="account__header__tabs__name"><h1><span>Rin</span>'
            '<small><span>@rin@ex.social'
            '</span></small></h1></div><div class="account__header__fields">'
            '<dl class="verified"><dt>x</dt><dd><a href="javascript:alert(1)">x</a></dd></dl>'
            '<dl><dt>y</dt><dd><a href="data:text/html,hi">y</a></dd></dl>'
            '<dl><dt>Mail</dt><dd><a href="mailto:rin@ex.org">rin@ex.org</a></dd></dl>'
            '</div></div></div></body></html>')
    result = mastodon.extract(page("https://ex.social/@rin", html)).profile
    assert result.links == [] and result.me_links == []
    assert result.emails == ["rin@ex.org"]


def test_a_mastodon_profile_on_any_host_is_picked_by_mastodon():
    path = FIXTURES / "mastodon" / "ja-profile.html"
    html = path.read_text(encoding="utf-8")
    picked = adapters.pick(page("https://social.example.jp/@misaki", html), "profile")
    assert picked.id == "mastodon"


def test_warnings_leave_out_fields_mastodon_does_not_have():
    html = (FIXTURES / "mastodon" / "head-only-before-render.html").read_text(encoding="utf-8")
    warnings = mastodon.extract(page("https://mstdn.example.jp/@kenta", html)).warnings
    assert "no headline" not in warnings and "no organisation" not in warnings
    assert warnings == ["no location"]
