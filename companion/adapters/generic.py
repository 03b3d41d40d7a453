"""The generic adapter: a person described by the standards any page may carry.

It reads, from the page the user captured and nothing else:

* schema.org ``Person`` in JSON-LD: top-level items, lists, ``@graph`` arrays (LinkedIn's public
  profile), and ``ProfilePage.mainEntity``; ``{"@id": ...}`` references inside the same document
  are followed;
* OpenGraph ``og:*`` and ``profile:*`` properties;
* the representative microformats2 ``h-card`` (classic hCard ``vcard`` through mf2py's
  backcompat rules);
* ``rel=me`` links (``<a>``, ``<link>``, ``<area>``).

Precedence, field by field: JSON-LD Person, then h-card, then OpenGraph; list fields are the
union in that order. OpenGraph only counts when it describes a profile (``og:type`` "profile" or
``profile:*`` properties): the OpenGraph of an article or a website describes the article.

Site adapters build on the helpers here: ``read_standards`` (parsed once per page and cached),
the ``*_fields`` functions turning one standard into a partial ``Profile``, ``merge_profiles``,
``finish_extraction``, ``clean_text`` / ``clean_url`` and ``strip_title_suffix``.
See companion/adapters/README.md.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import logging
import re
from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import mf2py
from extruct.jsonld import JsonLdExtractor

from .base import Extraction, ExtractionError, Page, Profile

log = logging.getLogger(__name__)

id = "generic"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Any page with a schema.org Person, OpenGraph profile or h-card"
version = "1"
kinds = ("profile",)
url_patterns = (r"^https?://",)

TEXT_LIMIT = 300      # characters kept of a one-line field (name, title, location, ...)
BIO_LIMIT = 2000      # characters kept of a bio
URL_LIMIT = 2048      # longer URLs are dropped, not cut (a cut URL points somewhere else)
EMAIL_LIMIT = 254     # RFC 5321 path limit
_JSONLD_DEPTH = 6     # how deep @graph / mainEntity / @id references are followed

# -- cleaning ---------------------------------------------------------------------------------

# C0 and C1 controls but not whitespace, DEL, lone surrogates (json.loads lets "\ud800" through
# and it cannot be stored as UTF-8), and the BOM / zero-width no-break space.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
# what clean_text would change: a control, whitespace but a single inner space, an outer space
_NOT_CLEAN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufeff]|[^\\S ]|  |^ | \\Z")


@functools.lru_cache(maxsize=1024)  # the expressions are the adapters' own constants
def compiled_xpath(expr: str) -> lxml.etree.XPath:
    """``expr`` compiled once per process. ``el.xpath(expr)`` compiles it again on every call,
    which costs as much as running it on a small page. (Compiled XPath objects take a lock while
    they run, so the server's threads may share them.)"""
    return lxml.etree.XPath(expr)


def xpath(el, expr: str) -> Any:
    """``el.xpath(expr)``, the expression compiled once (see ``compiled_xpath``)."""
    return compiled_xpath(expr)(el)


def joined_text(el, sep: str = " ") -> str:
    """``sep.join(el.itertext())``: every text in the element, in document order. An element
    without children has only its own text, and lxml's itertext() sets up a tree walk even
    then, which costs 15 times more than reading it."""
    if len(el) == 0 and isinstance(el.tag, str):  # (a comment's text is no text of the page)
        return el.text or ""
    return sep.join(el.itertext())


def has_class(name: str) -> str:
    """An XPath predicate: the element's class attribute has the token ``name``.

    The cheap ``contains(@class, …)`` comes first: libxml2 evaluates ``and`` lazily, so the
    exact token test (normalise and pad the attribute) runs only on the few candidates. On a
    1 MB page the exact test alone made each query cost about 10 ms.
    """
    return (f"(contains(@class, '{name}') and "
            f"contains(concat(' ', normalize-space(@class), ' '), ' {name} '))")


def clean_text(value: Any, limit: int = TEXT_LIMIT) -> str | None:
    """A one-line text: controls removed, whitespace collapsed and stripped, cut at ``limit``.

    Anything but a non-empty string (after cleaning) gives None.
    """
    if not isinstance(value, str):
        return None
    if type(value) is str and len(value) <= limit and _NOT_CLEAN.search(value) is None:
        return value or None  # already clean: the same text
    # controls out first (some, such as U+001C, count as whitespace), then str.split(): the
    # same whitespace as the regex \s, collapsed and stripped in one step
    text = " ".join(_CONTROL.sub("", value).split())
    if len(text) > limit:
        text = text[:limit].rstrip()
    return text or None


def clean_url(value: Any, base: str | None = None) -> str | None:
    """An absolute http(s) URL resolved against ``base``, or None (javascript:, data:, mailto:,
    xmpp:, empty, unparsable, or longer than URL_LIMIT)."""
    if not isinstance(value, str):
        return None
    if type(value) is str and _SIMPLE_URL.fullmatch(value) is not None and len(value) <= URL_LIMIT and (
            not base or _base_ok(base)):
        # fast path, same result: an absolute lowercase http(s) URL of plain ASCII (no ";",
        # no empty "?" or "#", no userinfo or brackets) is what urljoin and urlsplit give back
        return value
    # browsers strip leading/trailing whitespace and drop tabs and newlines inside a URL
    text = _CONTROL.sub("", value).strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not text:
        return None
    try:
        url = urljoin(base, text) if base else text
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if len(url) > URL_LIMIT or _ANY_SPACE.search(url):
        return None
    return url


_ANY_SPACE = re.compile(r"\s")
_URL_CHARS = r"A-Za-z0-9\-._~!$&'()*+,=:@/%"
_SIMPLE_URL = re.compile(rf"https?://[A-Za-z0-9.\-]+(?::[0-9]+)?(?:/[{_URL_CHARS}]*)?"
                         rf"(?:\?[{_URL_CHARS}?]+)?(?:#[{_URL_CHARS}?]+)?")


def _base_ok(base: Any) -> bool:
    """urljoin(base, ...) would not raise: a str base that urlsplit accepts (it is cached)."""
    if not isinstance(base, str):
        return False
    try:
        urlsplit(base)
    except ValueError:
        return False
    return True


_EMAIL = re.compile(r"^[^@\s<>\"(),:;]+@[^@\s<>\"(),:;]+\.[^@\s<>\"(),:;]+$")


def clean_email(value: Any) -> str | None:
    """An e-mail address without ``mailto:`` and query, or None when it does not look like one."""
    if not isinstance(value, str):
        return None
    text = _CONTROL.sub("", value).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    text = text.split("?", 1)[0].strip()
    if len(text) > EMAIL_LIMIT or not _EMAIL.match(text):
        return None
    return text


def same_url(a: str | None, b: str | None) -> bool:
    """The same page: scheme and host case-insensitive, trailing slash and fragment ignored."""
    if not a or not b:
        return False
    try:
        pa, pb = urlsplit(a), urlsplit(b)
    except ValueError:
        return False
    return (pa.scheme.lower(), (pa.netloc or "").lower(), pa.path.rstrip("/") or "/", pa.query) == \
           (pb.scheme.lower(), (pb.netloc or "").lower(), pb.path.rstrip("/") or "/", pb.query)


def strip_title_suffix(title: str | None, *suffixes: str | re.Pattern[str]) -> str | None:
    """Remove one site suffix from a page or og:title, for site adapters.

    Each suffix is either a literal string matched at the end (``" | LinkedIn"``) or a compiled
    regular expression that should end with ``$`` (``re.compile(r"\\s*\\(@\\w+\\)\\s*/\\s*X$")``).
    The first suffix that matches is removed; the generic adapter never guesses suffixes itself.
    """
    text = clean_text(title)
    if text is None:
        return None
    for suffix in suffixes:
        if isinstance(suffix, re.Pattern):
            stripped, count = suffix.subn("", text, count=1)
            if count:
                return clean_text(stripped)
        elif suffix and text.endswith(suffix.strip()):
            stripped = text[: len(text) - len(suffix.strip())]
            return clean_text(stripped)
    return text


# -- scripts and names ------------------------------------------------------------------------

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
                  "\u31f0-\u31ff\uff65-\uff9f]")
