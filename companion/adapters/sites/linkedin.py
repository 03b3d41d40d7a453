"""LinkedIn: profiles (logged in and logged out), messaging threads, the connections list.

What it reads, from the captured page only (see companion/adapters/README.md):

* ``/in/<slug>/`` logged in: the top card (``h1.text-heading-xlarge``, the headline
  ``div.text-body-medium``, the location ``span.text-body-small.inline``, the photo), the About
  card (``div#about`` anchor), the Experience card (``div#experience`` anchor; ``pvs-list`` items,
  one company with several roles grouped under it), the website section of the top card and, when
  the contact-info overlay is open, its links and e-mail. Cards are also found by their heading
  ("About" / 「基本情報」 / 「概要」, "Experience" / 「経歴」) when the anchor is missing. Every text is
  read from the ``aria-hidden`` copy, never together with its ``visually-hidden`` twin.
* ``/in/<slug>/`` logged out: the JSON-LD ``@graph`` Person (through ``generic``), the
  ``top-card-layout`` headline (JSON-LD's ``disambiguatingDescription`` holds badges, not the
  headline, so it is never used), location and About.
* ``/messaging/thread/<id>/``: participants (the thread header and every sender shown), and each
  message: sender (a message grouped under an earlier sender's header gets that sender), time
  (day heading + group time, through ``reltime.combine_day_and_time``), text, and the
  ``data-event-urn`` as ``external_id``.
* ``/mynetwork/invite-connect/connections/``: ``kind="people"``, one Profile per card (name, /in/
  link, occupation line as headline, photo), classic ``mn-connection-card`` markup and the 2025
  ``data-view-name="connections-list"`` markup.
"""

from __future__ import annotations

import logging
import re
from typing import Callable, Iterable
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from .. import generic
from ..base import (Extraction, ExtractionError, Message, Page, Position, Profile, School,
                    Thread)
from ..reltime import combine_day_and_time, resolve_time

log = logging.getLogger(__name__)


_xp = generic.xpath  # el.xpath(expr), the expression compiled once per process

id = "linkedin"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "LinkedIn profiles, messaging threads and the connections list"
version = "2"
kinds = ("profile", "thread", "people")

_HOST = r"^https?:\/\/(?:[a-z]{2}(?:-[a-z]{2})?\.|www\.|m\.)?linkedin\.com\/"
url_patterns = (
    _HOST + r"in\/[^\/?#]+",
    _HOST + r"messaging\/thread\/[^\/?#]+",
    _HOST + r"mynetwork\/invite-connect\/connections",
)
# Pages that are conversations: the extension offers "Save conversation" there.
thread_url_patterns = (url_patterns[1],)

_PROFILE_URL = re.compile(url_patterns[0])
_THREAD_URL = re.compile(_HOST + r"messaging\/thread\/([^\/?#]+)")
_PEOPLE_URL = re.compile(url_patterns[2])

_TITLE_SUFFIX = re.compile(r"\s*\|\s*LinkedIn\s*$")
_NOTIFICATION_COUNT = re.compile(r"^\(\d+\+?\)\s*")

_ABOUT_HEADINGS = {"about", "基本情報", "概要", "自己紹介"}
_EXPERIENCE_HEADINGS = {"experience", "経歴", "職歴", "職務経歴"}
_EDUCATION_HEADINGS = {"education", "学歴"}
_SKILLS_HEADINGS = {"skills", "スキル"}
_CURRENT = re.compile(r"\b(?:present|current)\b|現在|現職", re.IGNORECASE)
_DATES = re.compile(r"\d{4}|present|現在", re.IGNORECASE)
_CURRENT_COMPANY_LABEL = re.compile(
    r"^\s*(?:current company|現在の(?:会社|勤務先))\s*[:：]\s*(.+?)\s*(?:[.。]\s*(?:click|クリック).*)?$",
    re.IGNORECASE)
_CONNECTED_LINE = re.compile(r"^(?:connected|つながり|.*につながりました)", re.IGNORECASE)
_SENT_HEADING = re.compile(
    r"^(.+?)\s+(?:sent the following messages?|a envoyé)|^(.+?)(?:さん)?が(?:以下の|次の)?メッセージを送信",
    re.IGNORECASE)

# -- small tree helpers -----------------------------------------------------------------------


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _cls(name: str) -> str:
    """An XPath predicate: the element has this class token."""
    return generic.has_class(name)


def _is_hidden_copy(el) -> bool:
    cls = el.get("class")
    if not cls or ("visually-hidden" not in cls and "a11y-text" not in cls):  # the usual case
        return False
    classes = cls.split()
    return "visually-hidden" in classes or "a11y-text" in classes


def _text(el, limit: int = generic.TEXT_LIMIT) -> str | None:
    """Visible text of an element without its screen-reader twins (LinkedIn writes each text
    twice: an aria-hidden copy shown on screen and a visually-hidden one); <br> and block ends
    become spaces."""
    if el is None or not isinstance(el.tag, str):
        return None
    return generic.clean_text(_raw_text(el), limit)


def _raw_text(el) -> str:
    parts: list[str] = []
    _walk_text(el, el, parts)
    return "".join(parts)


_SKIPPED_TAGS = frozenset({"script", "style", "template", "svg"})


