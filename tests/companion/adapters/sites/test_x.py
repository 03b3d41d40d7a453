"""The X (Twitter) adapter beyond its fixtures: what it must refuse, and edge cases of the markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import Adapter, ExtractionError, Page
from companion.adapters.sites import x

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
OWN = FIXTURES / "x"
OTHER_PAGES = sorted(p for p in FIXTURES.glob("*/*.html") if p.parent.name != "x")
PROFILE = "https://x.com/someone"
THREAD = "https://x.com/messages/1111-2222"
CAPTURED = "2026-11-26T09:30:00.000+09:00"


def fixture(name: str) -> str:
    return (OWN / name).read_text(encoding="utf-8")


def jsonld(obj) -> str:
    return ('<script type="application/ld+json" data-testid="UserProfileSchema-test">'
            f"{json.dumps(obj, ensure_ascii=False)}</script>")


def header(name: str, handle: str, extra: str = "") -> str:
    return (f'<main><div data-testid="primaryColumn"><div data-testid="UserName">'
            f'<div dir="ltr"><span><span>{name}</span></span></div>'
            f'<div dir="ltr"><span>@{handle}</span></div></div>{extra}</div></main>')


def entry(text: str, *, who: str | None = None, time: str | None = None) -> str:
    avatar = (f'<a href="/{who}" data-testid="DM_Conversation_Avatar"><img alt="" '
              f'src="https://pbs.twimg.com/profile_images/1/{who}_normal.jpg"></a>') if who else ""
    meta = f'<div><div dir="ltr"><span>{time}</span></div></div>' if time else ""
    return (f'<div data-testid="cellInnerDiv"><div data-testid="messageEntry">{avatar}'
            f'<div><div dir="auto" data-testid="tweetText"><span>{text}</span></div>{meta}</div>'
            f'</div></div>')


def conversation(cells: str, title: str | None = None, nav: str = "") -> str:
    head = f'<h2 id="detail-header" role="heading"><span>{title}</span></h2>' if title else ""
    return (f"<html><body>{nav}<main><section aria-labelledby='detail-header'>{head}"
            f'<div data-testid="DmActivityContainer"><div data-testid="DmScrollerContainer">'
            f'<div data-testid="DmActivityViewport">{cells}</div></div></div></section></main>'
            f"</body></html>")


# -- the module -------------------------------------------------------------------------------

def test_module_is_an_adapter():
    assert isinstance(x, Adapter)
    assert x.id == "x"
    assert x.version == "1"
    assert x.kinds == ("profile", "thread")
    assert adapters.get("x") is x
    for pattern in x.url_patterns:
        re.compile(pattern)
        assert "(?" not in pattern  # no named groups, inline flags or look-arounds (JavaScript)
        assert "\\A" not in pattern and "\\Z" not in pattern


@pytest.mark.parametrize("url, matches", [
    ("https://x.com/someone", True),
    ("https://x.com/someone/", True),
    ("https://x.com/Some_One?s=20&t=abc", True),
    ("https://twitter.com/someone", True),
    ("https://mobile.twitter.com/someone", True),
    ("https://www.twitter.com/someone", True),
    ("https://x.com/@someone", True),
    ("https://x.com/someone/with_replies", True),
    ("https://x.com/someone/media", True),
    ("https://x.com/someone/likes", True),
    ("https://x.com/messages/1456789012345678901-1598765432109876543", True),
    ("https://twitter.com/messages/1456789012345678901-1598765432109876543?x=1", True),
    ("https://x.com/messages/1456789012345678901", True),  # a group conversation
    ("https://x.com/someone/status/1860000000000000001", False),
    ("https://x.com/someone/followers", False),
    ("https://x.com/i/lists/123", False),
    ("https://x.com/waytoolongahandle123", False),
    ("https://x.com/messages/1-2/info", False),
    ("https://notx.com/someone", False),
    ("https://evil.example/x.com/someone", False),
])
def test_url_patterns(url, matches):
    assert any(re.search(p, url) for p in x.url_patterns) is matches


# -- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", OTHER_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
@pytest.mark.parametrize("url", [PROFILE, THREAD])
def test_other_sites_pages_are_not_x(path, url):
    page = Page(url, path.read_text(encoding="utf-8", errors="replace"), captured_at=CAPTURED)
    assert x.detect(page) is False


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "not html at all <<<>>>",
                                  "\x00\x01\ud800", "<div data-testid='UserName'></div>",
                                  "<div data-testid='messageEntry'></div>"])
@pytest.mark.parametrize("url", [PROFILE, THREAD, "https://x.com/home"])
def test_garbage_is_refused(html, url):
    page = Page(url, html, captured_at=CAPTURED)
    assert x.detect(page) is False
    with pytest.raises(ExtractionError):
        x.extract(page)


def test_x_url_without_recognisable_content_raises():
    html = "<html><head><title>X</title></head><body><div id='react-root'></div></body></html>"
    for url in (PROFILE, THREAD):
        page = Page(url, html, captured_at=CAPTURED)
        assert x.detect(page) is False
        with pytest.raises(ExtractionError):
            x.extract(page)
        assert adapters.pick(Page(url, html), "auto") is None


@pytest.mark.parametrize("path", ["home", "explore", "notifications", "settings", "search"])
def test_x_own_pages_are_not_profiles(path):
    # the home timeline shows tweets whose authors have names: never a profile
    html = header("Someone", "someone")
    page = Page(f"https://x.com/{path}", html)
    assert x.detect(page) is False
    with pytest.raises(ExtractionError):
        x.extract(page)


def test_suspended_and_missing_accounts_say_why():
    page = Page("https://x.com/bargain_bot_447", fixture("profile-suspended.html"))
    with pytest.raises(ExtractionError, match="suspended"):
        x.extract(page)
    missing = ('<main><div data-testid="primaryColumn"><div data-testid="UserName"><div dir="ltr">'
               '<span>@gone_person</span></div></div><div data-testid="emptyState"><span>'
               "This account doesn’t exist</span></div></div></main>")
    with pytest.raises(ExtractionError, match="does not exist"):
        x.extract(Page("https://x.com/gone_person", missing))


def test_inbox_without_an_open_conversation_is_not_a_thread():
    html = ('<section><div data-testid="conversation"><a href="/someone" '
            'data-testid="DM_Conversation_Avatar"></a><span>Someone</span></div></section>')
    page = Page(THREAD, html, captured_at=CAPTURED)
    assert x.detect(page) is False
    with pytest.raises(ExtractionError):
        x.extract(page)


# -- profiles ---------------------------------------------------------------------------------

def test_pick_chooses_x_for_its_fixtures():
    assert adapters.pick(Page("https://x.com/maya_lindqvist", fixture("profile-en.html")),
                         "profile").id == "x"
    page = Page("https://x.com/messages/1234567890123456789-1876543210987654321",
                fixture("dm-ja.html"), captured_at=CAPTURED)
    assert adapters.pick(page, "thread").id == "x"


def test_jsonld_given_name_is_the_display_name_not_a_given_name():
    person = {"@type": "Person", "givenName": "山田 花子", "additionalName": "hanako_y",
              "description": "よろしく", "url": "https://x.com/hanako_y",
              "image": {"@type": "ImageObject", "contentUrl": "https://pbs.twimg.com/p/1.jpg"}}
    html = f"<html><head>{jsonld({'@type': 'ProfilePage', 'mainEntity': person})}</head></html>"
    profile = x.extract(Page("https://x.com/hanako_y", html)).profile
    assert profile.display_name == "山田 花子"
    assert (profile.given_name, profile.family_name, profile.reading) == (None, None, None)
    assert profile.handle == "hanako_y"
    assert profile.url == "https://x.com/hanako_y"


def test_jsonld_url_that_is_a_website_becomes_a_link():
    person = {"@type": "Person", "givenName": "Ada", "additionalName": "ada_l",
              "url": "https://ada.example.org/"}
    html = f"<html><head>{jsonld({'@type': 'ProfilePage', 'author': person})}</head></html>"
    profile = x.extract(Page("https://twitter.com/ada_l", html)).profile
    assert profile.url == "https://x.com/ada_l"  # from the handle, not the website
    assert profile.links == ["https://ada.example.org/"]


def test_header_only_profile_and_its_warnings():
    extra = ('<div data-testid="UserDescription"><span>Just a bio</span></div>'
             '<div data-testid="UserProfileHeader_Items"><span data-testid="UserJoinDate">'
             "<span>Joined May 2009</span></span></div>")
    extraction = x.extract(Page("https://x.com/someone", header("Someone", "someone", extra)))
    assert extraction.profile.display_name == "Someone"
    assert extraction.profile.bio == "Just a bio"
    # X has no headline, organisation or job title: only the fields it can have are warned
    assert extraction.warnings == ["no location", "no photo"]


def test_avatar_is_the_profile_owners_not_the_viewers():
    nav = ('<header><button data-testid="SideNav_AccountSwitcher_Button">'
           '<div data-testid="UserAvatar-Container-someone"><img src="https://pbs.twimg.com/me.jpg">'
           "</div></button></header>")
    own = header("Someone", "someone", '<a href="/someone/photo"><div data-testid='
                 '"UserAvatar-Container-someone"><img src="https://pbs.twimg.com/them.jpg"></div></a>')
    profile = x.extract(Page("https://x.com/someone", nav + own)).profile
    assert profile.avatar_url == "https://pbs.twimg.com/them.jpg"


def test_follows_you_badge_and_emoji_in_the_name():
    html = ('<main><div data-testid="primaryColumn"><div data-testid="UserName"><div dir="ltr">'
            '<span><span>Ana</span><img alt="🦊" src="https://abs-0.twimg.com/emoji/v2/svg/1f98a.svg">'
            '</span></div><div dir="ltr"><span>@ana</span></div><div data-testid="userFollowIndicator">'
            '<div dir="ltr"><span>Follows you</span></div></div></div></div></main>')
    profile = x.extract(Page("https://x.com/ana", html)).profile
    assert profile.display_name == "Ana🦊"
    assert profile.handle == "ana"


def test_website_with_truncated_text_keeps_the_tco_link_when_nothing_better():
    extra = ('<a data-testid="UserUrl" href="https://t.co/abc123"><span>'
             "example.com/a/very/long/pa…</span></a>")
    profile = x.extract(Page("https://x.com/someone", header("S", "someone", extra))).profile
    assert profile.links == ["https://t.co/abc123"]


# -- DM conversations -------------------------------------------------------------------------

def test_thread_without_captured_at_skips_relative_times():
    html = conversation(entry("hello", who="ann_b", time="3:05 PM")
                        + entry("dated", who="ann_b", time="Nov 20, 2026, 3:05 PM"), "Ann B")
    extraction = x.extract(Page(THREAD, html))  # no captured_at: nothing to resolve against
    assert extraction.thread.messages == []
    assert "2 message(s) without a readable time skipped" in extraction.warnings
    assert extraction.thread.participants[0].display_name == "Ann B"


def test_time_element_datetime_is_used_as_it_is():
    cell = ('<div data-testid="cellInnerDiv"><div data-testid="messageEntry"><a href="/ann_b" '
            'data-testid="DM_Conversation_Avatar"></a><div data-testid="tweetText">hi</div>'
            '<time datetime="2026-11-20T06:05:00.000Z">3:05 PM</time></div></div>')
    message = x.extract(Page(THREAD, conversation(cell, "Ann B"))).thread.messages[0]
    assert message.occurred_at == "2026-11-20T06:05:00.000Z"


def test_group_conversation():
    cells = (entry("Hi all", who="ann_b", time="Yesterday, 9:00 AM")
             + entry("Hello!", who="carl_d", time="Yesterday, 9:05 AM")
             + entry("Morning", time="Yesterday, 9:07 AM"))
    nav = ('<header><a data-testid="AppTabBar_Profile_Link" href="/me_myself"></a>'
           '<button data-testid="SideNav_AccountSwitcher_Button"><div dir="ltr"><span>Me</span></div>'
           '<div dir="ltr"><span>@me_myself</span></div></button></header>')
    page = Page("https://x.com/messages/1861000000000000001", conversation(cells, "Trip 2027", nav),
                captured_at=CAPTURED)
    thread = x.extract(page).thread
    assert thread.thread_key == "1861000000000000001"
    assert thread.title == "Trip 2027"
    assert [p.handle for p in thread.participants] == ["ann_b", "carl_d", "me_myself"]
    assert [(m.sender_url, m.occurred_at) for m in thread.messages] == [
        ("https://x.com/ann_b", "2026-11-25T00:00:00.000Z"),
        ("https://x.com/carl_d", "2026-11-25T00:05:00.000Z"),
        ("https://x.com/me_myself", "2026-11-25T00:07:00.000Z")]
    assert thread.messages[2].sender_name == "Me"
    assert all(m.direction is None and m.external_id is None for m in thread.messages)


def test_a_run_takes_the_sender_and_time_of_its_last_message():
    cells = (entry("one") + entry("two") + entry("three", who="ann_b", time="8:00 AM")
             + entry("four") + entry("five", time="8:10 AM"))
    nav = '<a data-testid="AppTabBar_Profile_Link" href="/me_myself"></a>'
    thread = x.extract(Page(THREAD, conversation(cells, "Ann B", nav), captured_at=CAPTURED)).thread
    assert [(m.text, m.sender_url) for m in thread.messages] == [
        ("one", "https://x.com/ann_b"), ("two", "https://x.com/ann_b"),
        ("three", "https://x.com/ann_b"), ("four", "https://x.com/me_myself"),
        ("five", "https://x.com/me_myself")]
    assert {m.occurred_at for m in thread.messages[:3]} == {"2026-11-25T23:00:00.000Z"}


def test_profile_card_join_date_is_not_a_day_separator():
    card = ('<div data-testid="cellInnerDiv"><a href="/ann_b"><div dir="ltr"><span>Ann B</span></div>'
            '<div dir="ltr"><span>@ann_b</span></div><div dir="ltr"><span>Joined March 2015</span>'
            "</div></a></div>")
    html = conversation(card + entry("hi", who="ann_b", time="9:00 AM"))
    thread = x.extract(Page(THREAD, html, captured_at=CAPTURED)).thread
    assert thread.participants[0].display_name == "Ann B"
    assert thread.messages[0].occurred_at == "2026-11-26T00:00:00.000Z"


def test_inbox_list_beside_the_conversation_is_ignored():
    inbox = ('<section aria-labelledby="root-header"><div data-testid="conversation">'
             '<a href="/someone_else" data-testid="DM_Conversation_Avatar"></a></div></section>')
    html = conversation(entry("hi", who="ann_b", time="9:00 AM"), "Ann B").replace(
        "<main>", "<main>" + inbox)
    thread = x.extract(Page(THREAD, html, captured_at=CAPTURED)).thread
    assert [p.handle for p in thread.participants] == ["ann_b"]


def test_participants_without_messages():
    html = conversation('<div data-testid="cellInnerDiv"><div data-testid="messageEntry">'
                        '<a href="/ann_b" data-testid="DM_Conversation_Avatar"></a>'
                        '<div data-testid="dmPhoto"><img alt="Image" src="https://ton.twimg.com/1.jpg">'
                        "</div></div></div>", "Ann B")
    extraction = x.extract(Page(THREAD, html, captured_at=CAPTURED))
    assert extraction.thread.messages == []
    assert "no messages" in extraction.warnings


def test_japanese_day_separators_and_relative_times():
    day = '<div data-testid="cellInnerDiv"><div dir="ltr"><span>{}</span></div></div>'
    cells = (day.format("11月24日") + entry("こんにちは", who="ann_b", time="午前9:05")
             + day.format("昨日") + entry("どうも", time="23:40")
             + entry("またね", who="ann_b", time="3時間"))
    thread = x.extract(Page(THREAD, conversation(cells, "アン"), captured_at=CAPTURED)).thread
    assert [m.occurred_at for m in thread.messages] == [
        "2026-11-24T00:05:00.000Z", "2026-11-25T14:40:00.000Z", "2026-11-25T21:30:00.000Z"]


def test_title_is_the_last_resort_for_the_name():
    html = "<html><head><title>Kai Ito (@kai_ito) / X</title></head><body></body></html>"
    page = Page("https://x.com/kai_ito", html)
    assert x.detect(page) is True
    profile = x.extract(page).profile
    assert (profile.display_name, profile.handle) == ("Kai Ito", "kai_ito")
    # another account's title (a redirect, a stale tab) is not this profile
    other = Page("https://x.com/someone", html)
    assert x.detect(other) is False
    with pytest.raises(ExtractionError):
        x.extract(other)