_KANA_ONLY = re.compile("^[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff65-\uff9f\u30fb\u30fc"
                        " \u3000]+$")


def has_cjk(text: str | None) -> bool:
    """Whether the text has Han, kana or Hangul characters (never split such a name at a space)."""
    return bool(text and _CJK.search(text))


def is_kana(text: str | None) -> bool:
    """Whether the text is written in kana only (hiragana, katakana, spaces, ・ and ー): a reading."""
    return bool(text and _KANA_ONLY.match(text) and not text.isspace())


def compose_name(family: str | None, given: str | None) -> str | None:
    """A display name from explicit name parts: family first for CJK names, given first otherwise."""
    if family and given:
        return f"{family} {given}" if has_cjk(family + given) else f"{given} {family}"
    return family or given


def _is_handle(text: str | None) -> bool:
    return bool(text) and not any(c.isspace() for c in text)


# -- the standards on a page ------------------------------------------------------------------

@dataclass
class Standards:
    """What the standards on one page say, before any choice between them."""

    base_url: str                                   # page URL, or its <base href>
    jsonld: list[dict] = field(default_factory=list)           # every JSON-LD node read (top
    #   level, list members, @graph members), for site adapters wanting other types
    persons: list[dict] = field(default_factory=list)          # schema.org Persons, main first
    opengraph: dict[str, list[str]] = field(default_factory=dict)  # "og:title" -> ["..."]
    hcards: list[dict] = field(default_factory=list)           # mf2 dicts of outermost h-cards
    representative_hcard: dict | None = None
    me_links: list[str] = field(default_factory=list)          # resolved http(s) rel=me hrefs
    warnings: list[str] = field(default_factory=list)          # parts of the page not readable
    jsonld_ids: dict[str, dict] = field(default_factory=dict, repr=False)  # "@id" -> node

    def og(self, name: str) -> str | None:
        """The first value of an OpenGraph property (name in lower case), cleaned, or None."""
        for value in self.opengraph.get(name, ()):
            text = clean_text(value, BIO_LIMIT)
            if text:
                return text
        return None

    @property
    def person(self) -> dict | None:
        """The JSON-LD Person the page is about (see ``read_standards``), or None."""
        return self.persons[0] if self.persons else None

    @property
    def og_is_profile(self) -> bool:
        """OpenGraph describes a person: og:type "profile" or profile:* properties."""
        og_type = (self.og("og:type") or "").lower()
        return og_type == "profile" or any(k.startswith("profile:") for k in self.opengraph)


def readings_of(page: Page) -> dict:
    """The page's own store for what is read from it (``Page.readings``). An object without
    one (a stand-in for a Page) gets a new empty store each time: nothing is kept for it."""
    readings = getattr(page, "readings", None)
    return readings if type(readings) is dict else {}


# keys of the readings kept on a Page; the one without h-cards is kept so that a full reading
# after it only adds the h-card step
_STANDARDS = "generic.standards"
_WITHOUT_HCARDS = "generic.standards without h-cards"
_PAGE_TAGS = "generic.page tags"


def page_tree(page: Page) -> lxml.html.HtmlElement | None:
    """``page.tree``, or None when the page cannot be parsed at all (never raises)."""
    try:
        tree = page.tree
    except Exception:  # e.g. lone surrogates in the HTML make the UTF-8 encoding fail
        log.debug("page %r could not be parsed", getattr(page, "url", None), exc_info=True)
        return None
    return tree