def _walk_text(node, el, parts: list[str]) -> None:
    """``_raw_text``'s walk of ``node`` (``el`` is the element read). A module function rather
    than a closure: a nested recursive function is a reference cycle left for the collector on
    every call."""
    tag = node.tag
    if not isinstance(tag, str):  # comments, processing instructions
        if node.tail:
            parts.append(node.tail)
        return
    if node is not el and _is_hidden_copy(node):
        if node.tail:
            parts.append(node.tail)
        return
    # a "…see more" button is not part of the text it expands
    if tag in _SKIPPED_TAGS or (tag == "button" and node is not el):
        if node.tail and node is not el:
            parts.append(node.tail)
        return
    if tag == "br":
        parts.append("\n")
    if node.text:
        parts.append(node.text)
    if len(node):
        for child in node:
            _walk_text(child, el, parts)
    if tag in ("p", "div", "li"):
        parts.append("\n")
    if node is not el and node.tail:
        parts.append(node.tail)


def _first(nodes: Iterable, read: Callable = _text) -> str | None:
    for node in nodes:
        value = read(node)
        if value:
            return value
    return None


def _url(value, base: str) -> str | None:
    url = generic.clean_url(value, base or None)
    if url is None:
        return None
    parts = urlsplit(url)
    # LinkedIn wraps outside links: /redir/redirect?url=<target>&urlhash=…
    if parts.netloc.endswith("linkedin.com") and parts.path.rstrip("/") in (
            "/redir/redirect", "/redir/general-malware-page", "/safety/go"):
        target = parse_qs(parts.query).get("url")
        if target:
            return generic.clean_url(target[0])
    return url


_IN_PATH = re.compile(r"^/in/[^/]+/?")  # (re.match(r"^/in/[^/]+") matches where this does)


def _person_url(value, base: str) -> str | None:
    """A link to someone's /in/ page, without LinkedIn's tracking query and fragment."""
    url = _url(value, base)
    if url is None:
        return None
    parts = urlsplit(url)
    if not _IN_PATH.match(parts.path) or "linkedin.com" not in parts.netloc:
        return None
    path = _IN_PATH.match(parts.path).group(0)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


# -- detect -----------------------------------------------------------------------------------

# Speed (a 1 MB page has ~20k elements): a ``//*[…]`` query walks every element, so the
# document-wide lookups below name their tag, walk only one attribute (``//@id[…]/parent::*``,
# ``//@class[contains(., …)]/parent::*``, far fewer nodes), and the ones both detect and extract
# need run once per page (``_cached``).

# with _CARD_ANCHORS: //h1[xl] | //h1[top-card-layout__title] | //*[pv-top-card]//h1
#                     | //*[@id='experience' or @id='about']
_PROFILE_MARKS = ("//h1[" + _cls("text-heading-xlarge") + " or " + _cls("top-card-layout__title")
                  + " or ancestor::*[" + _cls("pv-top-card") + "]]")
_CARD_ANCHORS = ("//@id[.='experience' or .='about' or .='education' or .='skills']"
                 "/parent::*")
# logged out: the public profile's sections (read only when the logged-in cards are missing)
_PUBLIC_SECTIONS = ("//@data-section[.='experience' or .='educationsDetails' or .='education']"
                    "/parent::section")
# every element with one of the messaging classes read below (each holds "msg-"), in document order
_THREAD_CLASSES = ("msg-s-message-list__event", "msg-s-event-listitem",
                   "msg-thread__link-to-profile",
                   "msg-entity-lockup__entity-title", "msg-s-message-list__time-heading",
                   "msg-s-event-listitem--group-a11y-heading", "msg-s-message-group__meta",
                   "msg-s-event-listitem__body")
_THREAD_ELEMENTS = ("//@class[contains(., 'msg-')]/parent::*["
                    + " or ".join(_cls(name) for name in _THREAD_CLASSES) + "]")
_THREAD_MARK_CLASSES = _THREAD_CLASSES[:4]
_CONNECTION_CARDS = ("//@class[contains(., 'mn-connection-card')]/parent::*["
                     + _cls("mn-connection-card") + "]")
_CONNECTIONS_LIST = ("//@data-view-name[.='connections-list']/parent::*"
                     "|//a[@data-view-name='connections-profile']")

_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _has_token(el, name: str) -> bool:
    """Python twin of ``_cls(name)``: XPath's normalize-space splits on XML whitespace only."""
    return name in _XML_SPACE.split(el.get("class") or "")


def _cached(page: Page, tree, key: str, compute: Callable):
    """``compute()`` once per page and tree: detect and extract run on the same Page."""
    store = page.__dict__.get("_linkedin_cache")
    if store is None or store[0] is not tree:
        store = (tree, {})
        page.__dict__["_linkedin_cache"] = store
    if key not in store[1]:
        store[1][key] = compute()
    return store[1][key]


def _profile_marks(page: Page, tree) -> bool:
    return _cached(page, tree, "profile_marks",
                   lambda: any(el.get("id") in ("experience", "about")
                               for el in _card_anchors(page, tree))
                   or bool(_xp(tree, _PROFILE_MARKS)))


def _card_anchors(page: Page, tree) -> list:
    """Every <… id="experience">, "about", "education" and "skills", in document order."""
    return _cached(page, tree, "card_anchors", lambda: _xp(tree, _CARD_ANCHORS))


def _thread_elements(page: Page, tree) -> list:
    return _cached(page, tree, "thread_elements", lambda: _xp(tree, _THREAD_ELEMENTS))


def _connection_cards(page: Page, tree) -> list:
    return _cached(page, tree, "connection_cards", lambda: _xp(tree, _CONNECTION_CARDS))


