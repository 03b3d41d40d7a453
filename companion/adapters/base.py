"""What an adapter is, and the plain dataclasses it returns.

An adapter reads one captured page and returns an ``Extraction``: a ``Profile`` (one person) or a
``Thread`` (a conversation). It never fetches anything; it sees only the page the user saved.
Site adapters (issue 3) build on the generic adapter in ``generic.py``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Protocol, runtime_checkable

import lxml.etree
import lxml.html

Kind = Literal["profile", "thread", "people"]  # people: a list page (e.g. LinkedIn connections)
Direction = Literal["in", "out"]


@dataclass
class Position:
    """A job on a profile's career list (LinkedIn's Experience, Wantedly's 職歴)."""

    title: str | None = None
    organisation: str | None = None
    start: str | None = None            # as the page writes it ("2021年4月", "Apr 2021")
    end: str | None = None
    current: bool = False
    location: str | None = None


@dataclass
class School:
    """An entry of a profile's education list."""

    name: str
    degree: str | None = None           # degree and field of study, as the page writes them
    start: str | None = None
    end: str | None = None


@dataclass
class Profile:
    """One person as a page shows them. Every field but the name may be missing."""

    display_name: str
    url: str | None = None              # the profile's own URL, as the page states it
    handle: str | None = None           # @name, login, slug
    family_name: str | None = None
    given_name: str | None = None
    reading: str | None = None          # furigana / phonetic reading of the name
    headline: str | None = None
    organisation: str | None = None
    title: str | None = None            # job title
    location: str | None = None
    bio: str | None = None
    avatar_url: str | None = None
    links: list[str] = field(default_factory=list)      # websites and other profiles
    me_links: list[str] = field(default_factory=list)   # rel=me: the same person elsewhere
    emails: list[str] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)  # newest first, as pages list them
    education: list[School] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)


@dataclass
class Message:
    occurred_at: str                    # ISO 8601, UTC
    text: str
    sender_name: str | None = None
    sender_url: str | None = None
    direction: Direction | None = None  # None: decided from the user's own profiles
    external_id: str | None = None      # the site's id for the message, when it has one


@dataclass
class Thread:
    thread_key: str                     # stable id of the conversation on its site
    participants: list[Profile] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    title: str | None = None


@dataclass
class Extraction:
    kind: Kind
    profile: Profile | None = None      # kind == "profile"
    thread: Thread | None = None        # kind == "thread"
    people: list[Profile] = field(default_factory=list)  # kind == "people"
    warnings: list[str] = field(default_factory=list)  # fields the adapter could not find

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        if not data["people"]:
            del data["people"]  # only list pages have people; keeps fixtures to the point
        return data


class ExtractionError(Exception):
    """The adapter recognised the page but could not read what it needs from it.

    ``warnings`` says what it looked for and did not find; they are kept with the capture, so
    the capture-health list shows why a page needs attention."""

    def __init__(self, message: str, warnings: list[str] | None = None):
        super().__init__(message)
        self.warnings = list(warnings or [])


class Page:
    """A captured page: its URL, its HTML, and the parsed tree (parsed once, on first use)."""

    def __init__(self, url: str, html: str, title: str | None = None,
                 captured_at: str | None = None, kind_hint: str = "auto",
                 html_bytes: bytes | None = None):
        self.url = url
        self.html = html
        self._html_bytes = html_bytes  # the caller's UTF-8 encoding, to avoid a second one
        self.title = title
        self.captured_at = captured_at
        self.kind_hint = kind_hint
        # what the adapters have read from this page, so that detect() and extract() read it
        # once (generic.read_standards, generic.per_page…); it lives and dies with the page
        self.readings: dict = {}

    @cached_property
    def tree(self) -> lxml.html.HtmlElement | None:
        """The lxml tree, or None for a page with no elements at all."""
        if not self.html or self.html.isspace():  # (as "not html.strip()", without a copy)
            return None
        data = self._html_bytes
        # 0xED leads every surrogate that "surrogatepass" let through (and some Hangul): then
        # encode again, replacing lone surrogates, rather than hand lxml invalid UTF-8
        if data is None or b"\xed" in data:
            data = _utf8(self.html)
        try:
            # bytes, so that an XML encoding declaration does not make lxml refuse a str
            return lxml.html.document_fromstring(data, parser=_PARSER, base_url=self.url)
        except (lxml.etree.ParserError, ValueError):
            return None


def _utf8(text: str) -> bytes:
    """UTF-8 bytes; lone surrogates (JSON and JavaScript strings can carry them) become U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _html_class_lookup() -> lxml.etree.ElementNamespaceClassLookup:
    """The element classes lxml.html gives (``FormElement`` for <form>, ``InputElement``…,
    ``HtmlElement`` for every other tag, ``HtmlComment``…), chosen in C.

    lxml.html's own ``HtmlElementClassLookup`` is a Python method that lxml calls each time
    Python code first touches an element: on small pages that was a tenth of an adapter's
    time. The same table, as lxml's namespace and default lookups, costs nothing.
    """
    lookup = lxml.etree.ElementNamespaceClassLookup(lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    by_tag = lookup.get_namespace(None)  # HTML elements have no namespace
    # lxml.html's table (tests/companion/adapters/test_speed_helpers.py checks it is the same);
    # the HTML parser writes tag names in lower case
    by_tag.update({"form": lxml.html.FormElement, "input": lxml.html.InputElement,
                   "label": lxml.html.LabelElement, "select": lxml.html.SelectElement,
                   "textarea": lxml.html.TextareaElement})
    return lookup


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=False)
_PARSER.set_element_class_lookup(_html_class_lookup())


@runtime_checkable
class Adapter(Protocol):
    """The contract every adapter module fulfils (see companion/adapters/README.md)."""

    id: str
    label: str
    version: str
    kinds: tuple[Kind, ...]
    url_patterns: tuple[str, ...]  # regular expressions valid in Python and in JavaScript

    def detect(self, page: Page) -> bool: ...

    def extract(self, page: Page) -> Extraction: ...


def matches_url(adapter: Adapter, url: str) -> bool:
    return any(re.search(pattern, url) for pattern in adapter.url_patterns)