def read_standards(page: Page, *, hcards: bool = True) -> Standards:
    """Read every standard on the page once; later calls for the same Page return the cache.

    ``hcards=False`` leaves out the h-card step (mf2py is the costly one) for an adapter that
    knows the h-card cannot add anything; a full reading already cached is returned as it is,
    and a full reading after a partial one reads only the h-cards. Never raises: a part that
    cannot be read is skipped with a note in ``warnings``.
    """
    readings = readings_of(page)
    cached = readings.get(_STANDARDS)
    if cached is not None:
        return cached
    partial = readings.get(_WITHOUT_HCARDS)
    if not hcards:
        if partial is None:
            partial = readings[_WITHOUT_HCARDS] = _read_without_hcards(page)
        return partial
    if partial is None:
        standards = _read_without_hcards(page)
    else:  # a copy: the partial reading a caller already holds does not change under it
        standards = dataclasses.replace(partial, warnings=list(partial.warnings))
    tree = page_tree(page)
    html = page.html if isinstance(page.html, str) else ""
    if tree is not None and ("h-card" in html or "vcard" in html):  # 10x cheaper than XPath
        _read_part(_read_hcards, "h-cards", tree, standards, page)
    readings[_STANDARDS] = standards
    return standards


# -- the page's elements of a few tags, from one walk ------------------------------------------

# Every document-wide query walks the whole tree, and on a page just parsed the walk is most of
# the query's cost (its nodes have left the CPU caches: each walk costs about a tenth of the
# parse). The standards and the site adapters look for a few rare tags anywhere in the page;
# one walk (lxml's tag-filtered iter(), a C loop) collects all of them, in document order.
INDEXED_TAGS = ("a", "area", "base", "body", "dt", "h1", "h2", "h3", "link", "main", "meta",
                "pre", "script", "title")


class PageTags:
    """The page's elements of the tags in ``INDEXED_TAGS``, in document order."""

    def __init__(self, tree):
        self.elements = list(tree.iter(INDEXED_TAGS))  # all of them, in document order
        self._by_tag: dict[str, list] | None = None  # grouped on the first one-tag question

    def of(self, *tags: str) -> list:
        """The elements of these tags, in document order: ``//t1 | //t2 …``."""
        unknown = set(tags).difference(INDEXED_TAGS)
        if unknown:
            raise ValueError(f"tags not indexed: {sorted(unknown)}")
        if len(tags) > 1:
            return [el for el in self.elements if el.tag in tags]
        if self._by_tag is None:
            self._by_tag = {}
            for el in self.elements:
                self._by_tag.setdefault(el.tag, []).append(el)
        return list(self._by_tag.get(tags[0], ()))


def page_tags(page: Page) -> PageTags | None:
    """The PageTags of the page (read once per Page), or None when it has no tree."""
    readings = readings_of(page)
    found = readings.get(_PAGE_TAGS)
    if found is None:
        tree = page_tree(page)
        if tree is None:
            return None
        found = readings[_PAGE_TAGS] = PageTags(tree)
    return found


@dataclass
class _StandardElements:
    base_hrefs: list[str] = field(default_factory=list)  # //base/@href
    metas: list = field(default_factory=list)           # //meta[@content][@property or @name]
    jsonld_scripts: list = field(default_factory=list)  # //script[@type='application/ld+json']
    rel_links: list = field(default_factory=list)  # //a[@rel][@href], link, area (in order)


_REL_TAGS = frozenset({"a", "area", "link"})


def _standard_elements(tags: PageTags) -> _StandardElements:
    """The elements the standards other than h-cards are read from."""
    found = _StandardElements()
    for el in tags.elements:
        tag = el.tag
        if tag in _REL_TAGS:
            if el.get("rel") is not None and el.get("href") is not None:
                found.rel_links.append(el)
        elif tag == "meta":
            if el.get("content") is not None and (
                    el.get("property") is not None or el.get("name") is not None):
                found.metas.append(el)
        elif tag == "script":
            if el.get("type") == "application/ld+json":
                found.jsonld_scripts.append(el)
        elif tag == "base" and el.get("href") is not None:
            found.base_hrefs.append(el.get("href"))
    return found


def _elements_of(source) -> _StandardElements:
    """``source`` if it is the _StandardElements, else (a tree: bench/bench_capture.py times each
    reader on the tree alone) those of the tree."""
    return source if isinstance(source, _StandardElements) else _standard_elements(PageTags(source))


def _read_without_hcards(page: Page) -> Standards:
    page_url = page.url if isinstance(page.url, str) else ""
    standards = Standards(base_url=page_url)
    tags = page_tags(page)
    if tags is not None:
        found = _standard_elements(tags)
        standards.base_url = _resolve_base(found.base_hrefs, page_url)
        # rel=me before h-cards: the representative h-card may be chosen by a rel=me link
        _read_part(_read_opengraph, "OpenGraph", found, standards, page)
        _read_part(_read_jsonld, "JSON-LD", found, standards, page)
        _read_part(_read_rel_me, "rel=me links", found, standards, page)
    return standards


def _read_part(step, what: str, source, standards: Standards, page: Page) -> None:
    """``step(source, page_url, standards)``: source is the tree or the _StandardElements."""
    page_url = page.url if isinstance(page.url, str) else ""
    try:
        step(source, page_url, standards)
    except Exception:  # a broken part must not hide the others
        log.debug("%s failed on %s", step.__name__, page_url, exc_info=True)
        standards.warnings.append(f"{what} unreadable")


_BASE_HREF = lxml.etree.XPath("//base/@href")


def base_url(tree: lxml.html.HtmlElement, page_url: str) -> str:
    """The URL relative links on the page resolve against: its <base href>, else the page's."""
    return _resolve_base(_BASE_HREF(tree), page_url)


def _resolve_base(hrefs: list[str], page_url: str) -> str:
    for href in hrefs[:1]:
        resolved = clean_url(str(href), page_url or None)
        if resolved:
            return resolved
    return page_url


# JSON-LD

_EXTRACTOR = JsonLdExtractor()
_JSON = json.JSONDecoder(strict=False)  # raw control characters allowed, as extruct reads


