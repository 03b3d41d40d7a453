"""The GitHub adapter beyond its fixtures: what it must refuse, and edge cases of the markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page
from companion.adapters.sites import github

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sites"
OTHER_PAGES = sorted(p for p in FIXTURES.glob("*/*.html") if p.parent.name != "github")
PROFILE = "https://github.com/someone"


def _card(names: str = "", details: str = "", bio: str = "") -> str:
    return ('<html><body><div class="h-card" itemscope itemtype="http://schema.org/Person">'
            f'<h1 class="vcard-names">{names}</h1>{bio}<ul class="vcard-details">{details}</ul>'
            '</div></body></html>')


def test_module_attributes():
    assert github.id == "github"
    assert github.kinds == ("profile",)
    for pattern in github.url_patterns:
        re.compile(pattern)
        assert "(?" not in pattern  # no named groups, inline flags or look-arounds (JavaScript)


@pytest.mark.parametrize("url, matches", [
    ("https://github.com/octocat", True),
    ("https://github.com/octocat/", True),
    ("https://github.com/octocat?tab=repositories", True),
    ("https://www.github.com/Octo-Cat", True),
    ("https://github.com/octocat/hello-world", False),
    ("https://github.com/", False),
    ("https://gist.github.com/octocat", False),
    ("https://evil.example/github.com/octocat", False),
])
def test_url_patterns(url, matches):
    assert any(re.search(p, url) for p in github.url_patterns) is matches


@pytest.mark.parametrize("path", OTHER_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_not_detected_on_other_sites_pages(path: Path):
    html = path.read_text(encoding="utf-8", errors="replace")
    assert github.detect(Page(PROFILE, html)) is False


@pytest.mark.parametrize("html", ["", "  ", "<html></html>", "{}", "\x00<div class=",
                                  "GitHub " * 50, '<span class="vcard-fullname"></span>'])
def test_garbage_is_not_detected_and_extract_raises(html):
    page = Page(PROFILE, html)
    assert github.detect(page) is False
    with pytest.raises(ExtractionError):
        github.extract(page)


def test_user_url_with_no_profile_content_raises():
    # e.g. GitHub's 404 page, or a page captured before it loaded
    html = ('<!DOCTYPE html><html><head><title>Page not found · GitHub</title>'
            '<meta property="og:site_name" content="GitHub"></head><body><main>'
            '<h1>404</h1><p>This is not the web page you are looking for.</p></main></body></html>')
    page = Page(PROFILE, html)
    assert github.detect(page) is False
    with pytest.raises(ExtractionError, match="no GitHub user profile"):
        github.extract(page)
    assert adapters.pick(page, "profile") is None


def test_organisation_page_says_why():
    html = ('<html><head><meta name="hovercard-subject-tag" content="organization:1"></head>'
            '<body><div itemscope itemtype="http://schema.org/Organization"><h1>Org</h1></div>'
            '</body></html>')
    with pytest.raises(ExtractionError, match="organisation page"):
        github.extract(Page(PROFILE, html))


def test_repository_url_is_not_claimed():
    html = _card('<span class="p-name vcard-fullname">A</span>'
                 '<span class="p-nickname vcard-username">a</span>')
    page = Page("https://github.com/a/repo", html)
    assert github.detect(page) is False


def test_data_bio_text_wins_and_lone_mentions_only_lose_the_at():
    html = _card(
        '<span class="p-name vcard-fullname">Ann Example</span>'
        '<span class="p-nickname vcard-username">ann</span>',
        details=('<li itemprop="worksFor" aria-label="Organization: @acme @other">'
                 '<span class="p-org">@acme @other</span></li>'),
        bio='<div class="p-note user-profile-bio" data-bio-text="Line one\nLine two">'
            '<div>Line one</div></div>')
    profile = github.extract(Page("https://github.com/Ann", html)).profile
    assert profile.bio == "Line one Line two"
    assert profile.organisation == "@acme @other"
    assert profile.url == "https://github.com/ann"
    assert profile.handle == "ann"


def test_details_fall_back_to_aria_labels():
    html = _card(
        '<span class="p-name vcard-fullname">Ann</span>'
        '<span class="p-nickname vcard-username">ann</span>',
        details=('<li itemprop="worksFor" aria-label="Organization: Acme Inc."></li>'
                 '<li itemprop="homeLocation" aria-label="Home location: Kyoto"></li>'))
    profile = github.extract(Page(PROFILE, html)).profile
    assert profile.organisation == "Acme Inc."
    assert profile.location == "Kyoto"


def test_unsafe_links_are_dropped():
    html = _card(
        '<span class="p-name vcard-fullname">Ann</span>'
        '<span class="p-nickname vcard-username">ann</span>',
        details=('<li itemprop="url"><a rel="nofollow me" href="javascript:alert(1)">x</a></li>'
                 '<li itemprop="social"><a rel="nofollow" href="https://x.com/ann">@ann</a></li>'))
    profile = github.extract(Page(PROFILE, html)).profile
    assert profile.links == ["https://x.com/ann"]
    assert profile.me_links == []  # no rel=me on that link
