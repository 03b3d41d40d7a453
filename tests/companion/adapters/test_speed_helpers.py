"""The shortcuts taken for speed read exactly what the slower readings they replace read.

* ``Page.tree`` chooses lxml.html's element classes in C (``base._html_class_lookup``);
* ``generic.xpath`` runs a compiled expression, as ``el.xpath`` does;
* ``generic._jsonld_items`` decodes plain JSON itself and leaves the rest to extruct;
* ``generic.read_standards(page, hcards=False)`` is kept, and a full reading after it adds
  only the h-cards;
* the site adapters' walks that replaced several queries or a copy of the tree (LinkedIn's list
  item lines, Wantedly's leaf blocks, Eight's section text without its heading), and the
  shortcut in ``career.read_period``, give what the old readings gave (kept here as references).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import lxml.html
import pytest
from extruct.jsonld import JsonLdExtractor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.adapters import career, generic
from companion.adapters.sites import eight, linkedin, wantedly
from companion.adapters.base import Page, _html_class_lookup

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
URL = "https://example.com/people/someone"

FORM_PAGE = """<!DOCTYPE html><html><head><title>t</title><?php echo 1 ?></head><body>
<FORM action="/x"><LABEL for="a">A</LABEL><INPUT id="a" name="a" value="1">
<Select name="s"><option>o</option></Select><textarea name="t">x</textarea></FORM>
<!-- a comment --><p>&amp; text</p><svg><circle r="1"/></svg></body></html>"""


def _classes(tree) -> list[tuple[str, str]]:
    return [(str(el.tag), type(el).__name__) for el in tree.iter()]


@pytest.mark.parametrize("remove_comments", [True, False])
def test_page_tree_has_lxml_html_element_classes(remove_comments):
    reference = lxml.html.HTMLParser(encoding="utf-8", remove_comments=remove_comments)
    ours = lxml.html.HTMLParser(encoding="utf-8", remove_comments=remove_comments)
    ours.set_element_class_lookup(_html_class_lookup())
    pages = [FORM_PAGE.encode()] + [p.read_bytes() for p in sorted(FIXTURES.rglob("*.html"))]
    for data in pages:
        expected = _classes(lxml.html.document_fromstring(data, parser=reference))
        assert _classes(lxml.html.document_fromstring(data, parser=ours)) == expected
    form_classes = dict(_classes(lxml.html.document_fromstring(FORM_PAGE.encode(), parser=ours)))
    assert form_classes["form"] == "FormElement" and form_classes["input"] == "InputElement"
    assert form_classes["select"] == "SelectElement" and form_classes["label"] == "LabelElement"
    assert form_classes["textarea"] == "TextareaElement" and form_classes["p"] == "HtmlElement"


def test_page_tree_is_the_page_parsed_with_html_element_methods():
    tree = Page(URL, FORM_PAGE).tree
    assert isinstance(tree, lxml.html.HtmlElement)
    assert tree.find_class("x") == [] and tree.xpath("//p")[0].text_content() == "& text"
    assert [type(c).__name__ for c in tree.iter(lxml.etree.Comment)] == []  # comments removed


@pytest.mark.parametrize("html", ["", " ", "\n\t \u3000\x1c"])
def test_page_of_whitespace_has_no_tree(html):
    assert not html.strip()  # what the test was before it avoided copying the page
    assert Page(URL, html).tree is None


def test_xpath_helper_gives_what_el_xpath_gives():
    tree = Page(URL, FORM_PAGE).tree
    for expr in ("//input/@name", "//p//text()", "count(//*)", "//*[@for='a']", "string(//p)"):
        assert generic.xpath(tree, expr) == tree.xpath(expr)
    assert generic.compiled_xpath("//p") is generic.compiled_xpath("//p")


_EXTRUCT = JsonLdExtractor()


@pytest.mark.parametrize("text", [
    json.dumps({"@type": "Person", "name": "Jane"}),
    json.dumps([{"@type": "Person", "name": "A"}, {}, None, 0, "", "x", {"@type": "Thing"}]),
    json.dumps(3), json.dumps("text"), json.dumps(None), "{}", "[]",
    '{"name": "raw\tcontrol\ncharacters"}',
    '// a comment line\n{"@type": "Person", "name": "C"}',
    '<!-- html comment -->\n{"@type": "Person", "name": "D"}',
])
def test_jsonld_items_match_extruct(text):
    script = lxml.html.fragment_fromstring(
        f'<script type="application/ld+json">{text}</script>')
    assert generic._jsonld_items(script) == _EXTRUCT.extract_items(script)


@pytest.mark.parametrize("text", ["", "{broken", "\ufeff{}", '{"a": 1} extra'])
def test_jsonld_items_fail_where_extruct_fails(text):
    script = lxml.html.fragment_fromstring(
        f'<script type="application/ld+json">{text}</script>')
    with pytest.raises(Exception):
        _EXTRUCT.extract_items(script)
    with pytest.raises(Exception):
        generic._jsonld_items(script)


HCARD_PAGE = """<html><head><meta property="og:title" content="Jane">
<link rel="me" href="https://social.example/@jane"></head><body>
<div class="h-card"><a class="p-name u-url" href="https://social.example/@jane">Jane Doe</a>
<span class="p-job-title">Chef</span></div></body></html>"""


def test_full_reading_after_a_partial_one_adds_only_the_hcards():
    p = Page(URL, HCARD_PAGE)
    partial = generic.read_standards(p, hcards=False)
    assert partial.hcards == [] and partial.representative_hcard is None
    assert generic.read_standards(p, hcards=False) is partial  # kept for the page
    full = generic.read_standards(p)
    assert full is not partial and partial.hcards == []  # the partial one is left as it was
    assert full.representative_hcard is not None
    assert full.opengraph is partial.opengraph and full.me_links == partial.me_links
    fresh = generic.read_standards(Page(URL, HCARD_PAGE))
    assert (full.hcards, full.representative_hcard, full.warnings) == \
        (fresh.hcards, fresh.representative_hcard, fresh.warnings)
    assert generic.read_standards(p, hcards=False) is full  # the full reading answers after


# -- site adapters' rewritten walks against the readings they replaced --------------------------

# random markup of the kinds these walks meet: nested lists and blocks, classes, texts, tails
_TAGS = st.sampled_from(["div", "span", "p", "li", "ul", "ol", "section", "h2", "br", "a",
                         "article", "dt", "dd", "button", "svg", "time"])
_CLASSES = st.lists(st.sampled_from(
    ["t-bold", "t-14", "t-normal", "t-black--light", "visually-hidden", "pvs-entity__caption-wrapper",
     "x__name", "card__period", "t-14\tt-normal", "t-bold\u00a0x"]), max_size=3)
_TEXTS = st.sampled_from(["", " ", "Acme", "2019 - 2021", "Oct 2019 - Present · 2 yrs",
                          "2021年4月 - 現在", "London, England", "現在", "\n  ", "Remote"])


@st.composite
def _markup(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(_TAGS)
        cls = " ".join(draw(_CLASSES))
        inner = draw(_markup(depth + 1)) if tag != "br" else ""
        end = f"</{tag}>" if tag != "br" else ""
        parts.append(f'<{tag} class="{cls}">{draw(_TEXTS)}{inner}{end}{draw(_TEXTS)}')
    return "".join(parts)


def _tree(markup: str):
    return Page(URL, f"<html><body><li id='root'>{markup}</li></body></html>").tree


def _old_linkedin_own(li, xpath_: str) -> list:
    out = []
    for el in li.xpath(xpath_):
        parent = el.getparent()
        while parent is not None and parent is not li:
            if parent.tag in ("ul", "ol"):
                break
            parent = parent.getparent()
        else:
            out.append(el)
    return out


def _old_linkedin_entry_lines(li):
    c = linkedin._cls
    bold = linkedin._first(_old_linkedin_own(li, ".//*[" + c("t-bold") + "]"))
    normal = linkedin._first(
        el for el in _old_linkedin_own(li, ".//span[" + c("t-14") + " and " + c("t-normal") + "]")
        if "t-black--light" not in linkedin._classes(el))
    light = [el for el in _old_linkedin_own(li, ".//span[" + c("t-black--light") + "]")
             if el.getparent() is not None
             and "t-black--light" not in linkedin._classes(el.getparent())]
    caption_el = next((el for el in light if linkedin._text(el) and el.xpath(
        "self::*[" + c("pvs-entity__caption-wrapper") + "]|.//*["
        + c("pvs-entity__caption-wrapper") + "]")), None)
    if caption_el is None:
        caption_el = next((el for el in light if linkedin._DATES.search(linkedin._text(el) or "")),
                          None)
    caption = linkedin._text(caption_el) if caption_el is not None else None
    others = [t for t in (linkedin._text(el) for el in light if el is not caption_el) if t]
    return bold, normal, caption, others


def _old_wantedly_leaf_blocks(root, skip=None) -> list[str]:
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in wantedly._BLOCK_TAGS:
            continue
        if skip is not None and (el is skip or skip in el.iterancestors()):
            continue
        if any(isinstance(d.tag, str) and d.tag in wantedly._BLOCK_TAGS
               for d in el.iterdescendants()):
            continue
        text = generic.clean_text(" ".join(t for t in el.itertext() if isinstance(t, str)))
        if text:
            out.append(text)
    return out


def _old_eight_text_without(container, heading) -> str:
    clone = copy.deepcopy(container)
    position = list(container.iter()).index(heading)
    list(clone.iter())[position].drop_tree()
    return " ".join(clone.itertext())


def _check_walks(tree) -> None:
    for li in tree.iter("li"):
        assert linkedin._entry_lines(li) == _old_linkedin_entry_lines(li)
    for root in tree.iter():
        if not isinstance(root.tag, str):
            continue
        assert generic.joined_text(root) == " ".join(root.itertext())
        assert wantedly._leaf_blocks(root) == _old_wantedly_leaf_blocks(root)
        for skip in list(root.iterdescendants())[:4]:
            assert wantedly._leaf_blocks(root, skip) == _old_wantedly_leaf_blocks(root, skip)
            assert eight._text_without(root, skip) == _old_eight_text_without(root, skip)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_rewritten_walks_read_what_the_old_ones_read(markup):
    _check_walks(_tree(markup))


@pytest.mark.parametrize("site", ["linkedin", "wantedly", "eight"])
def test_rewritten_walks_on_the_fixtures(site):
    for path in sorted((FIXTURES / "sites" / site).glob("*.html")):
        tree = Page(URL, path.read_text(encoding="utf-8")).tree
        if tree is not None:
            _check_walks(tree)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0129 -~～年月()（）・/.x\u3000") + [
    "現在", "present", "PreſENT", "Oct ", "2021", "now", "２０２１"]), max_size=12).map("".join))
def test_read_period_guard_changes_no_answer(text):
    unguarded = re.compile("")  # matches every text: the reading without the guard
    guarded = career.read_period(text)
    saved, career._MAY_BE_PERIOD = career._MAY_BE_PERIOD, unguarded
    try:
        assert career.read_period(text) == guarded
    finally:
        career._MAY_BE_PERIOD = saved


_OLD_CONTACT_ANCHORS = (
    "//@class[contains(., 'pv-top-card--website')]/parent::*[" + generic.has_class(
        "pv-top-card--website") + "]/descendant-or-self::a[@href]"
    "|//section[" + generic.has_class("pv-contact-info__contact-type") + "]//a[@href]")

_CONTACT_PAGE = """<html><body>
<section class="pv-top-card--website x"><a href="/1">1</a><div><a href="/2">2</a><a>no href</a></div></section>
<a href="/3" class="pv-top-card--website">3</a><a href="/4">4</a>
<div class="pv-top-card--websites"><a href="/5">not the class</a></div>
<section class="pv-contact-info__contact-type ci-websites"><ul><li><a href="/6">6</a></li></ul>
  <a href="mailto:a@example.com">mail</a></section>