def _jsonld_items(script) -> list:
    """The items of one JSON-LD block, as extruct's ``extract_items`` gives them.

    Plain JSON is decoded here: extruct compiles an XPath for the script's text and builds a
    decoder on every call, a third of a small page's reading. Anything else (JS or HTML comments
    around the JSON) goes to extruct, which tolerates them.
    """
    if len(script) == 0:  # the HTML parser keeps a script's content as its one text
        try:
            data = _JSON.decode(script.text or "")
        except ValueError:
            pass
        else:
            members = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
            return [item for item in members if item]
    return _EXTRACTOR.extract_items(script)


def _read_jsonld(source, page_url: str, standards: Standards) -> None:
    items: list[Any] = []
    for script in _elements_of(source).jsonld_scripts:
        try:
            # one script at a time, so a broken block does not lose the others
            items.extend(_jsonld_items(script))
        except Exception:
            standards.warnings.append("unreadable JSON-LD block skipped")
    nodes: list[dict] = []
    for item in items:
        nodes.extend(_flatten_graph(item, 0))
    ids = {node["@id"]: node for node in nodes
           if isinstance(node.get("@id"), str) and len(node) > 1}
    main: list[dict] = []
    others: list[dict] = []
    for node in nodes:
        types = _types(node)
        if "ProfilePage" in types:
            for entity in _as_list(node.get("mainEntity")):
                entity = _deref(entity, ids)
                if isinstance(entity, dict) and "Person" in _types(entity):
                    main.append(entity)
        if "Person" in types:
            others.append(node)
    persons: list[dict] = []
    for person in main + others:
        if not any(person is p for p in persons):
            persons.append(person)
    # the Person whose url is this page comes first, after ProfilePage.mainEntity
    if not main and len(persons) > 1:  # (the sort key has no side effects)
        og_url = clean_url(standards.og("og:url"), standards.base_url or None)
        persons.sort(key=lambda p: not any(
            same_url(clean_url(u, page_url or None), ref)
            for u in _as_list(p.get("url")) + [p.get("@id")] if isinstance(u, str)
            for ref in (page_url, og_url)))
    standards.jsonld = nodes
    standards.persons = persons
    standards.jsonld_ids = ids


def _flatten_graph(item: Any, depth: int) -> Iterator[dict]:
    if depth > _JSONLD_DEPTH:
        return
    if isinstance(item, list):
        for member in item:
            yield from _flatten_graph(member, depth + 1)
    elif isinstance(item, dict):
        graph = item.get("@graph")
        if graph is not None:
            yield from _flatten_graph(graph, depth + 1)
        if "@type" in item or "@id" in item and len(item) > 2:
            yield item


_TYPE_SEP = re.compile(r"[/:#]")


