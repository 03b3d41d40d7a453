"""The LinkedIn adapter beyond its fixtures: URL patterns, detect() on foreign pages and garbage,
ExtractionError on LinkedIn pages with nothing to read, and the thread edge cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import linkedin

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
OWN = FIXTURES / "linkedin"
CAPTURED_AT = "2026-11-26T09:30:00.000+09:00"


def _page(name: str, url: str | None = None, captured_at: str | None = CAPTURED_AT) -> Page:
    spec = json.loads((OWN / f"{name}.json").read_text(encoding="utf-8"))
    return Page(url or spec["url"], (OWN / f"{name}.html").read_text(encoding="utf-8"),
                captured_at=captured_at)


# -- URL patterns -----------------------------------------------------------------------------

def test_url_patterns_are_portable_to_javascript():
    for pattern in linkedin.url_patterns:
        re.compile(pattern)
        assert "(?P" not in pattern and "(?<" not in pattern and "(?i" not in pattern
        assert "\\A" not in pattern and "\\Z" not in pattern


@pytest.mark.parametrize("url", [
    "https://www.linkedin.com/in/emily-carter-0a1b2c/",
    "https://linkedin.com/in/emily-carter-0a1b2c",
    "https://jp.linkedin.com/in/%E9%AB%98%E6%A9%8B-%E7%BE%8E%E5%92%B2-1a2b3c/",
    "https://m.linkedin.com/in/someone",
    "https://www.linkedin.com/in/someone/overlay/contact-info/",
    "https://www.linkedin.com/messaging/thread/2-NmE3YjQxZjU==/",
    "https://jp.linkedin.com/messaging/thread/2-abc%3D%3D/?nudge=1",
    "https://www.linkedin.com/mynetwork/invite-connect/connections/",
    "https://jp.linkedin.com/mynetwork/invite-connect/connections/",
])
def test_url_patterns_match(url):
    assert any(re.search(p, url) for p in linkedin.url_patterns)


@pytest.mark.parametrize("url", [
    "https://www.linkedin.com/company/example/",
    "https://www.linkedin.com/feed/",
    "https://www.linkedin.com/messaging/",
    "https://www.linkedin.com/mynetwork/",
    "https://business.linkedin.com/in/someone",
    "https://www.linkedin.com.evil.example/in/someone",
    "https://example.com/in/someone",
    "https://x.com/someone",
])
def test_url_patterns_do_not_match(url):
    assert not any(re.search(p, url) for p in linkedin.url_patterns)


# -- detect -----------------------------------------------------------------------------------

def _other_sites_pages():
    """Other adapters' fixtures, except those at a LinkedIn URL (this adapter may claim them)."""
    return sorted(p for p in FIXTURES.glob("*/*.html") if p.parent.name != "linkedin"
                  and "linkedin.com" not in json.loads(
                      p.with_suffix(".json").read_text(encoding="utf-8"))["url"])