def _page_kind(page: Page) -> str | None:
    url = page.url if isinstance(page.url, str) else ""
    if _THREAD_URL.search(url):
        return "thread"
    if _PEOPLE_URL.search(url):
        return "people"
    if _PROFILE_URL.search(url):
        return "profile"
    return None


def detect(page: Page) -> bool:
    """A LinkedIn page of a kind this adapter reads, with the markup it reads. Never raises."""
    try:
        kind = _page_kind(page)
        tree = generic.page_tree(page)
        if kind is None or tree is None:
            return False
        if kind == "thread":
            return any(_has_token(el, name) for el in _thread_elements(page, tree)
                       for name in _THREAD_MARK_CLASSES)
        if kind == "people":
            return bool(_connection_cards(page, tree)) or bool(_xp(tree, _CONNECTIONS_LIST))
        if _profile_marks(page, tree):
            return True
        # this adapter never reads h-cards: read_standards leaves out mf2py, its costly step
        return generic.read_standards(page, hcards=False).person is not None
    except Exception:
        log.debug("linkedin.detect failed on %r", getattr(page, "url", None), exc_info=True)
        return False


def extract(page: Page) -> Extraction:
    kind = _page_kind(page)
    if kind is None:
        raise ExtractionError("not a LinkedIn profile, messaging thread or connections page")
    tree = generic.page_tree(page)
    if tree is None:
        raise ExtractionError("the page has no HTML elements")
    try:
        if kind == "thread":
            return _extract_thread(page, tree)
        if kind == "people":
            return _extract_people(page, tree)
        return _extract_profile(page, tree)
    except ExtractionError:
        raise
    except Exception as exc:  # a bug on a strange page: report it as this adapter's failure
        log.warning("linkedin.extract failed: %s", type(exc).__name__)
        log.debug("linkedin.extract failed", exc_info=True)
        raise ExtractionError(f"the page could not be read: {type(exc).__name__}") from exc


# -- profiles ---------------------------------------------------------------------------------

def _own_profile_url(page: Page, tree) -> tuple[str | None, str | None]:
    """(canonical /in/ URL, slug) of the profile the page shows."""
    from companion.urls import InvalidUrl, canonical_profile_url

    def candidates():
        yield page.url
        yield from _xp(tree, "//link[@rel='canonical']/@href")  # only when the URL is not one

    for candidate in candidates():
        try:
            found = canonical_profile_url(str(candidate))
        except InvalidUrl:
            continue
        if found.platform == "linkedin" and found.handle:
            return found.url, found.handle
    return None, None


def _section(page: Page, tree, anchor_id: str, headings: set[str]):
    """The profile card with this anchor (<div id="experience">), else the one headed so."""
    return _cached(page, tree, "section:" + anchor_id,
                   lambda: _find_section(page, tree, anchor_id, headings))


def _section_of(el):
    """The nearest <section> holding the element (as ``ancestor::section[1]``), or None. lxml's
    tag-filtered iterators run in C: cheaper than an XPath call for so simple a path."""
    return next(el.iterancestors("section"), None)


def _find_section(page: Page, tree, anchor_id: str, headings: set[str]):
    for anchor in (el for el in _card_anchors(page, tree) if el.get("id") == anchor_id):
        section = _section_of(anchor)
        if section is not None:
            return section
    for heading in _cached(page, tree, "section_headings", lambda: _xp(tree, "//section//h2")):
        text = (_text(heading) or "").lower()
        if text in headings:
            return _section_of(heading)
    return None


def _top_card(page: Page, tree):
    """The first of: (//h1[xl])[1]/ancestor::section[1], (//section[top-card-layout])[1],
    (//main//h1)[1]/ancestor::section[1] (the h1s from the page's one walk for rare tags)."""
    h1s = generic.page_tags(page).of("h1")
    first = next((h1 for h1 in h1s if "text-heading-xlarge" in (h1.get("class") or "")
                  and _has_token(h1, "text-heading-xlarge")), None)
    section = _section_of(first) if first is not None else None
    if section is not None:
        return section
    found = _xp(tree, "(//section[" + _cls("top-card-layout") + "])[1]")
    if found:
        return found[0]
    first = next((h1 for h1 in h1s if next(h1.iterancestors("main"), None) is not None), None)
    return _section_of(first) if first is not None else None


def _about(page: Page, tree) -> str | None:
    section = _section(page, tree, "about", _ABOUT_HEADINGS)
    if section is not None:
        for xpath in (".//*[" + _cls("inline-show-more-text") + "]",
                      ".//*[" + _cls("pv-shared-text-with-see-more") + "]",
                      ".//*[starts-with(@class, 'inline-show-more-text')]"):
            text = _first(_xp(section, xpath), lambda el: _text(el, generic.BIO_LIMIT))
            if text:
                return text
        # the card's text after its heading
        spans = [s for s in _xp(section, ".//span[@aria-hidden='true']") if not _xp(s, "ancestor::h2")]
        text = _first(spans, lambda el: _text(el, generic.BIO_LIMIT))
        if text:
            return text
    # logged out: <section class="summary"> / data-section="summary"
    for xpath in ("//section[@data-section='summary']//*[" + _cls("core-section-container__content") + "]",
                  "//section[" + _cls("summary") + "]//*[" + _cls("core-section-container__content") + "]"):
        text = _first(_xp(tree, xpath), lambda el: _text(el, generic.BIO_LIMIT))
        if text:
            return text
    return None


