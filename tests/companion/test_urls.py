"""Canonical profile URLs: each row's variants must all give the same identity."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from companion.urls import CanonicalUrl, InvalidUrl, canonical_profile_url, canonical_url

SAME_PERSON = [
    (CanonicalUrl("x", "https://x.com/jack", "jack"), [
        "https://x.com/jack", "https://twitter.com/jack", "http://www.twitter.com/Jack/",
        "https://mobile.twitter.com/jack", "https://x.com/JACK?s=20&t=abc",
        "https://x.com/jack/status/20", "https://x.com/jack/with_replies", "x.com/jack",
        "https://x.com//jack#top", "  https://m.x.com/jack  "]),
    (CanonicalUrl("linkedin", "https://www.linkedin.com/in/taro-yamada-123", "taro-yamada-123"), [
        "https://www.linkedin.com/in/taro-yamada-123/", "https://linkedin.com/in/Taro-Yamada-123",
        "https://jp.linkedin.com/in/taro-yamada-123", "https://www.linkedin.com/in/taro-yamada-123/ja",
        "https://www.linkedin.com/in/taro-yamada-123/en-us/?locale=ja_JP",
        "https://www.linkedin.com/in/taro-yamada-123?trk=public_profile&originalSubdomain=jp",
        "http://m.linkedin.com/in/taro-yamada-123/detail/recent-activity/"]),
    (CanonicalUrl("linkedin", "https://www.linkedin.com/in/%E5%B1%B1%E7%94%B0", "山田"), [
        "https://www.linkedin.com/in/%E5%B1%B1%E7%94%B0/", "https://www.linkedin.com/in/山田",
        "https://jp.linkedin.com/in/%e5%b1%b1%e7%94%b0?trk=x"]),
    (CanonicalUrl("github", "https://github.com/octocat", "octocat"), [
        "https://github.com/octocat", "https://github.com/Octocat?tab=repositories",
        "http://www.github.com/octocat/", "https://github.com/sponsors/octocat"]),
    (CanonicalUrl("facebook", "https://www.facebook.com/zuck", "zuck"), [
        "https://www.facebook.com/zuck", "https://m.facebook.com/Zuck/", "https://fb.com/zuck",
        "https://mbasic.facebook.com/zuck?fbclid=abc", "https://web.facebook.com/zuck"]),
    (CanonicalUrl("facebook", "https://www.facebook.com/profile.php?id=1000123", "1000123"), [
        "https://www.facebook.com/profile.php?id=1000123",
        "https://m.facebook.com/profile.php?id=1000123&ref=bookmarks"]),
    (CanonicalUrl("instagram", "https://www.instagram.com/hanako.s", "hanako.s"), [
        "https://www.instagram.com/hanako.s/", "https://instagram.com/Hanako.S?igshid=xyz",
        "https://www.instagram.com/stories/hanako.s/"]),
    (CanonicalUrl("bluesky", "https://bsky.app/profile/jay.bsky.team", "jay.bsky.team"), [
        "https://bsky.app/profile/jay.bsky.team", "https://bsky.app/profile/Jay.Bsky.Team/",
        "https://bsky.app/profile/jay.bsky.team/post/3k"]),
    (CanonicalUrl("bluesky", "https://bsky.app/profile/did:plc:AbC123", "did:plc:AbC123"), [
        "https://bsky.app/profile/did:plc:AbC123"]),
    (CanonicalUrl("mastodon", "https://mastodon.social/@gargron", "gargron@mastodon.social"), [
        "https://mastodon.social/@Gargron", "@Gargron@mastodon.social", "gargron@mastodon.social",
        "acct:gargron@mastodon.social", "https://mastodon.social/@gargron/",
        "https://fosstodon.org/@gargron@mastodon.social", "http://Mastodon.Social/@gargron#x"]),
    (CanonicalUrl("wantedly", "https://www.wantedly.com/id/taro_y", "taro_y"), [
        "https://www.wantedly.com/id/taro_y", "https://wantedly.com/id/Taro_Y/"]),
    (CanonicalUrl("eight", "https://8card.net/p/12345", "12345"), [
        "https://8card.net/p/12345", "https://www.8card.net/p/12345/"]),
    (CanonicalUrl("web", "https://example.com/about", None), [
        "https://example.com/about", "http://www.example.com/about/",
        "https://EXAMPLE.com/about?utm_source=x&utm_medium=y", "https://example.com:443/about#me"]),
]


@pytest.mark.parametrize("expected, variant",
                         [(e, v) for e, variants in SAME_PERSON for v in variants])
def test_variants_give_one_identity(expected, variant):
    assert canonical_profile_url(variant) == expected
    assert canonical_profile_url(expected.url) == expected  # idempotent


def test_users_path_counts_as_mastodon_only_with_a_hint():
    assert canonical_profile_url("https://mastodon.social/users/gargron").platform == "web"
    found = canonical_profile_url("https://mastodon.social/users/Gargron", mastodon_hint=True)
    assert found == CanonicalUrl("mastodon", "https://mastodon.social/@gargron",
                                 "gargron@mastodon.social")


@pytest.mark.parametrize("url, platform", [
    ("https://x.com/home", "x"), ("https://x.com/messages/123-456", "x"),
    ("https://x.com/i/lists/1", "x"), ("https://www.linkedin.com/company/example", "linkedin"),
    ("https://www.linkedin.com/feed/", "linkedin"), ("https://github.com/octocat/hello-world", "github"),
    ("https://github.com/orgs/python", "github"), ("https://www.facebook.com/messages/t/123", "facebook"),
    ("https://www.instagram.com/p/Cx1/", "instagram"), ("https://bsky.app/", "bluesky"),
    ("https://8card.net/", "eight"),
])
def test_site_pages_that_are_not_people_have_no_handle(url, platform):
    found = canonical_profile_url(url)
    assert found.platform == platform and found.handle is None


def test_generic_urls_keep_meaningful_query_parameters_sorted():
    assert canonical_url("https://example.com/p?b=2&a=1&utm_campaign=z") == \
        "https://example.com/p?a=1&b=2"
    assert canonical_url("http://example.com") == "https://example.com/"
    assert canonical_url("https://例え.jp/人") == "https://xn--r8jz45g.jp/%E4%BA%BA"


@pytest.mark.parametrize("url, message", [
    ("", "empty"), ("   ", "empty"), ("javascript:alert(1)", "not an http"),
    ("data:text/html,hi", "not an http"), ("file:///etc/passwd", "not an http"),
    ("ftp://example.com/x", "not an http"), ("mailto:a@example.com", "not an http"),
    ("https://", "no host"), ("https://user:pw@example.com/", "user name or password"),
    ("https://example.com/" + "a" * 3000, "longer than"), ("https://exa mple.com/", "host"),
    ("https://example.com:99999/", "cannot be read"),
])
def test_invalid_urls_say_what_is_wrong(url, message):
    with pytest.raises(InvalidUrl, match=message):
        canonical_profile_url(url)


@given(st.text(max_size=300))
def test_never_raises_anything_but_invalid_url_and_is_idempotent(text):
    try:
        found = canonical_profile_url(text)
    except InvalidUrl:
        return
    assert canonical_profile_url(found.url) == found


@given(st.from_regex(r"https?://[a-z0-9.-]{1,30}\.[a-z]{2,5}(/[\w@%.~-]{0,20}){0,4}(\?[\w=&]{0,20})?",
                     fullmatch=True))
def test_url_shaped_text_is_idempotent(url):
    try:
        found = canonical_profile_url(url)
    except InvalidUrl:
        return
    assert canonical_profile_url(found.url) == found