@pytest.mark.parametrize("html_path", _other_sites_pages(),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_detect_is_false_on_other_sites_pages(html_path):
    spec = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
    page = Page(spec["url"], html_path.read_text(encoding="utf-8", errors="replace"))
    assert linkedin.detect(page) is False


@pytest.mark.parametrize("html", ["", "   ", "garbage <<<>>> \x00", "<html><body><p>hi</p></body></html>",
                                  "<div class='msg-s-event-listitem'>", "\ud800 <h1>x"])
@pytest.mark.parametrize("url", ["https://www.linkedin.com/in/someone/",
                                 "https://www.linkedin.com/messaging/thread/2-abc/",
                                 "https://www.linkedin.com/mynetwork/invite-connect/connections/",
                                 "https://example.com/", "not a url", None])
def test_detect_never_raises(html, url):
    assert linkedin.detect(Page(url, html)) in (True, False)


def test_linkedin_markup_on_another_site_is_not_detected():
    html = (OWN / "profile-logged-in.html").read_text(encoding="utf-8")
    assert linkedin.detect(Page("https://example.com/in/emily-carter-0a1b2c/", html)) is False


# -- nothing to read: ExtractionError ---------------------------------------------------------

EMPTY_LINKEDIN = """<!DOCTYPE html><html><head><title>LinkedIn</title></head>
<body><main id="main"><div class="scaffold-layout__main"><p>Something went wrong.</p></div></main></body></html>"""


@pytest.mark.parametrize("url", [
    "https://www.linkedin.com/in/someone/",
    "https://www.linkedin.com/messaging/thread/2-abc/",
    "https://www.linkedin.com/mynetwork/invite-connect/connections/",
])
def test_linkedin_url_without_content_raises(url):
    page = Page(url, EMPTY_LINKEDIN, captured_at=CAPTURED_AT)
    assert linkedin.detect(page) is False
    with pytest.raises(ExtractionError):
        linkedin.extract(page)


def test_empty_page_raises():
    with pytest.raises(ExtractionError):
        linkedin.extract(Page("https://www.linkedin.com/in/someone/", ""))


def test_other_url_raises():
    html = (OWN / "profile-logged-in.html").read_text(encoding="utf-8")
    with pytest.raises(ExtractionError):
        linkedin.extract(Page("https://example.com/", html))


# -- fixtures, with their captured_at ---------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.stem for p in OWN.glob("*.html")))
def test_fixtures_with_their_capture_time(name):
    """The fixture table run with the capture time each .json states (thread times are relative
    to it)."""
    spec = json.loads((OWN / f"{name}.json").read_text(encoding="utf-8"))
    page = _page(name, captured_at=spec.get("captured_at"))
    assert linkedin.detect(page) is True
    assert linkedin.extract(page).to_dict() == spec["expected"]
    kind = spec["expected"]["kind"]
    picked = adapters.pick(_page(name, captured_at=spec.get("captured_at")), kind)
    assert picked is not None and picked.id == "linkedin"


@pytest.mark.parametrize("name", [p.stem for p in OWN.glob("thread-*.html")])
def test_thread_fixtures_have_a_local_capture_time(name):
    spec = json.loads((OWN / f"{name}.json").read_text(encoding="utf-8"))
    assert spec["captured_at"].endswith("+09:00")


# -- threads ----------------------------------------------------------------------------------

def test_grouped_messages_keep_their_sender():
    thread = linkedin.extract(_page("thread-ja")).thread
    senders = [m.sender_name for m in thread.messages]
    assert senders == ["佐藤 健二", "高橋 美咲", "高橋 美咲", "高橋 美咲", "佐藤 健二"]
    grouped = thread.messages[1:4]
    assert {m.sender_url for m in grouped} == {"https://www.linkedin.com/in/ACoAAMisakiExample03"}
    assert {m.occurred_at for m in grouped} == {"2026-11-25T01:42:00.000Z"}


def test_sender_from_screen_reader_heading_only():
    thread = linkedin.extract(_page("thread-trimmed-group")).thread
    tomas = [m for m in thread.messages if m.sender_name == "Tomás Ruiz"]
    assert len(tomas) == 1 and tomas[0].sender_url is None
    assert [p.display_name for p in thread.participants] == ["Priya Nair", "Tomás Ruiz", "Kenji Sato"]


def test_thread_key_is_the_url_id():
    assert linkedin.extract(_page("thread-ja")).thread.thread_key == \
        "2-ZjYwNTk2YjEtMzA1Ni00ZWQ4LWEyNmYtOWQ1ZGE3OTdkNmU0XzAxMA=="


def test_direction_is_left_to_the_central_rule():
    thread = linkedin.extract(_page("thread-en")).thread
    assert all(m.direction is None for m in thread.messages)


def test_thread_without_capture_time_skips_relative_times_with_a_warning():
    extraction = linkedin.extract(_page("thread-en", captured_at=None))
    assert extraction.thread.messages == []
    assert "4 message(s) without a readable time skipped" in extraction.warnings
    assert [p.display_name for p in extraction.thread.participants] == ["Emily Carter", "Kenji Sato"]


# -- profiles ---------------------------------------------------------------------------------

def test_logged_out_headline_is_not_the_badge():
    profile = linkedin.extract(_page("profile-public-logged-out")).profile
    assert profile.headline == "Head of Design at Kansai Robotics · Industrial design, HMI"
    assert profile.url == "https://www.linkedin.com/in/haruto-mori-3c4d5e"


def test_generic_linkedin_like_fixture_is_read_by_this_adapter():
    path = FIXTURES / "generic" / "linkedin-like-jsonld-graph"
    spec = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    page = Page(spec["url"], path.with_suffix(".html").read_text(encoding="utf-8"))
    assert spec.get("picked_by") == "linkedin"
    assert adapters.pick(page, "profile").id == "linkedin"
    profile = linkedin.extract(page).profile
    assert profile.display_name == "Kenji Sato"
    assert profile.headline == "Engineering Manager at Example KK"  # the top card, not JSON-LD
    assert (profile.title, profile.organisation) == ("Engineering Manager", "Example KK")
    assert profile.handle == "kenji-sato-example"


def test_redirect_links_are_unwrapped():
    profile = linkedin.extract(_page("profile-logged-in")).profile
    assert profile.links == ["https://emilycarter.example/blog"]


def test_no_current_position_and_no_top_card_company():
    html = (OWN / "profile-trimmed-contact-info.html").read_text(encoding="utf-8")
    html = html.replace("Current company: Okafor Data Ltd.", "Okafor Data Ltd.")
    profile = linkedin.extract(Page("https://www.linkedin.com/in/daniel-okafor-77/", html)).profile
    assert profile.title is None and profile.organisation is None


def test_experience_card_found_by_its_heading_without_anchor():
    html = (OWN / "profile-ja.html").read_text(encoding="utf-8")
    html = html.replace('<div id="experience" class="pv-profile-card__anchor"></div>', "")
    html = html.replace('<div id="about" class="pv-profile-card__anchor"></div>', "")
    profile = linkedin.extract(Page(json.loads((OWN / "profile-ja.json").read_text())["url"],
                                    html)).profile
    assert (profile.title, profile.organisation) == ("プロダクトマネージャー", "株式会社サンプルテック")
    assert profile.bio.startswith("中小企業向け")


# -- career: positions, education, skills ------------------------------------------------------

def test_grouped_roles_each_become_a_position_with_the_company():
    profile = linkedin.extract(_page("profile-logged-in")).profile
    assert [(p.title, p.organisation, p.start, p.end, p.current) for p in profile.positions] == [
        ("Engineering Manager", "Northwind Payments", "Mar 2022", None, True),
        ("Senior Software Engineer", "Northwind Payments", "Oct 2018", "Mar 2022", False),
        ("Software Engineer", "Ledgerline", "Sep 2014", "Sep 2018", False),
    ]
    # the group's place for its roles; the role description in a nested list is no position
    assert [p.location for p in profile.positions] == [
        "London, England, United Kingdom", "London, England, United Kingdom",
        "Leeds, England, United Kingdom"]
    assert [(s.name, s.degree, s.start, s.end) for s in profile.education] == [
        ("University of Leeds", "BSc, Computer Science", "2011", "2014")]
    assert profile.skills == ["Payment Systems", "Engineering Management", "Go"]


def test_japanese_dates_and_workplace_type():
    profile = linkedin.extract(_page("profile-ja")).profile
    first, second = profile.positions
    assert (first.start, first.end, first.current) == ("2021年4月", None, True)
    assert first.location == "日本 東京都 港区"  # 「· ハイブリッド」 is no place
    assert (second.start, second.end, second.current) == ("2016年4月", "2021年3月", False)
    assert profile.skills == ["プロダクトマネジメント", "SaaS"]  # not the 推薦 lines


@pytest.mark.parametrize("caption, expected", [
    ("Apr 2021 - Present · 3 yrs 8 mos", ("Apr 2021", None, True)),
    ("2021年4月～現在 · 3年 8か月", ("2021年4月", None, True)),
    ("2021年4月 〜 2023年3月 · 2年", ("2021年4月", "2023年3月", False)),
    ("Sep 2014 – Sep 2018", ("Sep 2014", "Sep 2018", False)),
    ("2012 - 2016", ("2012", "2016", False)),
    ("2012-2016", ("2012", "2016", False)),
    ("2016", ("2016", None, False)),
    (None, (None, None, False)),
])
def test_dates_line_split(caption, expected):
    assert linkedin._split_dates(caption) == expected


def test_cards_found_by_heading_without_anchors():
    html = (OWN / "profile-ja.html").read_text(encoding="utf-8")
    for anchor in ("experience", "education", "skills"):
        html = html.replace(f'<div id="{anchor}" class="pv-profile-card__anchor"></div>', "")
    profile = linkedin.extract(Page(json.loads((OWN / "profile-ja.json").read_text())["url"],
                                    html)).profile
    assert [p.title for p in profile.positions] == ["プロダクトマネージャー", "バックエンドエンジニア"]
    assert [s.name for s in profile.education] == ["サンプル大学"]
    assert profile.skills == ["プロダクトマネジメント", "SaaS"]


def test_logged_out_lists_preferred_to_jsonld():
    profile = linkedin.extract(_page("profile-public-logged-out")).profile
    assert [(p.title, p.organisation, p.start, p.end, p.current, p.location)
            for p in profile.positions] == [
        ("Head of Design", "Kansai Robotics", "Apr 2020", None, True, None),
        ("Product Designer", "Naniwa Machines", "Apr 2012", "Mar 2020", False, "Kobe, Hyogo, Japan")]
    assert [(s.name, s.degree, s.start, s.end) for s in profile.education] == [
        ("Osaka Design College", "Bachelor of Design, Industrial Design", "2008", "2012")]


def test_logged_out_jsonld_career_when_no_lists():
    html = (OWN / "profile-public-logged-out.html").read_text(encoding="utf-8")
    html = html.replace('data-section="experience"', 'data-section="gone"')
    html = html.replace('data-section="educationsDetails"', 'data-section="gone2"')
    html = html.replace("<h2 class=\"core-section-container__title section-title\">Experience</h2>", "")
    html = html.replace("<h2 class=\"core-section-container__title section-title\">Education</h2>", "")
    url = json.loads((OWN / "profile-public-logged-out.json").read_text())["url"]
    profile = linkedin.extract(Page(url, html)).profile
    assert [(p.title, p.organisation, p.start, p.end, p.current) for p in profile.positions] == [
        (None, "Kansai Robotics", "2020", None, True)]
    assert [(s.name, s.degree, s.start, s.end) for s in profile.education] == [
        ("Osaka Design College", None, "2008", "2012")]


def test_no_career_cards_no_career():
    html = (OWN / "profile-trimmed-contact-info.html").read_text(encoding="utf-8")
    profile = linkedin.extract(Page("https://www.linkedin.com/in/daniel-okafor-77/", html)).profile
    assert profile.education == [] and profile.skills == []
    assert [(p.title, p.current) for p in profile.positions] == [("Data Engineer", False)]