class _OwnLines:
    """The line elements of one pvs-list item, its own only (not those of a nested list), in
    document order, found in one walk of the item:

    * ``bolds``: as ``.//*[has_class('t-bold')]``;
    * ``normals``: as ``.//span[has_class('t-14') and has_class('t-normal')]``, without those
      whose classes (split as Python splits) hold t-black--light;
    * ``lights``: as ``.//span[has_class('t-black--light')]`` whose parent is not light itself.

    (Three XPath queries per item, each result then checked for a nested list above it, were
    most of this adapter's time on a profile page.)
    """

    __slots__ = ("bolds", "normals", "lights")

    def __init__(self, li):
        self.bolds: list = []
        self.normals: list = []
        self.lights: list = []
        self._walk(li)

    def _walk(self, parent) -> None:
        for el in parent:  # in document order: each element before its descendants
            tag = el.tag
            if not isinstance(tag, str):  # comments, processing instructions
                continue
            cls = el.get("class")
            if cls and "t-" in cls:
                self._sort(el, tag, cls)
            if tag != "ul" and tag != "ol" and len(el):  # a nested list's lines are its items'
                self._walk(el)

    def _sort(self, el, tag: str, cls: str) -> None:
        tokens = _XML_SPACE.split(cls)  # as XPath's normalize-space() splits (_has_token)
        if "t-bold" in tokens:
            self.bolds.append(el)
        if tag != "span":
            return
        if "t-14" in tokens and "t-normal" in tokens and "t-black--light" not in cls.split():
            self.normals.append(el)
        if "t-black--light" in tokens:
            parent = el.getparent()
            if parent is not None and "t-black--light" not in _classes(parent):
                self.lights.append(el)


def _holds_caption_wrapper(el) -> bool:
    """The element or one inside it has the class pvs-entity__caption-wrapper (as
    ``self::*[has_class(…)]|.//*[has_class(…)]``; a dates line is a few elements)."""
    return any("pvs-entity__caption-wrapper" in (d.get("class") or "")
               and _has_token(d, "pvs-entity__caption-wrapper")
               for d in el.iter() if isinstance(d.tag, str))


def _entry_lines(li, own: _OwnLines | None = None
                 ) -> tuple[str | None, str | None, str | None, list[str]]:
    """(bold line, normal line, caption, the other light lines) of one pvs-list item, its own
    lines only: the caption is the dates line, the other light lines a place."""
    own = own if own is not None else _OwnLines(li)
    bold = _first(own.bolds)
    normal = _first(own.normals)
    light = [(el, _text(el)) for el in own.lights]
    caption_el = next((el for el, text in light if text and _holds_caption_wrapper(el)), None)
    if caption_el is None:
        caption_el = next((el for el, text in light if _DATES.search(text or "")), None)
    caption = next((text for el, text in light if el is caption_el), None)
    others = [text for el, text in light if el is not caption_el and text]
    return bold, normal, caption, others


def _current_state(caption: str | None) -> bool | None:
    if not caption:
        return None
    return bool(_CURRENT.search(caption))


# "Apr 2021 - Present · 3 yrs", "2021年4月～現在 · 3年 8か月", "2012 - 2016"
_RANGE_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*[～〜~]\s*|(?<=\d)\s*[-–—]\s*(?=\d)")
_DURATION_TAIL = re.compile(r"\s+[·•]\s+.*$")
_DIGIT = re.compile(r"\d")
_WORKPLACE = re.compile(r"on-site|hybrid|remote|オンサイト|ハイブリッド|リモート", re.IGNORECASE)
_WORKPLACE_TAIL = re.compile(
    r"\s+[·•]\s+(?:on-site|hybrid|remote|オンサイト|ハイブリッド|リモート|在宅勤務)\s*$",
    re.IGNORECASE)


def _split_dates(caption: str | None) -> tuple[str | None, str | None, bool]:
    """(start, end, current) of a dates line as the page writes it; "Present" / 「現在」 is no end
    but makes the position current. A line without a range is its start."""
    if not caption:
        return None, None, False
    current = bool(_CURRENT.search(caption))
    head = _DURATION_TAIL.sub("", caption).strip()
    parts = [p.strip() for p in _RANGE_SEPARATOR.split(head, maxsplit=1)]
    start = parts[0] or None
    end = parts[1] if len(parts) > 1 and parts[1] else None
    if end and _CURRENT.fullmatch(end.strip()):
        end = None
    if start and _CURRENT.fullmatch(start):
        start = None
    return generic.clean_text(start), generic.clean_text(end), current


def _place(lines: list[str]) -> str | None:
    """The place among an entry's light lines ("London, England, United Kingdom",
    「日本 東京都 港区 · ハイブリッド」 without the workplace type)."""
    for line in lines:
        if _DATES.search(line) and _DIGIT.search(line):
            continue
        place = _WORKPLACE_TAIL.sub("", line).strip()
        if place and not _WORKPLACE.fullmatch(place):
            return generic.clean_text(place)
    return None


def _position(title, organisation, caption, location) -> tuple[Position, bool | None]:
    start, end, current = _split_dates(caption)
    return (Position(title=title, organisation=organisation, start=start, end=end,
                     current=current, location=location), _current_state(caption))


def _public_sections(page: Page, tree) -> list:
    return _cached(page, tree, "public_sections", lambda: _xp(tree, _PUBLIC_SECTIONS))