def _types(node: dict) -> set[str]:
    """schema.org type names of a node: "Person", "schema:Person" and
    "https://schema.org/Person" all give "Person"."""
    names = set()
    for value in _as_list(node.get("@type")):
        if isinstance(value, str):
            names.add(_TYPE_SEP.split(value.strip())[-1])
    return names


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _deref(value: Any, ids: dict[str, dict]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        return ids.get(value["@id"], value)
    return value


# OpenGraph

def _read_opengraph(source, page_url: str, standards: Standards) -> None:
    og: dict[str, list[str]] = {}
    for meta in _elements_of(source).metas:
        # property= is the standard; name="og:..." is common enough to accept
        for key in (meta.get("property"), meta.get("name")):
            key = (key or "").strip().lower()
            if key.startswith(("og:", "profile:")):
                og.setdefault(key, []).append(meta.get("content") or "")
                break
    standards.opengraph = og


# rel=me

def _read_rel_me(source, page_url: str, standards: Standards) -> None:
    links: list[str] = []
    for el in _elements_of(source).rel_links:
        if "me" in (el.get("rel") or "").lower().split():
            url = clean_url(el.get("href"), standards.base_url or None)
            if url and url not in links:
                links.append(url)
    standards.me_links = links


# microformats2 h-card

# Walking class attributes (then their elements) is about twice as fast in libxml2 as testing
# @class on every element, and 'card' first rejects most attributes cheaply; same elements, in
# document order.
_HCARD_XPATH = ("//@class[contains(., 'card') and (contains(., 'h-card') or contains(., 'vcard'))]"
                "/..")
_MF2_ROOT = re.compile(r"^h-(?:[a-z0-9]+-)?[a-z]+(?:-[a-z]+)*$")
_TAILWIND = {"h-" + c for c in mf2py.mf2_classes.CONFLICTING_ROOTS_TAILWIND}
_CLASSIC_ROOTS = {"adr", "geo", "hentry", "hfeed", "hproduct", "hrecipe", "hresume", "hreview",
                  "hreview-aggregate", "vcard", "vevent"}
# elements an HTML parser drops or moves when they are parsed out of their context
_RETAG = {"html", "body", "head", "td", "th", "tr", "tbody", "thead", "tfoot", "caption",
          "colgroup", "col", "option", "optgroup", "li", "dt", "dd", "template"}


def _classes(el) -> list[str]:
    value = el.get("class")
    return value.split() if isinstance(value, str) else []


def _is_hcard(classes: list[str]) -> bool:
    return "h-card" in classes or "vcard" in classes


def _is_root(classes: list[str]) -> bool:
    """A microformat root that makes an h-card inside it a part of something else. A feed does
    not: WordPress themes wrap whole pages in class="hfeed", and an h-card in an h-feed but in
    no entry is the site's own card."""
    return any(((_MF2_ROOT.match(c) and c not in _TAILWIND) or c in _CLASSIC_ROOTS)
               and c not in ("h-feed", "hfeed") for c in classes)


def _read_hcards(tree, page_url: str, standards: Standards) -> None:
    # lxml first: a page without h-card or vcard costs one XPath, mf2py never runs
    outermost = []     # (element, inside another microformat)
    for el in tree.xpath(_HCARD_XPATH):
        if not _is_hcard(_classes(el)):
            continue
        nested_in_card = in_root = False
        for ancestor in el.iterancestors():
            classes = _classes(ancestor)
            if _is_hcard(classes):
                nested_in_card = True
                break
            if _is_root(classes):
                in_root = True
        if not nested_in_card:
            outermost.append((el, in_root))
    if not outermost:
        return
    items = _parse_mf2([el for el, _ in outermost], standards.base_url)
    cards = []
    for (el, in_root), item in zip(outermost, items):
        if isinstance(item, dict) and "h-card" in item.get("type", ()):
            cards.append((item, in_root))
    standards.hcards = [item for item, _ in cards]
    standards.representative_hcard = representative_hcard(cards, page_url, standards.me_links)


_URL_ATTRS = ("href", "src", "data", "poster", "srcset")
_URL_ATTRS_XPATH = "|".join(f"descendant-or-self::*/@{a}" for a in _URL_ATTRS)
_TAB_NEWLINE = re.compile("[\t\n\r]")


_DEAD_XPATH = ".//script|.//style|.//template"


def _fragment(el) -> str:
    """The element's HTML for mf2py, on a copy when it needs changing (the page's tree is never
    modified): a tag an HTML parser would drop out of context becomes a <div>; <script>,
    <style> and <template> go (mf2 text values skip them anyway, and on a big page whose <body>
    is the h-card they are most of the bytes); tabs and newlines leave URL attributes as a
    browser removes them, so that "java&#10;script:" is seen as the javascript: URL it is
    rather than resolved as a relative path."""
    retag = el.tag in _RETAG or not isinstance(el.tag, str)
    dirty = any(_TAB_NEWLINE.search(v) for v in el.xpath(_URL_ATTRS_XPATH))
    dead = bool(el.xpath(_DEAD_XPATH))
    if retag or dirty or dead:
        el = copy.deepcopy(el)
        el.tail = None
        if retag:
            el.tag = "div"
        for node in el.xpath(_DEAD_XPATH) if dead else ():
            node.drop_tree()
        if dirty:
            for node in el.iter():
                for attr in _URL_ATTRS:
                    value = node.get(attr) if isinstance(node.tag, str) else None
                    if value and _TAB_NEWLINE.search(value):
                        node.set(attr, _TAB_NEWLINE.sub("", value))
    return lxml.html.tostring(el, encoding="unicode", with_tail=False)


def _parse_mf2(elements: list, base_url: str) -> list[dict | None]:
    """mf2py on the given elements only: one mf2 item per element, in order."""
    def parse(html: str) -> list:
        result = mf2py.parse(doc=html, url=base_url or None, html_parser="lxml",
                             filter_roots=True)
        return result.get("items", [])

    fragments = [_fragment(el) for el in elements]
    items = parse("<div>" + "".join(fragments) + "</div>")
    if len(items) == len(elements):
        return items
    # a fragment gave no item or several: parse them one by one to keep the pairing
    out: list[dict | None] = []
    for html in fragments:
        found = parse(html)
        out.append(found[0] if len(found) == 1 else None)
    return out


def _mf2_urls(card: dict, name: str, base: str) -> list[str]:
    urls = []
    for value in card.get("properties", {}).get(name, ()):
        if isinstance(value, dict):
            value = value.get("value")
        url = clean_url(value, base or None)
        if url and url not in urls:
            urls.append(url)
    return urls


def representative_hcard(cards: list[tuple[dict, bool]] | list[dict], page_url: str,
                         me_links: list[str]) -> dict | None:
    """The h-card the page is about (http://microformats.org/wiki/representative-h-card-parsing).

    ``cards`` are the outermost h-cards in page order, each with whether it sits inside another
    microformat (an h-entry's p-author, say), or plain mf2 dicts (taken as not inside one).

    1. an h-card whose uid and url both are the page URL;
    2. else the first h-card with a url that is also a rel=me link of the page;
    3. else the only h-card, when its url is the page URL;
    4. else (Goen's relaxation: the user chose to capture this page) the only h-card, when it is
       not inside another microformat (an h-feed does not count). Several h-cards and none of
       the above: None.
    """
    pairs = [(c, False) if isinstance(c, dict) else c for c in cards]
    for card, _ in pairs:
        uids = _mf2_urls(card, "uid", page_url)
        urls = _mf2_urls(card, "url", page_url)
        if any(same_url(u, page_url) for u in uids) and any(same_url(u, page_url) for u in urls):
            return card
    for card, _ in pairs:
        if any(same_url(u, me) for u in _mf2_urls(card, "url", page_url) for me in me_links):
            return card
    if len(pairs) == 1:
        card, in_root = pairs[0]
        if any(same_url(u, page_url) for u in _mf2_urls(card, "url", page_url)) or not in_root:
            return card
    return None


# -- one standard -> a partial Profile --------------------------------------------------------

def _text_values(value: Any) -> Iterator[tuple[str, str | None]]:
    """(text, language) pairs of a JSON-LD literal: string, {"@value", "@language"}, or list."""
    for member in _as_list(value):
        if isinstance(member, str):
            yield member, None
        elif isinstance(member, dict) and isinstance(member.get("@value"), str):
            lang = member.get("@language")
            yield member["@value"], lang if isinstance(lang, str) else None
        elif isinstance(member, (int, float)) and not isinstance(member, bool):
            yield str(member), None


def _is_phonetic_lang(lang: str | None) -> bool:
    """BCP 47 script subtags for kana: ja-Hira, ja-Kana, ja-Hrkt mark a reading."""
    return bool(lang) and any(s.lower() in ("hira", "kana", "hrkt") for s in lang.split("-")[1:])


def _plain(value: Any, limit: int = TEXT_LIMIT) -> str | None:
    if value is None:  # (the common cases, without the generator)
        return None
    if type(value) is str:
        return clean_text(value, limit)
    for text, lang in _text_values(value):
        if not _is_phonetic_lang(lang):
            cleaned = clean_text(text, limit)
            if cleaned:
                return cleaned
    return None


def _phonetic(value: Any) -> str | None:
    if value is None or type(value) is str:  # no language: never a reading
        return None
    for text, lang in _text_values(value):
        if _is_phonetic_lang(lang):
            cleaned = clean_text(text)
            if cleaned:
                return cleaned
    return None


def _name_of(value: Any, ids: dict) -> str | None:
    """A thing's name: a string, or the name of an object (Organization, DefinedTerm, Place...)."""
    for member in _as_list(value):
        member = _deref(member, ids)
        if isinstance(member, dict) and "@value" not in member:
            name = _plain(member.get("name"))
        else:
            name = _plain(member)
        if name:
            return name
    return None


_COUNTRY_CODE = re.compile(r"[A-Za-z]{2,3}")


def join_place(locality: str | None, region: str | None, country: str | None) -> str | None:
    """One line for a place.

    "Locality, Region, Country", without parts already said ("Seattle, Washington, United
    States" then "United States") and without a country code after other parts ("US"). A place
    written in CJK is written the Japanese way, largest first and without commas: "東京都渋谷区".
    """
    parts: list[str] = []
    for position, part in enumerate((locality, region, country)):
        part = clean_text(part)
        if not part:
            continue
        if position == 2 and parts and _COUNTRY_CODE.fullmatch(part):
            continue
        if any(part.lower() in done.lower() for done in parts):
            continue
        parts.append(part)
    if not parts:
        return None
    if all(has_cjk(p) for p in parts):
        return clean_text("".join(reversed(parts)))
    return clean_text(", ".join(parts))


def _jsonld_place(value: Any, ids: dict, depth: int = 0) -> str | None:
    for member in _as_list(value):
        member = _deref(member, ids)
        if isinstance(member, str):
            text = clean_text(member)
            if text:
                return text
        elif isinstance(member, dict):
            types = _types(member)
            if "PostalAddress" in types or any(k.startswith("address") for k in member):
                country = member.get("addressCountry")
                country = _name_of(country, ids)
                text = join_place(_plain(member.get("addressLocality")),
                                  _plain(member.get("addressRegion")), country)
                if text:
                    return text
            name = _plain(member.get("name"))
            if name:
                return name
            if depth < 2 and member.get("address") is not None:
                text = _jsonld_place(member.get("address"), ids, depth + 1)
                if text:
                    return text
    return None


def _jsonld_image(value: Any, ids: dict, base: str) -> str | None:
    for member in _as_list(value):
        member = _deref(member, ids)
        if isinstance(member, dict):
            for key in ("contentUrl", "url"):  # not "@id": a node name, not an image
                for candidate in _as_list(member.get(key)):
                    url = clean_url(candidate, base or None)
                    if url:
                        return url
        else:
            url = clean_url(member, base or None)
            if url:
                return url
    return None


def _current_employer(value: Any, ids: dict) -> str | None:
    """The first organisation in worksFor whose OrganizationRole has no endDate."""
    orgs: list[Any] = []
    stack = list(reversed(_as_list(value)))
    while stack and len(orgs) < 100:
        member = stack.pop()
        if isinstance(member, list):  # some pages nest the list of organisations in a list
            stack.extend(reversed(member))
        else:
            orgs.append(_deref(member, ids))
    for org in orgs:
        if isinstance(org, dict):
            roles = [_deref(r, ids) for r in _as_list(org.get("member"))]
            if any(isinstance(r, dict) and r.get("endDate") not in (None, "") for r in roles):
                continue
        name = _name_of(org, ids)
        if name:
            return name
    return None


def jsonld_fields(person: dict, base_url: str, ids: dict | None = None) -> Profile:
    """A partial Profile (display_name may be "") from one schema.org Person node."""
    ids = ids or {}
    family = _plain(person.get("familyName"))
    given = _plain(person.get("givenName"))
    display = _plain(person.get("name")) or compose_name(family, given) or ""
    reading = _phonetic(person.get("name")) or _phonetic(person.get("alternateName"))
    if not reading:
        family_r, given_r = _phonetic(person.get("familyName")), _phonetic(person.get("givenName"))
        reading = clean_text(" ".join(p for p in (family_r, given_r) if p)) if (
            family_r or given_r) else None
    if not reading:
        # additionalName is a middle name in schema.org; only a kana one is taken as a reading
        extra = _plain(person.get("additionalName"))
        reading = _phonetic(person.get("additionalName")) or (extra if is_kana(extra) else None)
    handle = None
    for text, lang in _text_values(person.get("alternateName")):
        text = clean_text(text)
        if text and not _is_phonetic_lang(lang) and _is_handle(text):
            handle = text
            break
    url = None
    for candidate in _as_list(person.get("url")):
        url = clean_url(candidate if isinstance(candidate, str) else None, base_url or None)
        if url:
            break
    if url is None and isinstance(person.get("@id"), str) and "#" not in person["@id"]:
        url = clean_url(person["@id"], base_url or None)
    links = [u for u in (clean_url(s if isinstance(s, str) else None, base_url or None)
                         for s in _as_list(person.get("sameAs"))) if u]
    emails = [e for e in (clean_email(v) for v, _ in _text_values(person.get("email"))) if e]
    return Profile(
        display_name=display,
        url=url,
        handle=handle,
        family_name=family,
        given_name=given,
        reading=reading,
        headline=_plain(person.get("disambiguatingDescription")),
        organisation=_current_employer(person.get("worksFor"), ids),
        title=_name_of(person.get("jobTitle"), ids),
        location=_jsonld_place(person.get("address"), ids)
        or _jsonld_place(person.get("homeLocation"), ids),
        bio=_plain(person.get("description"), BIO_LIMIT),
        avatar_url=_jsonld_image(person.get("image"), ids, base_url),
        links=unique(links),
        emails=unique(emails),
    )


def _mf2_text(value: Any, limit: int = TEXT_LIMIT) -> str | None:
    if isinstance(value, dict):
        # a nested microformat (p-org h-card) has its name; e-* has "value" (text) and "html"
        props = value.get("properties")
        if isinstance(props, dict) and props.get("name"):
            return _mf2_text(props["name"][0], limit)
        return clean_text(value.get("value"), limit)
    return clean_text(value, limit)


def _mf2_first(props: dict, *names: str, limit: int = TEXT_LIMIT) -> str | None:
    for name in names:
        for value in props.get(name, ()):
            text = _mf2_text(value, limit)
            if text:
                return text
    return None


def _mf2_place(props: dict) -> str | None:
    for adr in props.get("adr", ()):
        if isinstance(adr, dict) and isinstance(adr.get("properties"), dict):
            text = join_place(_mf2_first(adr["properties"], "locality"),
                              _mf2_first(adr["properties"], "region"),
                              _mf2_first(adr["properties"], "country-name"))
            if text:
                return text
        text = _mf2_text(adr)
        if text:
            return text
    return join_place(_mf2_first(props, "locality"), _mf2_first(props, "region"),
                      _mf2_first(props, "country-name")) or _mf2_first(props, "label")


def hcard_fields(card: dict, base_url: str, page_url: str | None = None) -> Profile:
    """A partial Profile from one mf2 h-card dict (as mf2py gives it)."""
    props = card.get("properties") if isinstance(card, dict) else None
    props = props if isinstance(props, dict) else {}
    family = _mf2_first(props, "family-name")
    given = _mf2_first(props, "given-name")
    display = _mf2_first(props, "name") or compose_name(family, given) or ""
    sort_string = _mf2_first(props, "sort-string")
    handle = next((n for n in (_mf2_text(v) for v in props.get("nickname", ())) if _is_handle(n)),
                  None)
    urls = _mf2_urls(card, "url", base_url)
    url = next((u for u in urls if same_url(u, page_url)), urls[0] if urls else None)
    if url is None:
        url = next(iter(_mf2_urls(card, "uid", base_url)), None)
    notes = unique(t for t in (_mf2_text(v, BIO_LIMIT) for v in props.get("note", ())) if t)
    photo = None
    for value in props.get("photo", ()):
        photo = clean_url(value.get("value") if isinstance(value, dict) else value,
                          base_url or None)
        if photo:
            break
    emails = [e for e in (clean_email(v.get("value") if isinstance(v, dict) else v)
                          for v in props.get("email", ())) if e]
    return Profile(
        display_name=display,
        url=url,
        handle=handle,
        family_name=family,
        given_name=given,
        # p-sort-string (vCard SORT-STRING) is what Japanese address books fill with the
        # reading; only a kana one is taken as a reading
        reading=sort_string if is_kana(sort_string) else None,
        organisation=_mf2_first(props, "org"),
        title=_mf2_first(props, "job-title", "role"),
        location=_mf2_place(props),
        bio=clean_text(" ".join(notes), BIO_LIMIT) if notes else None,
        avatar_url=photo,
        links=[u for u in urls if u != url],
        emails=unique(emails),
    )


def opengraph_fields(standards: Standards) -> Profile:
    """A partial Profile from OpenGraph (og:* and profile:*), whatever og:type says."""
    base = standards.base_url or None
    family = clean_text(standards.og("profile:last_name"))
    given = clean_text(standards.og("profile:first_name"))
    image = None
    for key in ("og:image", "og:image:url", "og:image:secure_url"):
        for value in standards.opengraph.get(key, ()):
            image = clean_url(value, base)
            if image:
                break
        if image:
            break
    return Profile(
        display_name=clean_text(standards.og("og:title")) or compose_name(family, given) or "",
        url=clean_url(standards.og("og:url"), base),
        handle=clean_text(standards.og("profile:username")),
        family_name=family,
        given_name=given,
        bio=clean_text(standards.og("og:description"), BIO_LIMIT),
        avatar_url=image,
    )


# -- merging ----------------------------------------------------------------------------------

_LIST_FIELDS = ("links", "me_links", "emails", "skills")     # merged: the union, in order
_RECORD_FIELDS = ("positions", "education")                   # merged: the first non-empty list
_TEXT_FIELDS = tuple(f.name for f in fields(Profile)
                     if f.name not in _LIST_FIELDS + _RECORD_FIELDS)


def unique(values: Iterable[str]) -> list[str]:
    """The non-empty values, first occurrence kept, in order."""
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


def merge_profiles(*partials: Profile | None) -> Profile | None:
    """Field by field, the first partial that has a value wins; list fields are the union in
    order. None when no partial has a display name."""
    partials_ = [p for p in partials if p is not None]
    values: dict[str, Any] = {}
    if len(partials_) == 1:  # a site's reading alone: the same merge, in fewer steps
        only = partials_[0]
        values = {name: getattr(only, name) or None for name in _TEXT_FIELDS}
        for name in _LIST_FIELDS:
            values[name] = unique(getattr(only, name))
        for name in _RECORD_FIELDS:
            values[name] = list(getattr(only, name))
    else:
        for name in _TEXT_FIELDS:
            value = None
            for p in partials_:
                value = getattr(p, name)
                if value:
                    break
            else:
                value = None
            values[name] = value
        for name in _LIST_FIELDS:
            values[name] = unique(v for p in partials_ for v in getattr(p, name))
        for name in _RECORD_FIELDS:
            values[name] = next((list(getattr(p, name)) for p in partials_ if getattr(p, name)),
                                [])
    if not values["display_name"]:
        return None
    profile = Profile(**values)
    # the profile's own URL is not one of its links
    profile.links = [u for u in profile.links if not same_url(u, profile.url)]
    return profile


def person_sources(standards: Standards, page: Page) -> list[Profile]:
    """The partial Profiles of the standards that describe a person, in precedence order:
    JSON-LD Person, representative h-card, OpenGraph profile."""
    page_url = page.url if isinstance(page.url, str) else ""
    ids = standards.jsonld_ids
    sources: list[Profile] = []
    if standards.person is not None:
        sources.append(jsonld_fields(standards.person, standards.base_url, ids))
    if standards.representative_hcard is not None:
        sources.append(hcard_fields(standards.representative_hcard, standards.base_url, page_url))
    if standards.og_is_profile:
        sources.append(opengraph_fields(standards))
    return sources


def profile_from_standards(standards: Standards, page: Page) -> Profile | None:
    """The person the page is about, from its standards, or None when there is none.

    rel=me links become ``me_links`` (the page itself and the profile URL excluded).
    """
    profile = merge_profiles(*person_sources(standards, page))
    if profile is None:
        return None
    page_url = page.url if isinstance(page.url, str) else ""
    profile.me_links = [u for u in standards.me_links
                        if not same_url(u, page_url) and not same_url(u, profile.url)]
    return profile


_WARN_FIELDS = (("url", "url"), ("handle", "handle"), ("headline", "headline"),
                ("organisation", "organisation"), ("title", "job title"),
                ("location", "location"), ("bio", "bio"), ("avatar_url", "photo"))


def missing_field_warnings(profile: Profile) -> list[str]:
    """"no <field>" for each usual profile field left empty (name parts and readings are only
    recorded when a page states them, so their absence is not a warning)."""
    return [f"no {label_}" for name, label_ in _WARN_FIELDS if not getattr(profile, name)]


def finish_extraction(profile: Profile, standards: Standards | None = None,
                      extra_warnings: Iterable[str] = ()) -> Extraction:
    """An Extraction for a profile, with the missing-field and unreadable-part warnings."""
    warnings = missing_field_warnings(profile) + list(extra_warnings)
    if standards is not None:
        warnings += standards.warnings
    return Extraction(kind="profile", profile=profile, warnings=unique(warnings))


# -- the adapter ------------------------------------------------------------------------------

# the profile detect() found, handed once to extract() on the same Page (with the page URL and
# Standards it was read from, so that a changed page is read again): a key of Page.readings
_DETECTED = "generic.detected"


def detect(page: Page) -> bool:
    """True when the page describes a person: a JSON-LD Person with a name, a representative
    h-card with a name, or an OpenGraph profile with a title. Never raises."""
    try:
        standards = read_standards(page)
        profile = profile_from_standards(standards, page)
    except Exception:
        log.debug("generic.detect failed on %r", getattr(page, "url", None), exc_info=True)
        return False
    if profile is not None:
        readings_of(page)[_DETECTED] = (page.url, standards, profile)
    return profile is not None


def _take_detected(page: Page, standards: Standards) -> Profile | None:
    try:
        url, detected_standards, profile = readings_of(page).pop(_DETECTED)
    except KeyError:
        return None
    if url is page.url and detected_standards is standards:
        return profile
    return None


def extract(page: Page) -> Extraction:
    """The person the page describes; ExtractionError when there is none."""
    try:
        standards = read_standards(page)
        profile = _take_detected(page, standards)
        if profile is None:
            profile = profile_from_standards(standards, page)
    except Exception as exc:  # a bug on a strange page: report it as this adapter's failure
        # the traceback only at debug level: an exception message may quote the page
        log.warning("generic.extract failed: %s", type(exc).__name__)
        log.debug("generic.extract failed", exc_info=True)
        raise ExtractionError(f"the page could not be read: {type(exc).__name__}") from exc
    if profile is None:
        if page_tree(page) is None:
            raise ExtractionError("the page has no HTML elements")
        raise ExtractionError("no person on this page: no schema.org Person with a name in "
                              "JSON-LD, no representative h-card, no OpenGraph profile")
    return finish_extraction(profile, standards)


def per_page(read):
    """Keep ``read(page)`` on the Page for as long as it lives (``Page.readings``), so that
    detect() and extract() on the same page read it once."""
    def cached(page):
        readings = readings_of(page)
        if read in readings:
            return readings[read]
        result = readings[read] = read(page)
        return result

    cached.__wrapped__ = read
    cached.__doc__ = read.__doc__
    return cached


def profile_reader(site_id: str, site_label: str, read, not_on_site: Iterable[str] = (),
                   detect_doc: str | None = None):
    """``detect`` and ``extract`` for a site adapter built on one per-page ``read(page)`` that
    returns (profile or None, warnings, why-not). Warnings for fields the site never shows
    (``not_on_site``) are left out. Neither function lets anything but ExtractionError out."""
    quiet = frozenset(not_on_site)

    def detect(page: Page) -> bool:
        try:
            return read(page)[0] is not None
        except Exception:
            log.debug("%s.detect failed on %r", site_id, getattr(page, "url", None),
                      exc_info=True)
            return False

    def extract(page: Page) -> Extraction:
        try:
            profile, warnings, why = read(page)
        except Exception as exc:
            log.warning("%s.extract failed: %s", site_id, type(exc).__name__)
            log.debug("%s.extract failed", site_id, exc_info=True)
            raise ExtractionError(
                f"the page could not be read: {type(exc).__name__}") from exc
        if profile is None:
            raise ExtractionError(why or f"no {site_label} profile on this page")
        missing = [w for w in missing_field_warnings(profile) if w not in quiet]
        return Extraction(kind="profile", profile=profile, warnings=unique(missing + warnings))

    detect.__doc__ = detect_doc
    return detect, extract


# titles of a site's own pages (login wall, errors) that take the same "<x> | Site" form
_NOT_NAMES = frozenset({"ログイン", "ログインページ", "新規登録", "エラー", "ページが見つかりません",
                        "お探しのページは見つかりませんでした", "login", "log in", "sign in",
                        "sign up", "error", "page not found", "not found", "404", "500"})


def name_from_title(text: str | None, suffix: re.Pattern) -> str | None:
    """The person's name in a title like "<name> | Site" (``suffix`` matches " | Site"), or
    None when the title lacks the suffix or names one of the site's own pages."""
    text = clean_text(text)
    if not text or not suffix.search(text):
        return None
    name = clean_text(suffix.sub("", text))
    return None if (name or "").casefold() in _NOT_NAMES else name