<div class="pv-contact-info__contact-type"><a href="/7">not a section</a></div>
<section class="pv-contact-info__contact-type"><section class="pv-top-card--website">
  <a href="/8">8, in both</a></section></section>
<span class="pv-top-card--website\tother"><b><a href="/9">9</a></b></span></body></html>"""


@pytest.mark.parametrize("html_given", [True, False])
def test_linkedin_contact_anchors_match_their_xpath(html_given):
    pages = [_CONTACT_PAGE] + [p.read_text(encoding="utf-8")
                               for p in sorted((FIXTURES / "sites" / "linkedin").glob("*.html"))]
    for html in pages:
        page = Page("https://www.linkedin.com/in/someone/", html)
        if page.tree is None:
            continue
        expected = page.tree.xpath(_OLD_CONTACT_ANCHORS)
        found = linkedin._contact_anchors(generic.page_tags(page), html if html_given else None)
        assert [a.get("href") for a in found] == [a.get("href") for a in expected]
        assert all(x is y for x, y in zip(found, expected))
    page = Page("https://www.linkedin.com/in/someone/", _CONTACT_PAGE)
    hrefs = [a.get("href") for a in linkedin._contact_anchors(generic.page_tags(page), None)]
    assert hrefs == ["/1", "/2", "/3", "/6", "mailto:a@example.com", "/8", "/9"]


def _all_fixture_pages():
    for path in sorted((FIXTURES / "sites").rglob("*.html")):
        page = Page(URL, path.read_text(encoding="utf-8"))
        if page.tree is not None:
            yield page


def test_page_tags_give_what_document_queries_give():
    for page in _all_fixture_pages():
        tags = generic.page_tags(page)
        assert generic.page_tags(page) is tags  # one walk per page
        for names in (("h1",), ("h2", "h3"), ("title",), ("meta",), ("a", "area", "link"),
                      ("body",), ("dt",), ("script",), ("base",), ("main",), ("pre",)):
            expected = page.tree.xpath("|".join(f"//{n}" for n in names))
            found = tags.of(*names)
            assert len(found) == len(expected) and all(x is y for x, y in zip(found, expected))
    with pytest.raises(ValueError):
        tags.of("div")  # not indexed: a query of its own


def _old_linkedin_top_card(tree):
    c = linkedin._cls
    for xpath_ in ("(//h1[" + c("text-heading-xlarge") + "])[1]/ancestor::section[1]",
                   "(//section[" + c("top-card-layout") + "])[1]",
                   "(//main//h1)[1]/ancestor::section[1]"):
        found = tree.xpath(xpath_)
        if found:
            return found[0]
    return None


@pytest.mark.parametrize("html", [
    "<main><section><h1 class='text-heading-xlarge'>A</h1></section></main>",
    "<h1 class='text-heading-xlarge'>no section</h1><section class='top-card-layout'><h1>B</h1>"
    "</section>",
    "<h1 class='x'>C</h1><main><div><h1>D</h1></div></main><section><main><h1>E</h1></main>"
    "</section>",
    "<div><h1 class='text-heading-xlarge'>F</h1></div><main><section><h1>G</h1></section></main>",
    "<p>nothing</p>",
])
def test_linkedin_top_card_matches_its_xpath(html):
    page = Page("https://www.linkedin.com/in/someone/", f"<html><body>{html}</body></html>")
    assert linkedin._top_card(page, page.tree) is _old_linkedin_top_card(page.tree)


def test_linkedin_top_card_on_the_fixtures():
    for path in sorted((FIXTURES / "sites" / "linkedin").glob("*.html")):
        page = Page("https://www.linkedin.com/in/someone/", path.read_text(encoding="utf-8"))
        if page.tree is not None:
            assert linkedin._top_card(page, page.tree) is _old_linkedin_top_card(page.tree)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("ab 1\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000\ufeff\x00\x07\x7f\x9f") + ["\ud800"]),
    max_size=30), st.integers(1, 12))
def test_clean_text_collapses_whitespace_as_before(text, limit):
    old = re.sub(r"\s+", " ", generic._CONTROL.sub("", text)).strip()  # the reading before
    if len(old) > limit:
        old = old[:limit].rstrip()
    assert generic.clean_text(text, limit) == (old or None)