def _time_range(el) -> tuple[str | None, str | None, bool]:
    """(start, end, current) of a public profile's span.date-range: <time>Apr 2020</time> -
    Present<span>4 years 8 months</span>."""
    if el is None:
        return None, None, False
    times = [t for t in (_text(t) for t in _xp(el, ".//time")) if t]
    # its own text and the <time>s, not the duration span ("Present" runs into "4 years")
    text = generic.clean_text(" ".join(_xp(el, "./text()|./time//text()"))) or ""
    if not times:
        return _split_dates(text)
    current = bool(_CURRENT.search(text))
    return times[0], (times[1] if len(times) > 1 else None), current


def _positions(page: Page, tree) -> list[tuple[Position, bool | None]]:
    """Every position of the Experience card, newest first as listed, each with its current
    state (None: no dates line)."""
    return _cached(page, tree, "positions", lambda: _read_positions(page, tree))


def _read_positions(page: Page, tree) -> list[tuple[Position, bool | None]]:
    section = _section(page, tree, "experience", _EXPERIENCE_HEADINGS)
    positions: list[tuple[Position, bool | None]] = []
    if section is not None and section.get("data-section") is None:  # not the public page's
        for li in _xp(section, ".//li[not(ancestor::li)]"):
            bold, normal, caption, others = _entry_lines(li)
            if not bold:
                continue
            roles = [(r, own) for r in li.iterdescendants("li") for own in [_OwnLines(r)]
                     if own.bolds]
            if roles:  # one company, several roles: the company is the bold line
                group_place = _place(others)
                for role, own in roles:
                    title, _, role_caption, role_others = _entry_lines(role, own)
                    place = _place(role_others) or group_place
                    positions.append(_position(title, bold, role_caption, place))
            else:
                org = normal.split(" · ")[0].strip() if normal else None
                positions.append(_position(bold, org or None, caption, _place(others)))
        return positions
    # logged out public profile
    for public in _public_sections(page, tree):
        if public.get("data-section") != "experience":
            continue
        for item in _xp(public, ".//li"):
            title = _first(_xp(item, ".//*[" + _cls("experience-item__title") + " or "
                                      + _cls("profile-section-card__title") + "]"))
            org = _first(_xp(item, ".//*[" + _cls("experience-item__subtitle") + " or "
                                    + _cls("profile-section-card__subtitle") + "]"))
            dates = _xp(item, ".//*[" + _cls("date-range") + "]")
            place = _first(_xp(item, ".//*[" + _cls("experience-item__location") + "]"))
            if title:
                start, end, current = _time_range(dates[0] if dates else None)
                state = current if dates else None
                positions.append((Position(title=title, organisation=org, start=start, end=end,
                                           current=current, location=place), state))
    return positions


def _experience(page: Page, tree) -> tuple[str | None, str | None]:
    """(title, organisation) of the current position in the Experience card."""
    positions = _positions(page, tree)
    for position, current in positions:
        if current:
            return position.title, position.organisation
    if positions and all(current is None for _, current in positions):
        return positions[0][0].title, positions[0][0].organisation
    return None, None


def _education(page: Page, tree) -> list[School]:
    """The Education card's schools (school, degree and field line, years); on the logged-out
    page its education__list items."""
    schools: list[School] = []
    section = _section(page, tree, "education", _EDUCATION_HEADINGS)
    if section is not None and section.get("data-section") is None:  # not the public page's
        for li in _xp(section, ".//li[not(ancestor::li)]"):
            bold, normal, caption, _ = _entry_lines(li)
            if not bold:
                continue
            degree = normal if normal and normal != caption else None
            start, end, _ = _split_dates(caption)
            schools.append(School(name=bold, degree=degree, start=start, end=end))
        return schools
    for public in _public_sections(page, tree):
        if public.get("data-section") not in ("educationsDetails", "education"):
            continue
        for item in _xp(public, ".//li"):
            name = _first(_xp(item, ".//*[" + _cls("profile-section-card__title") + " or "
                                     + _cls("education__item--title") + "]"))
            if not name:
                continue
            parts = [t for t in (_text(el) for el in _xp(item, ".//*[@data-section='educations']"))
                     if t]
            degree = generic.clean_text(", ".join(parts)) if parts else _first(_xp(item, 
                ".//*[" + _cls("profile-section-card__subtitle") + "]"))
            dates = _xp(item, ".//*[" + _cls("date-range") + "]")
            start, end, _ = _time_range(dates[0] if dates else None)
            schools.append(School(name=name, degree=degree, start=start, end=end))
    return schools


def _skills(page: Page, tree) -> list[str]:
    """The Skills card's skill names (its endorsement lines, in nested lists, left out)."""
    section = _section(page, tree, "skills", _SKILLS_HEADINGS)
    if section is None:
        return []
    return generic.unique(_first(_OwnLines(li).bolds)
                          for li in _xp(section, ".//li[not(ancestor::li)]"))


def _jsonld_career(person: dict, ids: dict) -> tuple[list[Position], list[School]]:
    """The logged-out page's JSON-LD worksFor and alumniOf lists: organisation or school names
    with their OrganizationRole years."""
    def members(value) -> list:
        out, stack = [], list(reversed(value if isinstance(value, list) else [value]))
        while stack and len(out) < 100:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, str) and item in ids:
                out.append(ids[item])
            elif isinstance(item, dict) and set(item) == {"@id"} and item["@id"] in ids:
                out.append(ids[item["@id"]])
            elif item is not None:
                out.append(item)
        return out

    def years(org) -> tuple[str | None, str | None]:
        role = next((r for r in members(org.get("member")) if isinstance(r, dict)), {}) \
            if isinstance(org, dict) else {}
        return (generic.clean_text(str(role["startDate"])) if role.get("startDate") not in (None, "") else None,
                generic.clean_text(str(role["endDate"])) if role.get("endDate") not in (None, "") else None)

    def name(org) -> str | None:
        return generic.clean_text(org.get("name") if isinstance(org, dict) else org) \
            if isinstance(org, (dict, str)) else None

    positions = []
    for org in members(person.get("worksFor")):
        if name(org):
            start, end = years(org)
            positions.append(Position(organisation=name(org), start=start, end=end,
                                      current=end is None))
    schools = []
    for org in members(person.get("alumniOf")):
        if name(org):
            start, end = years(org)
            schools.append(School(name=name(org), start=start, end=end))
    return positions, schools


