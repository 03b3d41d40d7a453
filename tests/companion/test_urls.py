"""companion.urls: every variant of a person's URL gives one CanonicalUrl, and results are stable.

Tables first (variants per platform, site pages that are not people, generic normalisation,
refused input), then properties checked with hypothesis: nothing but InvalidUrl is ever raised,
and feeding a result back in gives the same result.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from companion.urls import (MAX_URL_LENGTH, PLATFORMS, CanonicalUrl, InvalidUrl,
                            canonical_profile_url, canonical_url)

# No example database: the tests leave no files behind, and every run starts the same way.
PROPERTY = settings(database=None, max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

YAMADA_SLUG = "山田-太郎-a1b2c3"
YAMADA_ENCODED = "%E5%B1%B1%E7%94%B0-%E5%A4%AA%E9%83%8E-a1b2c3"
NAKAGAWA_ENCODED = quote("なかがわ")

# (the one expected result, [every variant that must give it])
SAME_PERSON: list[tuple[CanonicalUrl, list[str]]] = [
    (CanonicalUrl("linkedin", "https://www.linkedin.com/in/taro-yamada-12345",
                  "taro-yamada-12345"), [
        "https://www.linkedin.com/in/taro-yamada-12345",
        "http://linkedin.com/in/taro-yamada-12345/",
        "https://jp.linkedin.com/in/taro-yamada-12345/ja",
        "https://de.linkedin.com/in/Taro-Yamada-12345?trk=people-guest_people_search-card",
        "https://www.linkedin.com/in/taro-yamada-12345/en-us/?originalSubdomain=jp",
        "https://m.linkedin.com/in/taro-yamada-12345?locale=ja_JP",
        "https://www.linkedin.com/in/taro-yamada-12345?miniProfileUrn=urn%3Ali%3Afs_miniProfile"
        "%3AACoAAB&lipi=urn%3Ali%3Apage%3Ad_flagship3_search_srp_all",
        "  https://WWW.LINKEDIN.COM/in/taro-yamada-12345#experience  ",
        "https://www.linkedin.com/in/taro-yamada-12345/details/experience/",
        "https://www.linkedin.com/mwlite/in/taro-yamada-12345",
        "https://www.linkedin.com//in//taro-yamada-12345//",
        "https://www.linkedin.com:443/in/taro-yamada-12345",
        "www.linkedin.com/in/taro-yamada-12345/",
    ]),
    # Japanese slugs: raw, percent-encoded in either hex case, partly encoded, with locale suffix.
    (CanonicalUrl("linkedin", f"https://www.linkedin.com/in/{YAMADA_ENCODED}", YAMADA_SLUG), [
        f"https://www.linkedin.com/in/{YAMADA_SLUG}",
        f"https://jp.linkedin.com/in/{YAMADA_ENCODED}/",
        f"https://www.linkedin.com/in/{YAMADA_ENCODED.lower().replace('a1b2c3', 'A1B2C3')}",
        "https://www.linkedin.com/in/山田-%E5%A4%AA%E9%83%8E-a1b2c3/ja?trk=public_profile",
        f"http://m.linkedin.com/in/{YAMADA_SLUG}/?originalSubdomain=jp",
    ]),
    # The same kana in composed (NFC) and decomposed (NFD, as some input methods send) form.
    (CanonicalUrl("linkedin", f"https://www.linkedin.com/in/{NAKAGAWA_ENCODED}", "なかがわ"), [
        "https://www.linkedin.com/in/なかがわ",
        "https://www.linkedin.com/in/なか\u304b\u3099わ",
        f"https://jp.linkedin.com/in/{quote('なか' + chr(0x304B) + chr(0x3099) + 'わ')}/",
    ]),
    # Member ids from search and messaging links are case-sensitive: kept as they are.
    (CanonicalUrl("linkedin", "https://www.linkedin.com/in/ACoAABcdEfGhIjKlMnOp",
                  "ACoAABcdEfGhIjKlMnOp"), [
        "https://www.linkedin.com/in/ACoAABcdEfGhIjKlMnOp",
        "https://jp.linkedin.com/in/ACoAABcdEfGhIjKlMnOp/?lipi=x",
    ]),
    # Old public profile URLs are people too, but /pub/<name> is not unique: no handle.
    (CanonicalUrl("linkedin", "https://www.linkedin.com/pub/taro-yamada/12/345/678", None), [
        "https://www.linkedin.com/pub/taro-yamada/12/345/678",
        "http://jp.linkedin.com/pub/Taro-Yamada/12/345/678/",
    ]),
    (CanonicalUrl("x", "https://x.com/jack", "jack"), [
        "https://x.com/jack",
        "https://twitter.com/jack",
        "http://www.twitter.com/Jack/",
        "https://mobile.twitter.com/jack",
        "https://m.twitter.com/jack",
        "  https://m.x.com/jack  ",
        "https://x.com/JACK?lang=ja",
        "https://x.com/jack/status/20?s=20&t=abc",
        "https://twitter.com/jack/with_replies",
        "https://x.com/jack/media",
        "https://x.com//jack#top",
        "https://twitter.com/#!/jack",
        "https://x.com/@jack",
        "https://twitter.com/intent/user?screen_name=Jack",
        "https://x.com/intent/user?user_id=783214&screen_name=jack",   # the name wins
        "x.com/jack",
    ]),
    # An account id, as X's archives name people (userLink, DM sender ids): one URL per id, no
    # handle (an id is not a screen name).
    (CanonicalUrl("x", "https://x.com/i/user/783214", None), [
        "https://x.com/i/user/783214",
        "https://twitter.com/intent/user?user_id=783214",
        "http://twitter.com/intent/follow?user_id=783214&s=20",
        "https://mobile.twitter.com/i/user/783214/",
        "https://x.com/i/user/0783214",
        "twitter.com/i/user/%37%383214",
    ]),
    (CanonicalUrl("github", "https://github.com/octocat", "octocat"), [
        "https://github.com/octocat",
        "http://www.github.com/Octocat/",
        "https://github.com/octocat?tab=repositories",
        "https://github.com/sponsors/octocat",
        "https://GITHUB.com/OctoCat#readme",
        "github.com/octocat",
    ]),
    # Facebook ignores dots and case in usernames.
    (CanonicalUrl("facebook", "https://www.facebook.com/taroyamada5", "taroyamada5"), [
        "https://www.facebook.com/taro.yamada.5",
        "https://facebook.com/Taro.Yamada.5/",
        "https://m.facebook.com/taro.yamada.5?ref=bookmarks",
        "https://mbasic.facebook.com/taroyamada5",
        "https://web.facebook.com/taro.yamada.5/about",
        "https://fb.com/taro.yamada.5",
        "https://www.facebook.com/taro.yamada.5?fbclid=IwAR0abc&__tn__=%2CdC-R",
        "https://ja-jp.facebook.com/taro.yamada.5",
    ]),
    (CanonicalUrl("facebook", "https://www.facebook.com/zuck", "zuck"), [
        "https://www.facebook.com/zuck", "https://m.facebook.com/Zuck/", "https://fb.com/zuck",
    ]),
    (CanonicalUrl("facebook", "https://www.facebook.com/profile.php?id=100012345678901",
                  "100012345678901"), [
        "https://www.facebook.com/profile.php?id=100012345678901",
        "https://m.facebook.com/profile.php?id=100012345678901&sk=about",
        "https://www.facebook.com/profile.php?sk=photos&id=100012345678901",
        "https://www.facebook.com/100012345678901",
        "https://www.facebook.com/people/Taro-Yamada/100012345678901/",
    ]),
    (CanonicalUrl("instagram", "https://www.instagram.com/taro_yamada.jp", "taro_yamada.jp"), [
        "https://instagram.com/taro_yamada.jp/",
        "https://www.instagram.com/Taro_Yamada.JP/?hl=ja",
        "https://www.instagram.com/taro_yamada.jp?igshid=abc123",
        "https://m.instagram.com/taro_yamada.jp",
        "https://www.instagram.com/stories/taro_yamada.jp/3141592653589793/",
        "https://www.instagram.com/taro_yamada.jp/reels/",
        "https://www.instagram.com/_u/taro_yamada.jp",
    ]),
    (CanonicalUrl("bluesky", "https://bsky.app/profile/alice.bsky.social", "alice.bsky.social"), [
        "https://bsky.app/profile/alice.bsky.social",
        "https://bsky.app/profile/Alice.Bsky.Social/",
        "http://www.bsky.app/profile/alice.bsky.social/post/3k2abcxyz",
        "https://bsky.app/profile/@alice.bsky.social",
    ]),
    # DIDs are case-sensitive: never lower-cased.
    (CanonicalUrl("bluesky", "https://bsky.app/profile/did:plc:z72i7hDYNmk6r22z27h6tvur",
                  "did:plc:z72i7hDYNmk6r22z27h6tvur"), [
        "https://bsky.app/profile/did:plc:z72i7hDYNmk6r22z27h6tvur",
        "https://bsky.app/profile/did%3Aplc%3Az72i7hDYNmk6r22z27h6tvur/post/3k",
    ]),
    (CanonicalUrl("mastodon", "https://mastodon.social/@gargron", "gargron@mastodon.social"), [
        "https://mastodon.social/@Gargron",
        "http://mastodon.social/@gargron/",
        "https://mastodon.social/@gargron/109382487239081",
        "http://Mastodon.Social/@gargron#x",
        "https://www.mastodon.social/@gargron",
        "@Gargron@mastodon.social",
        "gargron@mastodon.social",
        "acct:gargron@MASTODON.SOCIAL",
        "https://fosstodon.org/@gargron@mastodon.social",
    ]),
    (CanonicalUrl("mastodon", "https://xn--r8jz45g.jp/@taro", "taro@xn--r8jz45g.jp"), [
        "https://例え.jp/@Taro", "@taro@例え.jp", "https://XN--R8JZ45G.jp/@taro/",
    ]),
    (CanonicalUrl("wantedly", "https://www.wantedly.com/id/taro_yamada", "taro_yamada"), [
        "https://www.wantedly.com/id/taro_yamada",
        "http://wantedly.com/id/taro_yamada/",
        "https://www.wantedly.com/id/Taro_Yamada?utm_source=x",
        "https://www.wantedly.com/id/taro_yamada/post_articles/123",
    ]),
    (CanonicalUrl("eight", "https://8card.net/p/12345678901", "12345678901"), [
        "https://8card.net/p/12345678901",
        "http://www.8card.net/p/12345678901/",
        "https://8card.net/p/12345678901?utm_source=qr",
    ]),
    (CanonicalUrl("eight", "https://8card.net/virtual_cards/AbCdEf123_-XyZ", None), [
        "https://8card.net/virtual_cards/AbCdEf123_-XyZ/",
    ]),
    (CanonicalUrl("web", "https://example.com/about", None), [
        "https://example.com/about",
        "http://www.example.com/about/",
        "https://EXAMPLE.com/about?utm_source=x&utm_medium=y",
        "https://example.com:443/about#me",
        "http://example.com:80//about/./",
    ]),
]

VARIANTS = [(variant, expected) for expected, variants in SAME_PERSON for variant in variants]


@pytest.mark.parametrize("variant, expected", VARIANTS)
def test_every_variant_of_a_persons_url_gives_one_canonical_url(variant, expected):
    assert canonical_profile_url(variant) == expected


# URLs on a known site that are not a person: the site's platform, the generic URL, no handle.
NOT_PEOPLE = [
    ("https://x.com/home", "x", "https://x.com/home"),
    ("https://twitter.com/explore/", "x", "https://x.com/explore"),
    ("https://x.com/messages/123-456", "x", "https://x.com/messages/123-456"),
    ("https://x.com/i/lists/1", "x", "https://x.com/i/lists/1"),
    ("https://x.com/i/user/jack", "x", "https://x.com/i/user/jack"),    # ids are digits
    ("https://x.com/intent/user?user_id=12a", "x", "https://x.com/intent/user?user_id=12a"),
    ("https://x.com/settings/profile", "x", "https://x.com/settings/profile"),
    ("https://x.com/search?src=typed_query&q=goen&s=09", "x",
     "https://x.com/search?q=goen&src=typed_query"),
    ("https://x.com/notifications", "x", "https://x.com/notifications"),
    ("https://x.com/compose/post", "x", "https://x.com/compose/post"),
    ("https://twitter.com/login", "x", "https://x.com/login"),
    ("https://x.com/", "x", "https://x.com/"),
    ("https://www.linkedin.com/company/goen-inc", "linkedin",
     "https://www.linkedin.com/company/goen-inc"),
    ("https://jp.linkedin.com/company/goen-inc/?trk=public_profile", "linkedin",
     "https://www.linkedin.com/company/goen-inc"),
    ("https://www.linkedin.com/feed/", "linkedin", "https://www.linkedin.com/feed"),
    ("https://www.linkedin.com/pub/dir/taro/yamada", "linkedin",
     "https://www.linkedin.com/pub/dir/taro/yamada"),
    ("https://github.com/octocat/hello-world", "github", "https://github.com/octocat/hello-world"),
    ("https://github.com/octocat/Hello-World/issues/1", "github",
     "https://github.com/octocat/Hello-World/issues/1"),
    ("https://github.com/orgs/python/people", "github", "https://github.com/orgs/python/people"),
    ("https://github.com/settings/profile", "github", "https://github.com/settings/profile"),
    ("https://github.com/explore", "github", "https://github.com/explore"),
    ("https://github.com/marketplace?type=actions", "github",
     "https://github.com/marketplace?type=actions"),
    ("https://github.com/topics/python", "github", "https://github.com/topics/python"),
    ("https://github.com/sponsors", "github", "https://github.com/sponsors"),
    ("https://www.facebook.com/messages/t/100012345678901", "facebook",
     "https://www.facebook.com/messages/t/100012345678901"),
    ("https://m.facebook.com/groups/goen/", "facebook", "https://www.facebook.com/groups/goen"),
    ("https://www.facebook.com/profile.php", "facebook", "https://www.facebook.com/profile.php"),
    ("https://www.facebook.com/photo.php?fbid=1&__cft__[0]=AZ", "facebook",
     "https://www.facebook.com/photo.php?fbid=1"),
    ("https://www.instagram.com/p/Cabc123/", "instagram", "https://www.instagram.com/p/Cabc123"),
    ("https://www.instagram.com/reel/Cxyz/", "instagram", "https://www.instagram.com/reel/Cxyz"),
    ("https://www.instagram.com/explore/tags/tokyo/", "instagram",
     "https://www.instagram.com/explore/tags/tokyo"),
    ("https://www.instagram.com/accounts/login/?next=%2F", "instagram",
     "https://www.instagram.com/accounts/login?next=%2F"),
    ("https://www.instagram.com/stories/highlights/1789/", "instagram",
     "https://www.instagram.com/stories/highlights/1789"),
    ("https://bsky.app/", "bluesky", "https://bsky.app/"),
    ("https://bsky.app/search?q=goen", "bluesky", "https://bsky.app/search?q=goen"),
    ("https://bsky.app/profile/not_a_handle", "bluesky", "https://bsky.app/profile/not_a_handle"),
    ("https://www.wantedly.com/companies/goen", "wantedly",
     "https://www.wantedly.com/companies/goen"),
    ("https://8card.net/myhome?page=1&sort=exchangeDate", "eight",
     "https://8card.net/myhome?page=1&sort=exchangeDate"),
    ("https://8card.net/", "eight", "https://8card.net/"),
]


@pytest.mark.parametrize("url, platform, expected_url", NOT_PEOPLE)
def test_site_pages_that_are_not_people_keep_the_platform_but_have_no_handle(
        url, platform, expected_url):
    assert canonical_profile_url(url) == CanonicalUrl(platform, expected_url, None)


# Other sites: "web" with canonical_url(). Some use the /@name shape but are not Mastodon.
WEB = [
    ("https://medium.com/@taro", "https://medium.com/@taro"),
    ("https://www.youtube.com/@taro/videos", "https://youtube.com/@taro/videos"),
    ("https://www.threads.net/@taro", "https://threads.net/@taro"),
    ("https://mastodon.social/users/gargron", "https://mastodon.social/users/gargron"),
    ("https://example.com/@", "https://example.com/@"),
    ("https://lnkd.in/abcDEF", "https://lnkd.in/abcDEF"),
    ("https://x.com:8443/jack", "https://x.com:8443/jack"),
    ("https://business.linkedin.com/talent", "https://business.linkedin.com/talent"),
]


@pytest.mark.parametrize("url, expected_url", WEB)
def test_other_sites_are_web(url, expected_url):
    assert canonical_profile_url(url) == CanonicalUrl("web", expected_url, None)


@pytest.mark.parametrize("url, expected", [
    ("https://mastodon.social/users/Gargron",
     CanonicalUrl("mastodon", "https://mastodon.social/@gargron", "gargron@mastodon.social")),
    ("https://mastodon.social/users/gargron/statuses/1",
     CanonicalUrl("mastodon", "https://mastodon.social/@gargron", "gargron@mastodon.social")),
    ("https://pawoo.net/@Taro",
     CanonicalUrl("mastodon", "https://pawoo.net/@taro", "taro@pawoo.net")),
    ("https://example.com/users/", CanonicalUrl("web", "https://example.com/users", None)),
])
def test_activitypub_ids_are_accounts_only_with_the_hint(url, expected):
    assert canonical_profile_url(url, mastodon_hint=True) == expected


GENERIC = [
    ("https://Example.com/About/?utm_source=x&b=2&a=1#top", "https://example.com/About?a=1&b=2"),
    ("http://www.example.com", "https://example.com/"),
    ("https://www.www.example.com/", "https://example.com/"),
    ("https://sub.www.example.com", "https://sub.www.example.com/"),
    ("https://www.example.com./", "https://example.com/"),
    ("http://example.com:80/a//b/./c/../d", "https://example.com/a/b/d"),
    ("http://example.com:443/", "https://example.com/"),
    ("https://example.com:8443/", "https://example.com:8443/"),
    ("https://例え.jp/パス", "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"),
    ("https://ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ/", "https://example.com/"),
    ("https://example.com/%7euser/%2f?q=%e3%81%82", "https://example.com/~user/%2F?q=%E3%81%82"),
    ("https://example.com/a b/c%zz?q=a+b&&x", "https://example.com/a%20b/c%25zz?q=a+b&x"),
    ("https://example.com/?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&_hsenc=5&_hsmkt=6&igshid=7&si=8"
     "&ref=9&ref_src=10&trk=11&utm_campaign=12", "https://example.com/"),
    # "s" is only X's share parameter on X: elsewhere it is often a search (WordPress ?s=).
    ("https://example.com/?s=term", "https://example.com/?s=term"),
    ("https://twitter.com/jack/status/20?s=20&t=abc", "https://x.com/jack/status/20"),
    ("https://m.facebook.com/taro.yamada.5/", "https://www.facebook.com/taro.yamada.5"),
    ("https://[::FFFF:1.2.3.4]:8080/x", "https://[::ffff:102:304]:8080/x"),
    ("https://example.com/p?b=2&a=1&b=1&a", "https://example.com/p?a&a=1&b=1&b=2"),
]


@pytest.mark.parametrize("url, expected", GENERIC)
def test_canonical_url_normalises_any_http_url(url, expected):
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


INVALID = [
    ("", "empty"),
    ("   \n", "empty"),
    ("javascript:alert(1)", "not an http"),
    ("data:text/html,hi", "not an http"),
    ("file:///etc/passwd", "not an http"),
    ("ftp://example.com/x", "not an http"),
    ("mailto:taro@example.com", "not an http"),
    ("//example.com/x", "not an http"),
    ("@jack", "not an http"),
    ("http://", "no host"),
    ("https:///path", "no host"),
    ("https://user:pw@example.com/", "user name or password"),
    ("https://example.com/" + "a" * MAX_URL_LENGTH, "longer than 2048"),
    ("https://例え.jp/" + "山" * 600, "longer than 2048 characters once normalised"),
    ("https://exa mple.com/", "invalid host"),
    ("http://a..b/", "invalid host"),
    ("https://example.com:99999/", "invalid port"),
    ("https://example.com:http/", "invalid port"),
    ("http://[::1", "not a valid URL"),
    ("http://[fe80::1%25eth0]/", "invalid IPv6"),
    ("http://\ud800.example/", "invalid characters"),
    ("bob@x.com", "not a valid Mastodon account"),
    ("acct:not an account", "not a valid Mastodon account"),
]


@pytest.mark.parametrize("url, message", INVALID)
def test_refused_input_says_what_is_wrong(url, message):
    with pytest.raises(InvalidUrl, match=message):
        canonical_profile_url(url)


def test_non_text_is_refused_as_invalid_url():
    with pytest.raises(InvalidUrl, match="must be text"):
        canonical_profile_url(None)  # type: ignore[arg-type]


def test_the_password_is_not_repeated_in_the_message():
    with pytest.raises(InvalidUrl) as caught:
        canonical_url("https://taro:hunter2@example.com/")
    assert "hunter2" not in str(caught.value)


ALL_RESULTS = ([expected for expected, _ in SAME_PERSON]
               + [CanonicalUrl(p, u, None) for _, p, u in NOT_PEOPLE]
               + [CanonicalUrl("web", u, None) for _, u in WEB])


@pytest.mark.parametrize("result", ALL_RESULTS, ids=lambda result: result.url)
def test_results_are_fixed_points(result):
    assert result.platform in PLATFORMS
    assert canonical_profile_url(result.url) == result
    assert canonical_url(result.url) == result.url      # captures and identities agree


# -- properties --------------------------------------------------------------------------------

def _idempotent(text: str, **kwargs) -> None:
    try:
        found = canonical_profile_url(text, **kwargs)
    except InvalidUrl:
        return
    assert found.platform in PLATFORMS
    assert found.url.startswith("https://") and len(found.url) <= MAX_URL_LENGTH
    assert canonical_profile_url(found.url) == found


@PROPERTY
@given(st.text(max_size=300), st.booleans())
@example("acct:@@", False)
@example("https://x.com/#!/", False)
def test_arbitrary_text_gives_invalid_url_or_a_fixed_point(text, hint):
    _idempotent(text, mastodon_hint=hint)


# URL-shaped text, so that the parsers are actually reached: known hosts and their variants,
# paths made of profile-ish words, escapes, unicode, dots and "@"s.
_HOSTS = st.sampled_from([
    "x.com", "twitter.com", "mobile.twitter.com", "www.linkedin.com", "jp.linkedin.com",
    "github.com", "www.facebook.com", "m.facebook.com", "fb.com", "instagram.com", "bsky.app",
    "www.wantedly.com", "8card.net", "mastodon.social", "例え.jp", "medium.com", "example.com",
    "WWW.Example.COM", "www.www.x.com", "[::1]", "127.0.0.1", "a.b", "xn--r8jz45g.jp",
])
_WORDS = st.sampled_from([
    "in", "pub", "p", "profile", "id", "users", "@jack", "@a@b.c", "@a@x.com", "sponsors",
    "stories", "_u", "people", "profile.php", "status", "did:plc:Ab1", "jack", "Jack", "home",
    ".", "..", "%2E", "%2e%2E", "%40jack", "%E5%B1%B1", "山田", "a.b.c", "ACoAABcdEfGhIjK", "",
    "virtual_cards", "intent", "user", "mwlite", "12345", "j.o.h.n", "did%3Aplc%3Aab",
    "i", "0012",
])
_SEGMENT = st.one_of(_WORDS, st.text(min_size=0, max_size=12))
_QUERY = st.lists(st.tuples(st.sampled_from(["id", "s", "utm_source", "screen_name", "user_id",
                                             "a", "tab",
                                             "__cft__[0]", "", "%41"]),
                            st.one_of(st.none(), st.text(max_size=8), _WORDS)), max_size=4)


@st.composite
def url_like(draw) -> str:
    scheme = draw(st.sampled_from(["https://", "http://", "HTTP://", "", "acct:", "@"]))
    host = draw(_HOSTS)
    port = draw(st.sampled_from(["", "", ":443", ":80", ":8080", ":0", ":"]))
    path = "/".join(draw(st.lists(_SEGMENT, max_size=5)))
    pairs = draw(_QUERY)
    query = "&".join(k if v is None else f"{k}={v}" for k, v in pairs)
    fragment = draw(st.sampled_from(["", "#top", "#!/jack", "#!/jack?x=1"]))
    return f"{scheme}{host}{port}/{path}" + (f"?{query}" if query else "") + fragment


@PROPERTY
@given(url_like(), st.booleans())
def test_url_shaped_text_gives_invalid_url_or_a_fixed_point(url, hint):
    _idempotent(url, mastodon_hint=hint)


@PROPERTY
@given(url_like())
def test_canonical_url_is_idempotent(url):
    try:
        once = canonical_url(url)
    except InvalidUrl:
        return
    assert canonical_url(once) == once


@PROPERTY
@given(st.text(min_size=1, max_size=30))
def test_any_linkedin_slug_gives_one_url_raw_or_encoded(slug):
    try:
        raw = canonical_profile_url(f"https://www.linkedin.com/in/{slug}")
    except InvalidUrl:
        return
    assert canonical_profile_url(raw.url) == raw
    # Typed raw, a slug loses surrounding spaces, tabs and newlines, and its "%XX" are escapes;
    # otherwise the raw and the encoded spelling must name the same person.
    if raw.handle is not None and slug == slug.strip() and not set(slug) & set("/?#%\t\r\n"):
        encoded = canonical_profile_url(f"https://jp.linkedin.com/in/{quote(slug, safe='')}/ja")
        assert encoded == raw
