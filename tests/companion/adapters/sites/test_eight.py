"""The Eight adapter beyond its fixtures: what it must refuse, and edge cases of the reading.

Eight's markup is assumed (see the module docstring): these tests pin the reading of a BEM-style
card and of the title.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import eight

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
OTHER_PAGES = sorted(p for p in FIXTURES.glob("*/*.html") if p.parent.name != "eight")
PROFILE = "https://8card.net/p/12345678901"


def _card(fields: str, title: str = "") -> Page:
    return Page(PROFILE, f"<html><head><title>{title}</title>"
                         '<meta property="og:site_name" content="Eight"></head><body>'
                         f'<div class="card">{fields}</div></body></html>')


def test_module_attributes():
    assert eight.id == "eight"
    assert eight.kinds == ("profile",)
    for pattern in eight.url_patterns:
        re.compile(pattern)
        assert "(?" not in pattern


@pytest.mark.parametrize("url, matches", [
    ("https://8card.net/p/39871470746", True),
    ("https://8card.net/p/39871470746/", True),
    ("https://8card.net/virtual_cards/Ab3dEf9hKl2mNoPq", True),
    ("https://8card.net/p/39871470746.json", False),
    ("https://8card.net/myhome", False),
    ("https://8card.net/companies/123", False),
    ("https://evil.example/8card.net/p/1", False),
])
def test_url_patterns(url, matches):
    assert any(re.search(p, url) for p in eight.url_patterns) is matches


@pytest.mark.parametrize("path", OTHER_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_not_detected_on_other_sites_pages(path: Path):
    html = path.read_text(encoding="utf-8", errors="replace")
    assert eight.detect(Page(PROFILE, html)) is False


@pytest.mark.parametrize("html", ["", "  ", "<html></html>", "{}", "\x00<p class=",
                                  "Eight " * 50, '<p class="card__name"></p>'])
def test_garbage_is_not_detected_and_extract_raises(html):
    page = Page(PROFILE, html)
    assert eight.detect(page) is False
    with pytest.raises(ExtractionError):
        eight.extract(page)


def test_profile_url_with_no_profile_content_raises():
    # the login wall a logged-out visitor of a non-public profile gets
    html = ('<!DOCTYPE html><html lang="ja"><head><title>ログイン | Eight</title>'
            '<meta property="og:site_name" content="Eight"></head>'
            '<body><header class="global-header"><span class="global-header__name">閲覧 者</span>'
            '</header><main><h1>ログイン</h1></main></body></html>')
    page = Page(PROFILE, html)
    assert eight.detect(page) is False
    with pytest.raises(ExtractionError, match="no Eight"):
        eight.extract(page)
    assert adapters.pick(Page(PROFILE, html), "profile") is None


def test_department_and_title_are_joined():
    page = _card('<p class="card__company">株式会社例</p><p class="card__department">開発部</p>'
                 '<p class="card__title">課長</p><p class="card__name">田中 一郎</p>')
    profile = eight.extract(page).profile
    assert (profile.organisation, profile.title) == ("株式会社例", "開発部 課長")


def test_a_non_kana_reading_is_dropped():
    page = _card('<p class="card__name">田中 一郎</p><p class="card__name-reading">Ichiro Tanaka</p>')
    assert eight.extract(page).profile.reading is None


def test_the_viewer_in_the_site_header_is_not_the_person():
    html = ('<html><head><title>Eight</title></head><body><header class="global-header">'
            '<span class="global-header__name">閲覧 者</span></header></body></html>')
    assert eight.detect(Page(PROFILE, html)) is False


def test_virtual_card_has_no_handle_and_no_handle_warning():
    page = Page("https://8card.net/virtual_cards/Ab3dEf9hKl2mNoPq",
                '<html><head><meta property="og:site_name" content="Eight"></head>'
                '<body><p class="card__name">田中 一郎</p>'
                '<p class="card__company">株式会社例</p></body></html>')
    result = eight.extract(page)
    assert result.profile.handle is None
    assert result.profile.url == "https://8card.net/virtual_cards/Ab3dEf9hKl2mNoPq"
    assert "no handle" not in result.warnings
