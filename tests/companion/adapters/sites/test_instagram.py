"""Instagram adapter: what the fixture table does not show (tests/fixtures/sites/instagram/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import instagram

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
TOKYO = "2026-11-26T09:30:00.000+09:00"


def _other_sites_pages():
    return sorted(p for p in FIXTURES.glob("*/*.html")
                  if p.parent.name != "instagram" and p.with_suffix(".json").exists())


@pytest.mark.parametrize("html_path", _other_sites_pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_detect_false_on_other_sites_pages(html_path):
    html = html_path.read_bytes().decode("utf-8", errors="replace")
    url = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))["url"]
    assert instagram.detect(Page(url, html, captured_at=TOKYO)) is False


def _og(title: str, description: str = "") -> str:
    return (f'<html><head><meta property="og:title" content="{title}">'
            f'<meta property="og:description" content="{description}"></head><body></body></html>')


@pytest.mark.parametrize("url, html", [
    ("https://www.instagram.com/someone/", ""),
    ("https://www.instagram.com/someone/", "garbage <<<>>> \x00"),
    ("https://www.instagram.com/someone/", "<html><body><main><p>nothing</p></main></body></html>"),
    # OpenGraph of another account is not this account's page
    ("https://www.instagram.com/someone/", _og("Other (@other) • Instagram photos and videos")),
    # a post, the explore page: not profiles
    ("https://www.instagram.com/p/CzAbCdEfGhI/", _og("Lena (@lena) • Instagram photos and videos")),
    ("https://www.instagram.com/explore/", _og("Instagram")),
])
def test_nothing_recognisable_raises(url, html):
    page = Page(url, html)
    assert instagram.detect(page) is False
    with pytest.raises(ExtractionError):
        instagram.extract(page)


@pytest.mark.parametrize("title, name, handle", [
    ("Lena Hoffmann (@lena.draws) • Instagram photos and videos", "Lena Hoffmann", "lena.draws"),
    ("中村 さくら (@sakura_n) • Instagram写真と動画", "中村 さくら", "sakura_n"),
    ("@tomo.cycles • Instagram photos and videos", None, "tomo.cycles"),
    ("Ana (@ana)", "Ana", "ana"),
    ("Instagram", None, None),
])
def test_og_title_forms(title, name, handle):
    assert instagram._from_title(title) == (name, handle)


def test_japanese_meta_description_bio():
    html = ('<html><head><meta property="og:title" content="中村 さくら (@sakura_n) • Instagram写真と動画">'
            '<meta name="description" content="フォロワー1,208人、フォロー中389人、投稿142件 - 中村 さくら '
            '(@sakura_n)のInstagramアカウント: 「和菓子と器」"></head><body></body></html>')
    profile = instagram.extract(Page("https://www.instagram.com/sakura_n/", html)).profile
    assert (profile.display_name, profile.handle, profile.bio) == ("中村 さくら", "sakura_n", "和菓子と器")


def test_og_description_counts_are_never_the_bio():
    html = _og("Ana (@ana) • Instagram photos and videos",
               "1 Followers, 2 Following, 3 Posts - See Instagram photos and videos from Ana (@ana)")
    result = instagram.extract(Page("https://www.instagram.com/ana/", html))
    assert result.profile.bio is None and "no bio" in result.warnings


def test_url_patterns_are_javascript_safe():
    for pattern in instagram.url_patterns:
        assert "(?" not in pattern and "\\A" not in pattern and "\\Z" not in pattern
    assert any(re.search(p, "https://www.instagram.com/lena.draws/?hl=ja") for p in instagram.url_patterns)
    assert not any(re.search(p, "https://www.instagram.com/p/CzAbC/") for p in instagram.url_patterns)