def _top_card_company(card) -> str | None:
    if card is None:
        return None
    for label_ in _xp(card, ".//*[@aria-label]/@aria-label"):
        match = _CURRENT_COMPANY_LABEL.match(str(label_))
        if match:
            return generic.clean_text(match.group(1))
    return None


def _same_person(url: str | None, own_url: str | None, known: dict | None = None) -> bool:
    """Whether ``url`` is the profile at ``own_url``; ``known``: the canonical URLs already
    worked out on this page (each link is tested twice)."""
    from companion.urls import InvalidUrl, canonical_profile_url

    if not url or not own_url:
        return False
    if known is None or url not in known:
        try:
            canonical = canonical_profile_url(url).url
        except InvalidUrl:
            canonical = None
        if known is None:
            return canonical == own_url
        known[url] = canonical
    return known[url] == own_url


# = //*[website]//a[@href] | //a[website][@href], and //section[contact-type]//a[@href]
_WEBSITE = "pv-top-card--website"
_CONTACT_TYPE = "pv-contact-info__contact-type"


def _contact_anchors(tags: generic.PageTags, html: str | None) -> list:
    """The links of the top card's website element and of the contact-info overlay's sections,
    in document order: ``//*[has_class(website)]/descendant-or-self::a[@href] |
    //section[has_class(contact-type)]//a[@href]``.

    Read from the page's <a> elements (its one walk for rare tags), each looking up its
    ancestors once: that XPath tests the class of every element in the page, which cost more
    than the rest of the top card's reading. ``html``, the page's source: a class name not
    written in it is on no element."""
    website = html is None or _WEBSITE in html
    contact_info = html is None or _CONTACT_TYPE in html
    if not (website or contact_info):
        return []
    marks: dict = {}
    return [a for a in tags.of("a") if a.get("href") is not None
            and any(_contact_marks(a, marks, website, contact_info))]


def _contact_marks(el, marks: dict, website: bool, contact_info: bool) -> tuple[bool, bool]:
    """(el or an ancestor has the website class, an ancestor is a contact-type <section>);
    ``marks`` keeps the answer for every element looked at, so that ancestors shared by many
    links are looked at once."""
    chain = []
    node = el
    while node is not None and node not in marks:
        chain.append(node)
        node = node.getparent()
    in_website, in_contact = marks[node] if node is not None else (False, False)
    for node in reversed(chain):  # from the outermost down
        cls = node.get("class") or ""
        in_website = in_website or (website and _WEBSITE in cls and _has_token(node, _WEBSITE))
        in_contact = in_contact or (contact_info and node.tag == "section" and _CONTACT_TYPE in cls
                                    and _has_token(node, _CONTACT_TYPE))
        marks[node] = (in_website, in_contact)
    return in_website, in_contact


def _contact_links(tags: generic.PageTags, base: str, own_url: str | None,
                   html: str | None = None, known: dict | None = None
                   ) -> tuple[list[str], list[str]]:
    """Websites of the top card and, when the contact-info overlay is open, its links and
    e-mail (the overlay's own-profile link left out); ``known`` as for ``_same_person``."""
    links: list[str] = []
    emails: list[str] = []
    for a in _contact_anchors(tags, html):
        href = a.get("href") or ""
        section = _section_of(a)
        if section is not None and "ci-vanity-url" in _classes(section):
            continue
        if href.strip().lower().startswith("mailto:"):
            email = generic.clean_email(href)
            if email and email not in emails:
                emails.append(email)
            continue
        url = _url(href, base)
        if url is None or _same_person(url, own_url, known) or url in links:
            continue
        links.append(url)
    return links, emails


def _canonical_urls(page: Page, tree) -> dict:
    """URL -> its canonical profile URL (None: not one), for this page's links."""
    return _cached(page, tree, "canonical_urls", dict)


def _avatar(card, base: str) -> str | None:
    if card is None:
        return None
    for xpath in (".//img[contains(@class, 'pv-top-card-profile-picture__image')]",
                  ".//img[" + _cls("profile-photo-edit__preview") + "]",
                  ".//img[" + _cls("top-card__profile-image") + "]"):
        for img in _xp(card, xpath):
            for attr in ("src", "data-delayed-url"):
                url = _url(img.get(attr), base)
                if url and "/aero-v1/" not in url and "ghost" not in url:
                    return url
    return None


# the top card's headline and location: each path with the class names it needs
_HEADLINE_PATHS = (
    (".//div[" + _cls("text-body-medium") + "]", ("text-body-medium",)),
    (".//h2[" + _cls("top-card-layout__headline") + "]", ("top-card-layout__headline",)),
)
_LOCATION_PATHS = (
    (".//span[" + _cls("text-body-small") + " and " + _cls("inline") + " and "
     + _cls("t-black--light") + "]", ("text-body-small", "inline", "t-black--light")),
    (".//*[" + _cls("top-card__subline-item") + "]", ("top-card__subline-item",)),
    (".//*[" + _cls("profile-info-subheader") + "]//span[1]", ("profile-info-subheader",)),
)


