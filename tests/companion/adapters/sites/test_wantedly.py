"""The Wantedly adapter beyond its fixtures: what it must refuse, and edge cases of the reading.

Wantedly's markup is assumed (see the module docstring): these tests pin the text-based reading.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import wantedly

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
OTHER_PAGES = sorted(p for p in FIXTURES.glob("*/*.html") if p.parent.name != "wantedly")
PROFILE = "https://www.wantedly.com/id/someone"


def _page(work: str, title: str = "山田 花子のプロフィール - Wantedly") -> Page:
    return Page(PROFILE, f'<html><head><title>{title}</title></head><body><main>'
                         f'<h1>山田 花子</h1><section><h2>職歴</h2><ul>{work}</ul></section>'
                         '</main></body></html>')


def test_module_attributes():
    assert wantedly.id == "wantedly"
    assert wantedly.kinds == ("profile",)
    for pattern in wantedly.url_patterns:
        re.compile(pattern)
        assert "(?" not in pattern


@pytest.mark.parametrize("url, matches", [
    ("https://www.wantedly.com/id/kenta_suzuki", True),
    ("https://wantedly.com/id/kenta-suzuki/", True),
    ("https://www.wantedly.com/id/kenta_suzuki?utm_source=x", True),
    ("https://www.wantedly.com/id/kenta_suzuki/post_articles/1", False),
    ("https://www.wantedly.com/companies/mirai-works", False),
    ("https://www.wantedly.com/projects/123", False),
    ("https://evil.example/www.wantedly.com/id/x", False),
])
def test_url_patterns(url, matches):
    assert any(re.search(p, url) for p in wantedly.url_patterns) is matches


@pytest.mark.parametrize("path", OTHER_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_not_detected_on_other_sites_pages(path: Path):
    html = path.read_text(encoding="utf-8", errors="replace")
    assert wantedly.detect(Page(PROFILE, html)) is False


@pytest.mark.parametrize("html", ["", "  ", "<html></html>", "{}", "\x00<h1",
                                  "Wantedly " * 50, "<h1>Someone</h1>"])
def test_garbage_is_not_detected_and_extract_raises(html):
    page = Page(PROFILE, html)
    assert wantedly.detect(page) is False
    with pytest.raises(ExtractionError):
        wantedly.extract(page)


def test_profile_url_with_no_profile_content_raises():
    html = ('<!DOCTYPE html><html lang="ja"><head><title>ページが見つかりません</title></head>'
            '<body><div id="root"><p>お探しのページは見つかりませんでした。</p></div></body></html>')
    page = Page(PROFILE, html)
    assert wantedly.detect(page) is False
    with pytest.raises(ExtractionError, match="no Wantedly profile"):
        wantedly.extract(page)
    assert adapters.pick(page, "profile") is None


def test_a_past_job_whose_description_says_genzai_is_not_current():
    page = _page('<li><h3>旧株式会社</h3><p>営業</p><p>2015年4月 - 2019年3月</p>'
                 '<p>現在も当時の顧客と交流があります。</p></li>')
    profile = wantedly.extract(page).profile
    assert profile.organisation is None and profile.title is None


def test_the_current_job_is_found_after_past_ones():
    page = _page('<li><h3>旧株式会社</h3><p>営業</p><p>2015年4月 - 2019年3月</p></li>'
                 '<li><h3>新株式会社</h3><p>マネージャー</p><p>2019年4月 - 現在</p></li>')
    profile = wantedly.extract(page).profile
    assert (profile.organisation, profile.title) == ("新株式会社", "マネージャー")


def test_title_forms():
    for title in ("山田 花子のプロフィール - Wantedly", "山田 花子 | Wantedly", "山田 花子 - Wantedly"):
        html = f"<html><head><title>{title}</title></head><body></body></html>"
        assert wantedly.extract(Page(PROFILE, html)).profile.display_name == "山田 花子"


def test_login_wall_title_is_not_a_name():
    html = "<html><head><title>ログイン | Wantedly</title></head><body><h1>ログイン</h1></body></html>"
    page = Page(PROFILE, html)
    assert wantedly.detect(page) is False
    with pytest.raises(ExtractionError):
        wantedly.extract(page)


def _sections_page(body: str) -> Page:
    return Page(PROFILE, '<html><head><title>山田 花子のプロフィール - Wantedly</title></head>'
                         f'<body><main><h1>山田 花子</h1>{body}</main></body></html>')


def test_every_job_is_a_position_newest_first_with_dates_as_written():
    page = _page('<li><h3>新株式会社</h3><p>マネージャー</p><p><time>2019年4月</time> - 現在</p>'
                 '<p>2020年に部署を立ち上げました。</p></li>'
                 '<li><h3>旧株式会社</h3><p>営業</p><p>2015年4月 - 2019年3月</p></li>'
                 '<li><h3>最初の会社</h3><p>2012年4月 〜 2015年3月</p></li>')
    profile = wantedly.extract(page).profile
    assert [(p.organisation, p.title, p.start, p.end, p.current) for p in profile.positions] == [
        ("新株式会社", "マネージャー", "2019年4月", None, True),
        ("旧株式会社", "営業", "2015年4月", "2019年3月", False),
        ("最初の会社", None, "2012年4月", "2015年3月", False),
    ]
    assert all(p.location is None for p in profile.positions)
    assert (profile.organisation, profile.title) == ("新株式会社", "マネージャー")


def test_a_past_job_whose_description_says_genzai_is_a_past_position():
    page = _page('<li><h3>旧株式会社</h3><p>営業</p><p>2015年4月 - 2019年3月</p>'
                 '<p>現在も当時の顧客と交流があります。</p></li>')
    [position] = wantedly.extract(page).profile.positions
    assert (position.start, position.end, position.current) == ("2015年4月", "2019年3月", False)


@pytest.mark.parametrize("period, expected", [
    ("Oct 2019 - Present", ("Oct 2019", None, True)),
    ("Apr 2016 – Mar 2021", ("Apr 2016", "Mar 2021", False)),
    ("2021/04 - 2023/09", ("2021/04", "2023/09", False)),
    ("2021年4月 - 現在 (3年)", ("2021年4月", None, True)),
    ("2013 - 2017", ("2013", "2017", False)),
])
def test_period_forms(period, expected):
    page = _page(f"<li><h3>Example Inc.</h3><p>Engineer</p><p>{period}</p></li>")
    [position] = wantedly.extract(page).profile.positions
    assert (position.start, position.end, position.current) == expected


def test_a_job_line_with_a_year_is_not_taken_for_the_period():
    page = _page('<li><h3>株式会社例示</h3><p>2020年新卒入社 エンジニア</p><p>2020年4月 - 現在</p></li>')
    [position] = wantedly.extract(page).profile.positions
    assert (position.title, position.start, position.current) == (
        "2020年新卒入社 エンジニア", "2020年4月", True)


def test_education_and_skills():
    page = _sections_page(
        '<section><h2>学歴</h2><ul>'
        '<li><h3>東京例示大学大学院</h3><p>情報理工学系研究科</p><p>修士（情報理工学）</p>'
        '<p>2016年4月 - 2018年3月</p></li>'
        '<li><h3>東京例示大学</h3><p>工学部</p><p>2012年4月 - 2016年3月</p></li>'
        '<li><h3>例示高等学校</h3></li>'
        '</ul></section>'
        '<section><h2>スキル・特徴</h2><ul><li><span>Python</span><span>12</span></li>'
        '<li>SQL</li><li>SQL</li><li> </li></ul></section>')
    profile = wantedly.extract(page).profile
    assert [(s.name, s.degree, s.start, s.end) for s in profile.education] == [
        ("東京例示大学大学院", "情報理工学系研究科 修士（情報理工学）", "2016年4月", "2018年3月"),
        ("東京例示大学", "工学部", "2012年4月", "2016年3月"),
        ("例示高等学校", None, None, None),
    ]
    assert profile.skills == ["Python", "SQL"]  # an endorsement count is no part of a tag


def test_english_sections():
    page = _sections_page(
        '<section><h2>Work experience</h2><ul><li><h3>Example K.K.</h3><p>Designer</p>'
        '<p>Sep 2020 - Present</p></li></ul></section>'
        '<section><h2>Education</h2><ul><li><h3>Example University</h3><p>BA, Economics</p>'
        '<p>2014 - 2018</p></li></ul></section>'
        '<section><h2>Skills</h2><ul><li>Figma</li><li>Illustrator</li></ul></section>')
    profile = wantedly.extract(page).profile
    assert [(p.organisation, p.title, p.start, p.end, p.current) for p in profile.positions] == [
        ("Example K.K.", "Designer", "Sep 2020", None, True)]
    assert [(s.name, s.degree, s.start, s.end) for s in profile.education] == [
        ("Example University", "BA, Economics", "2014", "2018")]
    assert profile.skills == ["Figma", "Illustrator"]
    assert (profile.organisation, profile.title) == ("Example K.K.", "Designer")


def test_no_sections_no_lists():
    html = "<html><head><title>山田 花子 | Wantedly</title></head><body><h1>山田 花子</h1></body></html>"
    profile = wantedly.extract(Page(PROFILE, html)).profile
    assert (profile.positions, profile.education, profile.skills) == ([], [], [])
