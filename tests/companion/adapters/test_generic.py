"""The generic adapter on pages the fixtures do not cover, its helpers, and the registry."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import adapters
from companion.adapters import generic
from companion.adapters.base import Adapter, Extraction, ExtractionError, Page

URL = "https://example.com/people/someone"


def page(html: str, url: str = URL) -> Page:
    return Page(url, html)


def jsonld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def profile_of(html: str, url: str = URL):
    return generic.extract(page(html, url)).profile


# -- the adapter object -----------------------------------------------------------------------

def test_generic_module_is_an_adapter():
    assert isinstance(generic, Adapter)
    assert generic.id == "generic"
    assert generic.version == "1"
    assert generic.kinds == ("profile",)
    assert generic.url_patterns == (r"^https?://",)
    assert generic.label == "Any page with a schema.org Person, OpenGraph profile or h-card"


# -- not a person -----------------------------------------------------------------------------

ARTICLE = """<!DOCTYPE html><html><head>
<meta property="og:type" content="article">
<meta property="og:title" content="Ten ways to keep in touch">
<meta property="og:description" content="An article.">
<meta property="og:image" content="https://example.com/cover.jpg">
<meta property="article:author" content="https://example.com/jane">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article",
 "headline": "Ten ways", "author": {"@type": "Person", "name": "Jane Doe"}}</script>