def _written(html: str | None, paths) -> str:
    """The union of the paths whose class names are all written in the page's source
    (``html``; None: every path). A path whose class is not written anywhere finds nothing, and
    ``.//*[…]`` ones test the class of every element they pass."""
    found = [path for path, names in paths
             if html is None or all(name in html for name in names)]
    return "|".join(found) or "/.."  # (the document node has no parent: an empty result)


def _site_profile(page: Page, tree, standards: generic.Standards) -> Profile:
    base = standards.base_url
    html = page.html if isinstance(page.html, str) else None
    card = _top_card(page, tree)
    url, slug = _own_profile_url(page, tree)
    name = None
    headline = location = None
    if card is not None:
        name = _first(card.iterdescendants("h1"))
        headline = _first(_xp(card, _written(html, _HEADLINE_PATHS)))
        location = _first(_xp(card, _written(html, _LOCATION_PATHS)))
    if not name and card is not None:
        title_text = _NOTIFICATION_COUNT.sub("", " ".join(_xp(tree, "//title//text()")))
        if _TITLE_SUFFIX.search(title_text):
            name = generic.strip_title_suffix(title_text, _TITLE_SUFFIX)
    title, organisation = _experience(page, tree)
    organisation = organisation or _top_card_company(card)
    links, emails = _contact_links(generic.page_tags(page), base, url, html,
                                   _canonical_urls(page, tree))
    return Profile(display_name=name or "", url=url, handle=slug, headline=headline,
                   organisation=organisation, title=title, location=location,
                   bio=_about(page, tree),
                   avatar_url=_avatar(card, base), links=links, emails=emails,
                   positions=[position for position, _ in _positions(page, tree)],
                   education=_education(page, tree), skills=_skills(page, tree))


def _extract_profile(page: Page, tree) -> Extraction:
    standards = generic.read_standards(page, hcards=False)
    if not _profile_marks(page, tree) and standards.person is None:
        raise ExtractionError("no profile on this LinkedIn page: no top card, no profile cards, "
                              "no schema.org Person")
    sources: list[Profile] = []
    site = _site_profile(page, tree, standards)
    if standards.person is not None:
        person = generic.jsonld_fields(standards.person, standards.base_url, standards.jsonld_ids)
        person.headline = None  # LinkedIn's disambiguatingDescription holds badges
        # the page's lists (titles, places, months) before JSON-LD's organisations and years
        person.positions, person.education = _jsonld_career(standards.person, standards.jsonld_ids)
        if site.positions:
            person.positions = []
        if site.education:
            person.education = []
        sources.append(person)
    sources.append(site)
    if standards.og_is_profile or standards.og("og:title"):
        og = generic.opengraph_fields(standards)
        # og:title is "<name> - <company> | LinkedIn" and og:description a summary, not a bio
        sources.append(Profile(display_name="", avatar_url=og.avatar_url))
    profile = generic.merge_profiles(*sources)
    if profile is None:
        raise ExtractionError("no name on this LinkedIn profile page")
    # the canonical www.linkedin.com/in/<slug> (the same person at jp.linkedin.com is one URL),
    # and the top card's place: JSON-LD's address drops the region and country
    profile.url = site.url or profile.url
    profile.location = site.location or profile.location
    known = _canonical_urls(page, tree)
    profile.links = [u for u in profile.links if not _same_person(u, profile.url, known)]
    profile.me_links = [u for u in standards.me_links
                        if not generic.same_url(u, page.url) and not generic.same_url(u, profile.url)]
    return generic.finish_extraction(profile, standards)


# -- messaging threads ------------------------------------------------------------------------

def _thread_key(page: Page) -> str:
    match = _THREAD_URL.search(page.url)
    return unquote(match.group(1)) if match else ""


def _body_text(el) -> str | None:
    return _text(el, 10000)


