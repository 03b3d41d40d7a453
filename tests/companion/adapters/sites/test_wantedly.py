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