</head><body><article><h1>Ten ways to keep in touch</h1></article></body></html>"""


def test_article_page_is_not_a_person():
    p = page(ARTICLE)
    assert generic.detect(p) is False
    with pytest.raises(ExtractionError, match="no person"):
        generic.extract(p)
    assert adapters.pick(p, "auto") is None


def test_og_title_without_type_is_not_a_person():
    assert not generic.detect(page('<meta property="og:title" content="Jane Doe">'))


def test_og_profile_needs_a_title():
    html = '<meta property="og:type" content="profile"><meta property="og:image" content="/a.png">'
    assert not generic.detect(page(html))


def test_profile_properties_without_og_type_count_as_profile():
    html = ('<meta property="og:title" content="Jane Doe">'
            '<meta property="profile:username" content="jane">')
    prof = profile_of(html)
    assert (prof.display_name, prof.handle) == ("Jane Doe", "jane")


def test_og_of_a_website_does_not_fill_gaps():
    html = (jsonld({"@context": "https://schema.org", "@type": "Person", "name": "Jane Doe"})
            + '<meta property="og:type" content="website">'
              '<meta property="og:image" content="https://example.com/banner.png">'
              '<meta property="og:description" content="The site of Jane">')
    prof = profile_of(html)
    assert prof.avatar_url is None and prof.bio is None


def test_microdata_person_alone_is_not_read():
    html = ('<div itemscope itemtype="https://schema.org/Person">'
            '<span itemprop="name">Jane Doe</span></div>')
    assert not generic.detect(page(html))


def test_person_only_nested_in_an_article_is_not_a_person():
    html = jsonld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "reviewedBy": {"@type": "Person", "name": "A"}},
        {"@type": "Article", "author": {"@type": "Person", "name": "B"}}]})
    assert not generic.detect(page(html))


def test_person_without_any_name_is_not_a_person():
    html = jsonld({"@context": "https://schema.org", "@type": "Person", "jobTitle": "Chef"})
    assert not generic.detect(page(html))


# -- strange input ----------------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    "", "   ", "\n\t", "\x00", "\x00\x01\x02", "<", "<>", "</html>", "<!-- only a comment -->",
    "<?xml version='1.0' encoding='latin-1'?><html/>", "plain text, no tags at all",
    "<html><head><title>x</title></head></html>", "<div class='h-card'></div>",
    "<div class='h-card'><span class='p-name'> \u3000 </span></div>",
    '<script type="application/ld+json">{"@type": "Person", "name": ',
    '<script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[</script>',
    '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>",
    '<meta property="og:type" content="profile"><meta property="og:title" content="   ">',
])
def test_strange_pages_are_not_persons_and_never_raise_anything_else(html):
    p = page(html)
    assert generic.detect(p) is False
    with pytest.raises(ExtractionError):
        generic.extract(p)


def test_empty_page_error_is_clear():
    with pytest.raises(ExtractionError, match="no HTML elements"):
        generic.extract(page(""))


def test_binary_junk():
    rng = random.Random(1234)
    junk = bytes(rng.randrange(256) for _ in range(20_000)).decode("latin-1")
    p = page(junk)
    assert generic.detect(p) is False
    with pytest.raises(ExtractionError):
        generic.extract(p)


def test_lone_surrogates_become_replacement_characters():
    # a JS string can carry a lone surrogate, which UTF-8 cannot encode; the page is still read
    p = page("<div class='h-card'><span class='p-name'>Jane \ud800 Doe</span></div>")
    assert generic.detect(p) is True
    assert generic.extract(p).profile.display_name == "Jane \ufffd Doe"


def test_malformed_html_still_read():
    html = ("<html><head><title>broken</titl><meta property='og:type' content='profile'>"
            "</title><body><div class='h-card'><p><b><i><span class='p-name'>Jane <em>Doe</i></b>"
            "<a class='u-url' href='/jane'>me<div><table><td>stray cell</div>")
    prof = profile_of(html, "https://example.com/jane")
    assert prof.display_name.startswith("Jane Doe")
    assert prof.url == "https://example.com/jane"


def test_malformed_jsonld_block_does_not_hide_a_good_one():
    html = ('<script type="application/ld+json">{"@type": "Person", "name": </script>'
            + jsonld({"@context": "https://schema.org", "@type": "Person", "name": "Jane Doe"}))
    result = generic.extract(page(html))
    assert result.profile.display_name == "Jane Doe"
    assert "unreadable JSON-LD block skipped" in result.warnings


def test_jsonld_with_js_comments_and_raw_newlines():
    html = """<script type="application/ld+json">
    // a comment the site left in
    {"@context": "https://schema.org", "@type": "Person", // trailing comment
     "name": "Jane Doe", "description": "line 1
line 2"}
    </script>"""
    prof = profile_of(html)
    assert prof.display_name == "Jane Doe"
    assert prof.bio == "line 1 line 2"


def test_control_characters_are_removed():
    html = jsonld({"@type": "Person", "name": "Ja\x00ne\x07 \x1b Doe\x7f\x85",
                   "description": "a\x0b\x0cb\u200bc"})
    prof = profile_of(html)
    assert prof.display_name == "Jane Doe"
    assert prof.bio == "a b\u200bc"


def test_huge_attribute_and_long_texts():
    huge = "x" * 1_000_000  # (past about 10 MB in all, lxml without huge_tree truncates)
    html = (f'<div title="{huge}" class="{huge} h-card {huge}">'
            f'<span class="p-name">{"N" * 1000}</span><p class="p-note">{"word " * 2000}</p>'
            f'<a class="u-url" href="https://example.com/{huge}">long</a>'
            f'<img class="u-photo" src="/ok.png"></div>')
    prof = profile_of(html)
    assert prof.display_name == "N" * generic.TEXT_LIMIT
    assert len(prof.bio) <= generic.BIO_LIMIT and prof.bio.startswith("word word")
    assert prof.url is None  # a URL over URL_LIMIT is dropped, never cut
    assert prof.avatar_url == "https://example.com/ok.png"


# -- h-cards ----------------------------------------------------------------------------------

def test_nested_hcards_only_the_outermost_is_a_candidate():
    html = """<div class="h-card">
      <a class="p-name u-url" href="https://example.com/people/someone">Jane Doe</a>
      <a class="p-org h-card" href="https://acme.example">Acme <span class="h-card">Inner</span></a>
      <div class="h-card"><span class="p-name">Child Card</span></div>
    </div>"""
    standards = generic.read_standards(page(html))
    assert len(standards.hcards) == 1
    prof = profile_of(html)
    assert (prof.display_name, prof.organisation) == ("Jane Doe", "Acme Inner")


def test_two_top_level_hcards_pick_by_uid_and_url():
    html = """
      <div class="h-card"><a class="p-name u-url" href="https://other.example/">Other</a></div>
      <div class="h-card"><a class="p-name u-url u-uid" href="/people/someone">Jane Doe</a></div>"""
    assert profile_of(html).display_name == "Jane Doe"


def test_two_top_level_hcards_without_a_rule_give_nothing():
    html = """<div class="h-card"><span class="p-name">A</span></div>
              <div class="h-card"><span class="p-name">B</span></div>"""
    assert not generic.detect(page(html))


def test_hcard_in_table_cell_and_classic_vcard_in_hentry():
    html = """<table><tr><td class="vcard"><span class="fn">Jane Doe</span>
              <span class="title">Chef</span></td></tr></table>
              <div class="hentry"><span class="author vcard"><span class="fn">X</span></span></div>"""
    # two outermost cards, one inside a classic hentry: no single card, no url rules: nothing
    assert not generic.detect(page(html))
    prof = profile_of(html.split("<div class=\"hentry\">")[0])
    assert (prof.display_name, prof.title) == ("Jane Doe", "Chef")


def test_tailwind_h_classes_are_not_microformat_roots():
    html = """<div class="h-screen h-full"><div class="h-card">
              <span class="p-name">Jane Doe</span></div></div>"""
    assert profile_of(html).display_name == "Jane Doe"


def test_page_without_hcard_never_calls_mf2py(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("mf2py called")
    monkeypatch.setattr(generic.mf2py, "parse", boom)
    html = "<div class='card hcard-like'>" + "<p class='x'>text</p>" * 1000 + "</div>"
    assert generic.read_standards(page(html)).hcards == []
    # "h-card" in the text and in a longer class name: lxml looks, finds no h-card token
    html = "<p class='h-cards-list vcardish'>my h-card is on my site</p>"
    assert generic.read_standards(page(html)).hcards == []


# -- URLs -------------------------------------------------------------------------------------

def test_javascript_and_other_schemes_are_dropped():
    html = ("""<div class="h-card"><span class="p-name">Jane Doe</span>
      <a class="u-url" href="javascript:alert(1)">x</a>
      <a class="u-url" href=" JAVASCRIPT:alert(1)">x</a>
      <a class="u-url" href="java&#10;script:alert(1)">x</a>
      <a class="u-url" href="data:text/html,hi">x</a>
      <a class="u-url" href="mailto:jane@example.com">x</a>
      <a class="u-url" href="https://jane.example/">ok</a>
      <img class="u-photo" src="javascript:alert(1)">
      <a class="u-email" href="mailto:jane@example.com?subject=hi">mail</a>
      </div>
      <a rel="me" href="javascript:void(0)">x</a><a rel="me" href="vbscript:x">x</a>
      <link rel="me" href="https://social.example/@jane">"""
            + jsonld({"@type": "Person", "name": "Jane Doe", "sameAs": ["javascript:alert(1)",
                      "ftp://x.example/", "https://github.com/jane"],
                      "image": "javascript:alert(1)"}))
    prof = profile_of(html)
    assert prof.url == "https://jane.example/"
    assert prof.avatar_url is None
    assert prof.links == ["https://github.com/jane"]
    assert prof.me_links == ["https://social.example/@jane"]
    assert prof.emails == ["jane@example.com"]


def test_relative_urls_resolve_against_base_href():
    html = ('<html><head><base href="https://cdn.example/assets/"></head><body>'
            + jsonld({"@type": "Person", "name": "Jane Doe", "image": "img/jane.png",
                      "url": "/jane"}) + "</body></html>")
    prof = profile_of(html)
    assert prof.avatar_url == "https://cdn.example/assets/img/jane.png"
    assert prof.url == "https://cdn.example/jane"


def test_clean_url():
    assert generic.clean_url("/a b", "https://x.example/") is None
    assert generic.clean_url("  /a\n/b ", "https://x.example/") == "https://x.example/a/b"
    assert generic.clean_url("http://[bad", None) is None
    assert generic.clean_url("https:///nohost", None) is None
    assert generic.clean_url(42, None) is None


# -- JSON-LD shapes ---------------------------------------------------------------------------

def test_jsonld_shapes():
    person = {
        "@context": "https://schema.org",
        "@type": ["https://schema.org/Person", "Thing"],
        "givenName": "Jane", "familyName": "Doe",
        "alternateName": "Janie D",            # has a space: a nickname, not a handle
        "image": [{"@type": "ImageObject", "contentUrl": "/jane.png"}, "/other.png"],
        "email": ["mailto:jane@example.com", "not an email", "jane@example.com"],
        "jobTitle": {"@type": "DefinedTerm", "name": "Chef"},
        "worksFor": "Acme",
        "homeLocation": {"@type": "Place", "name": "Lisbon"},
        "disambiguatingDescription": "Chef at Acme",
        "url": ["https://jane.example/", "https://other.example/"],
    }
    prof = profile_of(jsonld([{"@type": "WebSite", "name": "x"}, person]))
    assert prof.display_name == "Jane Doe"  # composed given-first: not a CJK name
    assert (prof.given_name, prof.family_name, prof.handle) == ("Jane", "Doe", None)
    assert prof.avatar_url == "https://example.com/jane.png"
    assert prof.emails == ["jane@example.com"]
    assert (prof.title, prof.organisation, prof.location) == ("Chef", "Acme", "Lisbon")
    assert prof.headline == "Chef at Acme"
    assert prof.url == "https://jane.example/"


def test_jsonld_person_matching_the_page_url_wins():
    html = jsonld({"@context": "https://schema.org", "@graph": [
        {"@type": "Person", "name": "Site Owner", "url": "https://example.com/"},
        {"@type": "Person", "name": "Jane Doe", "url": URL}]})
    assert profile_of(html).display_name == "Jane Doe"


def test_jsonld_address_and_country_object():
    html = jsonld({"@type": "Person", "name": "Jane", "address": {
        "@type": "PostalAddress", "addressLocality": "Porto", "addressRegion": "Porto",
        "addressCountry": {"@type": "Country", "name": "Portugal"}}})
    assert profile_of(html).location == "Porto, Portugal"


def test_jsonld_nested_worksfor_lists_and_past_jobs():
    html = jsonld({"@type": "Person", "name": "Jane", "worksFor": [[
        {"@type": "Organization", "name": "Old", "member": {"@type": "OrganizationRole",
                                                            "endDate": 2019}},
        {"@type": "Organization", "name": "Current", "member": {"@type": "OrganizationRole",
                                                                "startDate": 2019}}]]})
    assert profile_of(html).organisation == "Current"


# -- names ------------------------------------------------------------------------------------

def test_cjk_name_is_never_split():
    html = ('<meta property="og:type" content="profile">'
            '<meta property="og:title" content="山田 太郎">')
    prof = profile_of(html)
    assert prof.display_name == "山田 太郎"
    assert prof.family_name is None and prof.given_name is None and prof.reading is None


def test_cjk_name_composed_family_first_and_reading_from_kana_parts():
    html = jsonld({"@type": "Person", "familyName": ["山田", {"@value": "ヤマダ",
                                                              "@language": "ja-Kana"}],
                   "givenName": ["太郎", {"@value": "タロウ", "@language": "ja-Kana"}]})
    prof = profile_of(html)
    assert (prof.display_name, prof.reading) == ("山田 太郎", "ヤマダ タロウ")


def test_kana_additional_name_is_a_reading_but_a_latin_one_is_not():
    base = {"@type": "Person", "name": "山田 太郎"}
    assert profile_of(jsonld({**base, "additionalName": "やまだ たろう"})).reading == "やまだ たろう"
    assert profile_of(jsonld({**base, "additionalName": "Peter"})).reading is None


def test_strip_title_suffix():
    import re
    s = generic.strip_title_suffix
    assert s("Kenji Sato - Example KK | LinkedIn", " | LinkedIn") == "Kenji Sato - Example KK"
    assert s("octocat - GitHub", " | LinkedIn", " - GitHub") == "octocat"
    assert s("Jane Doe (@jane) / X", re.compile(r"\s*\(@\w+\)\s*/\s*X$")) == "Jane Doe"
    assert s("Nothing to strip", " | LinkedIn") == "Nothing to strip"
    assert s(None, " | LinkedIn") is None
    # the generic adapter itself never strips a suffix
    html = ('<meta property="og:type" content="profile">'
            '<meta property="og:title" content="Jane Doe | LinkedIn">')
    assert profile_of(html).display_name == "Jane Doe | LinkedIn"


def test_join_place():
    assert generic.join_place("Seattle, Washington, United States", None, "US") == \
        "Seattle, Washington, United States"
    assert generic.join_place("San Francisco", "CA", "U.S.A.") == "San Francisco, CA, U.S.A."
    assert generic.join_place("渋谷区", "東京都", "JP") == "東京都渋谷区"
    assert generic.join_place(None, None, "JP") == "JP"


# -- caching and reuse ------------------------------------------------------------------------

def test_standards_are_read_once_per_page():
    p = page(jsonld({"@type": "Person", "name": "Jane"}))
    assert generic.read_standards(p) is generic.read_standards(p)


def test_helpers_for_site_adapters():
    html = jsonld({"@type": "Person", "name": "Jane Doe"})
    p = page(html)
    standards = generic.read_standards(p)
    site_part = generic.Profile(display_name="", headline="Chef at Acme")
    merged = generic.merge_profiles(site_part, *generic.person_sources(standards, p))
    result = generic.finish_extraction(merged, standards)
    assert isinstance(result, Extraction)
    assert (merged.display_name, merged.headline) == ("Jane Doe", "Chef at Acme")
    assert "no headline" not in result.warnings and "no photo" in result.warnings


# -- never raise ------------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "<html>", "</html>", "<head>", "<body class='h-card'>", "<div class='h-card'>", "</div>",
    "<span class='p-name'>", "</span>", "<a class='u-url' href='", "'>", "<img class=u-photo src=",
    "<div class='vcard'><span class='fn'>", "<td class='h-card'>", "<base href='",
    "<script type='application/ld+json'>", "</script>", '{"@type": "Person", "name": ',
    '{"@graph": [', "]}", '"Jane"', "null", "{", "}", "[", "]", ",", '"@id": "#p"',
    "<meta property='og:type' content='profile'>", "<meta property='og:title' content='",
    "<link rel=me href=", "javascript:", "https://x.example/", "/rel", "\x00", "\u3000", "山田",
])
_HTMLISH = st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=st.one_of(st.text(), _HTMLISH), url=st.one_of(st.just(URL), st.text(max_size=30)))
def test_detect_and_extract_never_raise_anything_but_extraction_error(html, url):
    p = Page(url, html)
    assert generic.detect(p) in (True, False)
    try:
        result = generic.extract(Page(url, html))
    except ExtractionError:
        return
    assert isinstance(result, Extraction) and result.profile.display_name
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # storable


# -- registry ---------------------------------------------------------------------------------

class _Fake:
    def __init__(self, id="fake", kinds=("profile",), patterns=(r"^https://fake\.example/",),
                 detect=lambda page: True):
        self.id, self.label, self.version = id, "Fake", "1"
        self.kinds, self.url_patterns = kinds, patterns
        self._detect = detect

    def detect(self, page):
        return self._detect(page)

    def extract(self, page):
        return Extraction(kind="profile")


def test_registry_order_and_lookup():
    everything = adapters.all_adapters()
    assert everything[-1] is generic
    assert adapters.get("generic") is generic
    assert adapters.get("no-such-adapter") is None


def test_describe():
    entry = next(d for d in adapters.describe() if d["id"] == "generic")
    assert entry == {"id": "generic", "label": generic.label, "version": "1",
                     "kinds": ["profile"], "url_patterns": [r"^https?://"],
                     "thread_url_patterns": []}
    json.dumps(adapters.describe())


def test_pick_by_url_kind_and_detect():
    person = page(jsonld({"@type": "Person", "name": "Jane"}))
    assert adapters.pick(person, "auto") is generic
    assert adapters.pick(person, "profile") is generic
    assert adapters.pick(person, "thread") is None
    assert adapters.pick(Page("file:///tmp/x.html", person.html), "auto") is None


def test_registered_adapter_comes_before_generic_and_is_removed_after():
    fake = _Fake()
    p = Page("https://fake.example/someone", jsonld({"@type": "Person", "name": "Jane"}))
    with adapters.registered(fake):
        assert adapters.pick(p, "profile") is fake
        assert adapters.all_adapters()[-2:] == [fake, generic]
        with pytest.raises(ValueError):
            adapters.register(_Fake())
    assert adapters.get("fake") is None
    assert adapters.pick(p, "profile") is generic


def test_detect_that_raises_counts_as_false(caplog):
    def boom(page):
        raise RuntimeError("broken adapter")
    p = Page("https://fake.example/someone", jsonld({"@type": "Person", "name": "Jane"}))
    with caplog.at_level("DEBUG", logger="companion.adapters"):
        with adapters.registered(_Fake(detect=boom)):
            assert adapters.pick(p, "auto") is generic
    assert "detect raised" in caplog.text


def test_kind_filter_skips_adapters():
    thread_only = _Fake(id="threads", kinds=("thread",))
    p = Page("https://fake.example/t/1", "<p>hi</p>")
    with adapters.registered(thread_only):
        assert adapters.pick(p, "thread") is thread_only
        assert adapters.pick(p, "profile") is None
        assert adapters.pick(p, "auto") is thread_only


def test_register_rejects_non_adapters():
    with pytest.raises(TypeError):
        adapters.register(object())