def _extract_thread(page: Page, tree) -> Extraction:
    base = generic.read_standards(page, hcards=False).base_url
    key = _thread_key(page)
    if not key:
        raise ExtractionError("no thread id in this LinkedIn messaging URL")
    warnings: list[str] = []
    participants: list[Profile] = []

    def add_participant(name: str | None, url: str | None) -> None:
        if not name and not url:
            return
        for p in participants:
            if (url and p.url == url) or (name and p.display_name == name and (not url or not p.url)):
                p.url = p.url or url
                if not p.display_name and name:
                    p.display_name = name
                return
        participants.append(Profile(display_name=name or "", url=url))

    elements = _thread_elements(page, tree)
    header_links = [el for el in elements if el.tag == "a" and el.get("href") is not None
                    and _has_token(el, "msg-thread__link-to-profile")]
    header_title = _first(el for el in elements if _has_token(el, "msg-entity-lockup__entity-title"))
    title = None
    if header_links:
        for a in header_links:
            name = _first(_xp(a, ".//*[" + _cls("msg-entity-lockup__entity-title") + "]")) \
                or header_title or _text(a)
            add_participant(name, _person_url(a.get("href"), base))
    elif header_title:
        title = header_title  # a group conversation's name

    messages: list[Message] = []
    day: str | None = None
    sender_name: str | None = None
    sender_url: str | None = None
    group_time: str | None = None
    unresolved = 0
    captured_at = page.captured_at if isinstance(page.captured_at, str) else None
    read = ("msg-s-message-list__time-heading", "msg-s-event-listitem--group-a11y-heading",
            "msg-s-message-group__meta", "msg-s-event-listitem__body")
    current_item = None
    for el in (el for el in elements if any(_has_token(el, name) for name in read)):
        classes = _classes(el)
        if "msg-s-message-list__time-heading" in classes:
            day = _text(el) or day
        elif "msg-s-event-listitem--group-a11y-heading" in classes:
            match = _SENT_HEADING.match(_text(el) or "")
            if match:
                heading_name = generic.clean_text(match.group(1) or match.group(2))
                if heading_name != sender_name:
                    sender_name, sender_url = heading_name, None
                add_participant(sender_name, None)
            time_match = re.search(r"(?:at|に)\s*((?:午前|午後)?\s*\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?)",
                                   _text(el) or "")
            if time_match:
                group_time = time_match.group(1)
        elif "msg-s-message-group__meta" in classes:
            name = _first(_xp(el, ".//*[" + _cls("msg-s-message-group__name") + "]"))
            link = None
            item = _xp(el, "ancestor::*[" + _cls("msg-s-event-listitem") + "][1]")
            for a in _xp(item[0] if item else el, ".//a[@href]"):
                link = _person_url(a.get("href"), base)
                if link:
                    break
            if name:
                sender_name, sender_url = name, link
            elif link:
                sender_url = link
            stamp = _xp(el, ".//time")
            if stamp:
                group_time = stamp[0].get("datetime") or _text(stamp[0]) or group_time
            add_participant(sender_name, sender_url)
        else:  # a message body
            text = _body_text(el)
            item = _xp(el, "ancestor::*[" + _cls("msg-s-event-listitem") + "][1]")
            item = item[0] if item else None
            if item is not None and item is current_item:
                # a second body part of the same message: join it to the last one
                if text and messages:
                    messages[-1].text = generic.clean_text(messages[-1].text + " " + text, 10000)
                continue
            current_item = item
            if not text:
                continue
            occurred = None
            if captured_at and group_time:
                occurred = (resolve_time(group_time, captured_at) if re.match(r"^\d{4}-\d{2}-\d{2}T", group_time)
                            else combine_day_and_time(day, group_time, captured_at) if day
                            else resolve_time(group_time, captured_at))
            if occurred is None:
                unresolved += 1
                continue
            urn = item.get("data-event-urn") if item is not None else None
            messages.append(Message(occurred_at=occurred, text=text, sender_name=sender_name,
                                    sender_url=sender_url, external_id=generic.clean_text(urn)))
    if unresolved:
        warnings.append(f"{unresolved} message(s) without a readable time skipped")
    if not messages and not participants:
        raise ExtractionError("no messages and no participants on this LinkedIn thread page")
    if not messages:
        warnings.append("no messages")
    thread = Thread(thread_key=key, participants=participants, messages=messages, title=title)
    return Extraction(kind="thread", thread=thread, warnings=warnings)


# -- the connections list ---------------------------------------------------------------------

def _card_of(link, href: str, base: str):
    """The largest ancestor of a profile link holding links to this person only."""
    card = link
    parent = link.getparent()
    while parent is not None and parent.tag not in ("body", "html", "main"):
        others = {_person_url(h, base) for h in _xp(parent, ".//a/@href")} - {None}
        if others != {href}:
            break
        card = parent
        parent = parent.getparent()
    return card


def _extract_people(page: Page, tree) -> Extraction:
    base = generic.read_standards(page, hcards=False).base_url
    people: list[Profile] = []
    seen: set[str] = set()
    classic = [el for el in _connection_cards(page, tree) if el.tag in ("li", "div")]
    if classic:
        for card in classic:
            link = _xp(card, ".//a[" + _cls("mn-connection-card__link") + "][@href]|.//a[@href]")
            url = _person_url(link[0].get("href"), base) if link else None
            name = _first(_xp(card, ".//*[" + _cls("mn-connection-card__name") + "]"))
            headline = _first(_xp(card, ".//*[" + _cls("mn-connection-card__occupation") + "]"))
            avatar = _first(_xp(card, ".//img/@src"), lambda src: _url(str(src), base))
            if name and (url is None or url not in seen):
                seen.add(url or name)
                people.append(Profile(display_name=name, url=url, headline=headline,
                                      avatar_url=avatar))
    else:
        links = _xp(tree, "//*[@data-view-name='connections-list']//a[@href]"
                           "|//a[@data-view-name='connections-profile'][@href]")
        for link in links:
            url = _person_url(link.get("href"), base)
            if url is None or url in seen:
                continue
            seen.add(url)
            card = _card_of(link, url, base)
            lines = [t for t in (_text(p) for p in _xp(card, ".//p")) if t]
            lines = [t for t in lines if not _CONNECTED_LINE.match(t)]
            name = next((_text(a) for a in _xp(card, ".//a[@href]") if _text(a) and
                         _person_url(a.get("href"), base) == url and not _xp(a, ".//p")), None)
            if not name and lines:
                name = lines[0]
            headline = next((t for t in lines if t != name), None)
            avatar = _first(_xp(card, ".//img/@src"), lambda src: _url(str(src), base))
            if name:
                people.append(Profile(display_name=name, url=url, headline=headline,
                                      avatar_url=avatar))
    if not people:
        raise ExtractionError("no connections on this LinkedIn connections page")
    warnings = []
    if any(p.headline is None for p in people):
        warnings.append("no headline for some connections")
    return Extraction(kind="people", people=people, warnings=warnings)
