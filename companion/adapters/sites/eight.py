"""Eight (8card.net, Sansan's business-card network): a person's public profile
``https://8card.net/p/<id>`` and a shared digital business card
``https://8card.net/virtual_cards/<token>``.

How well the markup is known: hardly at all. No public scraper, extension or test suite found
(2025) reads Eight's HTML pages. What public code does show is the data a card carries: Eight's
own JSON (``/p/<id>.json``, read by an unofficial client) has ``full_name``, ``company_name``,
``department``, ``title`` and ``career_summary.content``, and a business card shows them in that
shape: company, department, title, name, and (on Japanese cards) the name's reading in kana.

So this adapter reads a business card laid out with BEM-style classes, which is an ASSUMPTION:
the element whose class ends in ``__name`` is the name, and its block (``profile-card`` for
``profile-card__name``) holds ``<block>__name-reading`` / ``__kana`` / ``__reading``,
``__company``, ``__department``, ``__title`` / ``__position`` and ``__image`` / ``__photo`` /
``__avatar`` (an ``<img>`` or an element holding one). A section headed 「キャリアサマリ」 /
"Career summary" is the bio, unless it is a list of jobs: a career section (「キャリアサマリ」,
「職歴」, 「経歴」, "Career") whose every ``<li>`` reads as a job (``__company`` / ``__title`` /
``__period`` parts, else a company line followed by a period line such as "2015年4月 - 現在")
gives ``positions``, in the page's order, dates as written, 「現在」/"Present" making the job
current (end None); free text gives none. Without a card, the name comes from the ``<title>`` /
``og:title`` ("<name> | Eight", also "<name>さんのプロフィール | Eight"). A schema.org Person in
JSON-LD, if the page ever has one, fills the gaps (generic). The fixtures in tests/fixtures/sites/eight/ say
which parts are assumed; fix the reading here and bump ``version`` when a real capture shows the
markup.

Output:
* ``organisation`` is the company; Profile has no department field, so ``title`` is
  "<department> <title>" when the card has both ("営業本部 第一営業部 部長"), else whichever it
  has: on a Japanese card the department qualifies the title and both are what people file;
* ``reading`` only when the card shows one in kana (brackets removed); a romanised name is not a
  reading;
* ``url`` / ``handle`` from ``companion.urls``: the ``/p/<id>`` URL and the id; a virtual card
  keeps its URL and has no handle (its token is not the person's id);
* Eight profiles show no headline or location: no warning for those (nor for the handle of a
  virtual card).
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from .. import career, generic
from ..base import Extraction, ExtractionError, Page, Position, Profile
from ...urls import InvalidUrl, canonical_profile_url

log = logging.getLogger(__name__)


_xp = generic.xpath  # el.xpath(expr), the expression compiled once per process

id = "eight"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Eight (8card.net) profiles and digital business cards"
version = "2"
kinds = ("profile",)
url_patterns = (
    r"^https?://(www\.)?8card\.net/p/[A-Za-z0-9_-]+\/?([?#].*)?$",
    r"^https?://(www\.)?8card\.net/virtual_cards/[A-Za-z0-9_-]+\/?([?#].*)?$",
)

_NOT_ON_SITE = ("no headline", "no location")

_FIELDS = {
    "reading": ("name-reading", "name_reading", "kana", "reading", "furigana"),
    "company": ("company", "company-name", "company_name", "organization"),
    "department": ("department", "division"),
    "title": ("title", "position", "job-title"),
    "image": ("image", "photo", "avatar", "profile-image"),
}
_FIELD_OF_ELEMENT = {name: key for key, names in _FIELDS.items() for name in names}
assert len(_FIELD_OF_ELEMENT) == sum(map(len, _FIELDS.values()))  # no name in two fields
_NAME_SUFFIXES = ("name", "full-name", "full_name", "fullname")
_SUMMARY_HEADINGS = frozenset({"キャリアサマリ", "キャリアサマリー", "careersummary", "自己紹介",
                               "summary"})
_TITLE_SUFFIX = re.compile(r"\s*(さん)?(のプロフィール)?\s*[-|｜–]\s*Eight\s*$", re.IGNORECASE)
_BRACKETS = "()（）「」[]【】"

# XPath compiled once (``el.xpath(text)`` compiles its expression on every call)
_X_LINKS = etree.XPath("//a/@href|//img/@src|//link/@href")
_X_LEAF_LI = etree.XPath(".//li[not(.//li)]")
_X_IMG_SRC = etree.XPath(".//img/@src")
# elements whose class holds "__" (a BEM element), the context element included, in document
# order (walking the class attributes is faster than testing @class on every element)
_X_BEM = etree.XPath("descendant-or-self::*/@class[contains(., '__')]/..")
_EIGHT_LINK = re.compile(r"^(https?:)?//([a-z0-9-]+\.)*8card\.net(/|$)", re.I)
_URL_PATTERNS = tuple(re.compile(p) for p in url_patterns)


def _text(el) -> str | None:
    if el is None:
        return None
    return generic.clean_text(generic.joined_text(el))


def _tokens(el) -> list[str]:
    return (el.get("class") or "").split()


def _outside_chrome(el, body) -> bool:
    """``el`` is ``body`` or inside it, and not inside a header, nav or footer (the site's header
    shows the signed-in viewer, not this person)."""
    inside = el is body
    for a in el.iterancestors():
        if a.tag in ("header", "nav", "footer"):
            return False
        if a is body:
            inside = True
    return inside


def _find_card(tags: generic.PageTags, tree, bem):
    """(block name, name element) of the first BEM card with a non-empty ``<block>__name``;
    bem: ``_X_BEM(tree)``, the elements whose class holds "__" (only they can be a card's name),
    in document order."""
    body = next(iter(tags.of("body")), tree)
    for el in bem:
        for token in _tokens(el):
            block, sep, element = token.partition("__")
            if (sep and block and element in _NAME_SUFFIXES and _outside_chrome(el, body)
                    and _text(el)):
                return block, el
    return None, None


def _fields(bem, block: str) -> dict:
    """The first element (in document order) of each field of ``_FIELDS`` in the card's block,
    among ``bem`` (as for ``_find_card``): those whose class mentions ``<block>__``."""
    prefix = f"{block}__"
    found: dict = {}
    for el in bem:
        cls = el.get("class") or ""
        if prefix not in cls:
            continue
        for token in cls.split():
            key = _FIELD_OF_ELEMENT.get(token[len(prefix):]) if token.startswith(prefix) else None
            if key is not None and key not in found:
                found[key] = el
        if len(found) == len(_FIELDS):
            break
    return found


def _says_eight(tree, standards) -> bool:
    """The page says it is Eight's: its site name, or absolute links or images on 8card.net."""
    if (standards.og("og:site_name") or "").strip().lower() == "eight":
        return True
    for value in _X_LINKS(tree):
        if _EIGHT_LINK.match(value.strip()):
            return True
    return False


# Career sections (headings compared without spaces, case-folded). Eight's 「キャリアサマリ」 is
# free text (``career_summary.content``): it becomes positions only when the page shows it as a
# list of jobs, and is otherwise the bio. A 「職歴」/「経歴」 list is read the same way.
_CAREER_HEADINGS = frozenset({"キャリアサマリ", "キャリアサマリー", "careersummary", "職歴", "経歴",
                              "キャリア", "career", "workexperience", "experience"})
_ENTRY_FIELDS = {
    "organisation": ("company", "company-name", "company_name", "organization", "organisation"),
    "title": ("title", "position", "job-title", "role"),
    "period": ("period", "term", "date", "dates", "duration"),
}
_ENTRY_FIELD_OF_ELEMENT = {name: key for key, names in _ENTRY_FIELDS.items() for name in names}


def _entry_parts(entry) -> dict:
    """For each key of ``_ENTRY_FIELDS``, the entry's first element (in document order, the entry
    included) with a class token ``<anything>__<one of its names>``, else None."""
    parts = dict.fromkeys(_ENTRY_FIELDS)
    for el in entry.iter():  # a leaf list entry: a few elements, cheaper than an XPath call
        cls = el.get("class") if isinstance(el.tag, str) else None
        if not cls or "__" not in cls:
            continue
        for token in cls.split():
            key = _ENTRY_FIELD_OF_ELEMENT.get(token.partition("__")[2])
            if key is not None and parts[key] is None:
                parts[key] = el
    return parts


def _position(entry) -> Position | None:
    """One career entry: by its BEM parts (``__company``, ``__title``, ``__period``), else by its
    children's texts (the period line, the organisation before it, then the title)."""
    parts = _entry_parts(entry)
    if parts["organisation"] is not None or parts["period"] is not None:
        organisation, title = _text(parts["organisation"]), _text(parts["title"])
        period = career.read_period(_text(parts["period"]))
    else:
        lines = [t for t in (_text(c) for c in entry if isinstance(c.tag, str)) if t]
        if not lines and entry.text:
            lines = [generic.clean_text(entry.text)]
        head, period = [], None
        for line in lines:
            period = career.read_period(line)
            if period is not None:
                break
            head.append(line)
        if period is None or not head:
            return None  # free text, not a job
        organisation, title = head[0], (head[1] if len(head) > 1 else None)
    if not organisation:
        return None
    start, end, current = period or (None, None, False)
    return Position(title=title, organisation=organisation, start=start, end=end,
                    current=current)


def _section_container(heading):
    return next((a for a in heading.iterancestors() if a.tag in ("section", "article")),
                heading.getparent())


def _positions_of(container) -> list[Position] | None:
    """The positions of a career section when it is a list of jobs (every list entry reads as
    one); None when it is anything else (a paragraph of free text)."""
    entries = _X_LEAF_LI(container)
    if not entries:
        return None
    positions = [_position(e) for e in entries]
    if not all(positions):
        return None
    return positions


def _headings(tags: generic.PageTags) -> list[tuple[object, str]]:
    """(heading, its text without spaces, case-folded) of every ``<h2>`` / ``<h3>``."""
    return [(heading, _SPACES.sub("", _text(heading) or "").casefold())
            for heading in tags.of("h2", "h3")]


_SPACES = re.compile(r"\s+")


def _career(headings) -> tuple[list[Position], object]:
    """(positions, their section) of the first career section that is a list of jobs."""
    for heading, key in headings:
        if key not in _CAREER_HEADINGS:
            continue
        container = _section_container(heading)
        if container is None:
            continue
        positions = _positions_of(container)
        if positions:
            return positions, container
    return [], None


def _summary(headings, skip=None) -> str | None:
    """The text of the section headed 「キャリアサマリ」 / "Career summary", without the heading;
    headings: ``_headings(tags)``; skip: a section read as positions."""
    for heading, key in headings:
        if key not in _SUMMARY_HEADINGS:
            continue
        container = _section_container(heading)
        if container is None or container is skip:
            continue
        text = generic.clean_text(_text_without(container, heading), generic.BIO_LIMIT)
        if text:
            return text
    return None


def _text_without(container, heading) -> str:
    """``generic.joined_text`` of the container as it would be with the heading dropped
    (lxml's ``drop_tree()``: the heading's tail joins the text before it), without copying the
    container to drop it."""
    pieces: list[str] = []
    _texts_without(container, heading, pieces)
    return " ".join(pieces)


def _texts_without(el, heading, pieces: list[str]) -> None:
    # the pieces itertext() gives: an element's text, then its children's, each child's tail
    if el.text is not None:
        pieces.append(el.text)
    for child in el:
        if child is heading:
            if heading.tail:
                before = child.getprevious()
                if (before.tail if before is not None else el.text) is not None:
                    pieces[-1] += heading.tail  # that text is the piece just added
                else:
                    pieces.append(heading.tail)
            continue
        if isinstance(child.tag, str):  # (a comment's or PI's text is not given, its tail is)
            _texts_without(child, heading, pieces)
        if child.tail is not None:
            pieces.append(child.tail)


@generic.per_page
def _read(page: Page) -> tuple[Profile | None, list[str], str]:
    page_url = page.url if isinstance(page.url, str) else ""
    if not any(p.search(page_url) for p in _URL_PATTERNS):
        return None, [], "not an 8card.net profile or card URL"
    tree = generic.page_tree(page)
    if tree is None:
        return None, [], "the page has no HTML elements"
    standards = generic.read_standards(page, hcards=False)  # h-cards are never read here
    base = standards.base_url or None

    bem = _X_BEM(tree)
    tags = generic.page_tags(page)  # the page's elements of rare tags, from one walk
    block, name_el = _find_card(tags, tree, bem)
    doc_title = _text(next(iter(tags.of("title")), None))
    title_name = (generic.name_from_title(standards.og("og:title"), _TITLE_SUFFIX)
                  or generic.name_from_title(doc_title, _TITLE_SUFFIX))
    if name_el is not None and not (title_name or _says_eight(tree, standards)):
        block, name_el = None, None  # a "__name" class on a page that is not Eight's
    person = (generic.jsonld_fields(standards.person, standards.base_url, standards.jsonld_ids)
              if standards.person is not None else None)
    display_name = _text(name_el) or title_name
    if not display_name:
        return None, [], "no Eight business card or profile name on this page"

    reading = company = department = job_title = avatar = None
    if block:
        fields = _fields(bem, block)
        reading = _text(fields.get("reading"))
        reading = generic.clean_text((reading or "").strip(_BRACKETS + " \u3000"))
        if not generic.is_kana(reading):
            reading = None
        company = _text(fields.get("company"))
        department = _text(fields.get("department"))
        job_title = _text(fields.get("title"))
        image = fields.get("image")
        if image is not None:
            srcs = [image.get("src")] if image.tag == "img" else _X_IMG_SRC(image)
            for src in srcs:
                # a plain str: clean_url's fast path skips XPath's string results
                avatar = generic.clean_url(src if src is None else str(src), base)
                if avatar:
                    break
    if avatar is None:
        for value in standards.opengraph.get("og:image", ()):
            avatar = generic.clean_url(value, base)
            if avatar:
                break
    title = generic.clean_text(" ".join(p for p in (department, job_title) if p)) or None

    try:
        account = canonical_profile_url(page_url)
    except InvalidUrl:
        account = None
    if account is not None and account.platform != "eight":
        account = None

    headings = _headings(tags)
    positions, career_section = _career(headings)
    site = Profile(
        display_name=display_name,
        url=account.url if account else None,
        handle=account.handle if account else None,
        reading=reading,
        organisation=company,
        title=title,
        bio=_summary(headings, skip=career_section),
        avatar_url=avatar,
        positions=positions,
    )
    profile = generic.merge_profiles(site, person)
    if profile is None:
        return None, [], "no name on this Eight page"
    page_me = [u for u in standards.me_links if not generic.same_url(u, page_url)]
    profile.me_links = [u for u in generic.unique(profile.me_links + page_me)
                        if not generic.same_url(u, profile.url)]
    quiet = _NOT_ON_SITE + (("no handle",) if "/virtual_cards/" in page_url else ())
    return profile, [*quiet], ""


def detect(page: Page) -> bool:
    """An 8card.net profile or digital card page showing a card or Eight's profile title."""
    try:
        return _read(page)[0] is not None
    except Exception:
        log.debug("eight.detect failed on %r", getattr(page, "url", None), exc_info=True)
        return False


def extract(page: Page) -> Extraction:
    try:
        profile, quiet, why = _read(page)
    except Exception as exc:
        log.warning("eight.extract failed: %s", type(exc).__name__)
        log.debug("eight.extract failed", exc_info=True)
        raise ExtractionError(f"the page could not be read: {type(exc).__name__}") from exc
    if profile is None:
        raise ExtractionError(why or "no Eight profile on this page")
    missing = [w for w in generic.missing_field_warnings(profile) if w not in quiet]
    standards = generic.read_standards(page, hcards=False)
    return Extraction(kind="profile", profile=profile,
                      warnings=generic.unique(missing + list(standards.warnings)))
