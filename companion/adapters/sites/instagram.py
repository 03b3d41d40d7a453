"""Instagram profiles (https://www.instagram.com/<name>/).

Instagram pages carry OpenGraph, logged in or not:

* ``og:title``: "Name (@handle) • Instagram photos and videos" (Japanese UI:
  "Name (@handle) • Instagram写真と動画"; "@handle • …" when the account has no name);
* ``og:description``: "123 Followers, 45 Following, 6 Posts - See Instagram photos and videos
  from Name (@handle)" (Japanese: "フォロワー123人、フォロー中45人、投稿6件 - Name (@handle)さんの
  Instagram写真と動画をチェックしよう") — counts and boilerplate, never the bio;
* ``<meta name="description">``: the same counts, then "Name (@handle) on Instagram: "bio"" on
  some pages: the bio after the colon;
* ``og:image`` (the profile picture) and ``og:url``.

The profile header (``<header>`` in ``<main>``) adds what OpenGraph lacks, as public scrapers
and extensions read it (2019-2025 layouts): the handle in an ``h2`` (older pages: ``h1``), the
name in a ``span[dir=auto]`` (older: ``h1`` in the name block), the bio in an ``h1`` (2023) or a
``span[dir=auto]`` after the name (2024-), the external link(s) as ``a[rel="me nofollow noopener
noreferrer"]`` through ``l.instagram.com/?u=…``, and the picture as ``img[alt$="'s profile
picture"]`` (Japanese: "…のプロフィール写真"). Class names are not matched.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from companion.urls import InvalidUrl, canonical_profile_url

from .. import generic
from ..base import Extraction, ExtractionError, Page, Profile
from .facebook import unwrap_link

log = logging.getLogger(__name__)


_xp = generic.xpath  # el.xpath(expr), the expression compiled once per process

id = "instagram"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Instagram profiles"
version = "1"
kinds = ("profile",)
url_patterns = (r"^https?://((www|m)\.)?instagram\.com/[A-Za-z0-9._]+\/?([?#]|$)",)

_TITLE = re.compile(r"^(?:(?P<name>.*?)\s*)?\(@(?P<handle>[A-Za-z0-9._]{1,30})\)\s*(?:[•·|-].*)?$")
_TITLE_NO_NAME = re.compile(r"^@(?P<handle>[A-Za-z0-9._]{1,30})\s*(?:[•·|-].*)?$")
_STATS = re.compile(r"^[\d.,]+[KkMm万千億]?\s*(?:posts?|followers?|following)$|"
                    r"^(?:投稿|フォロワー|フォロー中)\s*[\d.,]+[万千億]?\s*(?:件|人)?$", re.I)
_PROFILE_PICTURE = re.compile(r"profile picture|プロフィール写真", re.I)


def _text(el, limit: int = generic.TEXT_LIMIT) -> str | None:
    try:
        return generic.clean_text(el.text_content(), limit) if el is not None else None
    except (AttributeError, ValueError):
        return None


def _url_handle(url: str) -> str | None:
    try:
        canon = canonical_profile_url(url)
    except InvalidUrl:
        return None
    return canon.handle if canon.platform == "instagram" else None


def _from_title(title: str | None) -> tuple[str | None, str | None]:
    """(name, handle) from og:title or the page title."""
    title = generic.clean_text(title)
    if not title:
        return None, None
    match = _TITLE.match(title)
    if match:
        return generic.clean_text(match["name"]), match["handle"]
    match = _TITLE_NO_NAME.match(title)
    if match:
        return None, match["handle"]
    return None, None


def _header(tree):
    for el in _xp(tree, "//main//header|//header[.//h2 or .//h1]"):
        return el
    return None


def _header_handle(header, handle: str | None) -> str | None:
    for h in _xp(header, ".//h2|.//h1"):
        text = (_text(h) or "").lstrip("@")
        if text and re.fullmatch(r"[A-Za-z0-9._]{1,30}", text) and (
                handle is None or text.lower() == handle.lower()):
            return text
    return None


def _header_name_and_bio(header, handle: str | None, og_read: bool,
                         og_name: str | None) -> tuple[str | None, str | None]:
    """(name, bio) from the header's text blocks that are not the handle, stats or buttons.

    When og:title was read, it says the name (or that there is none); otherwise the first
    span block is the name."""
    blocks = []
    for el in _xp(header, ".//h1|.//span[@dir='auto']|.//div[@dir='auto']"):
        if _xp(el, "ancestor::a|ancestor::button|ancestor::*[@role='button']|ancestor::ul"
                    "|ancestor::h2"):
            continue
        if _xp(el, ".//span[@dir='auto']|.//div[@dir='auto']") and el.tag != "h1":
            continue  # a wrapper: its inner blocks are read instead
        if any(a.tag == "h1" for a in el.iterancestors()):
            continue
        text = _text(el, generic.BIO_LIMIT)
        if not text or _STATS.match(text) or (handle and text.lower() == handle.lower()):
            continue
        blocks.append((el, text))
    name = og_name if og_read else None
    rest = []
    for el, text in blocks:
        if text == name:
            continue
        if not og_read and name is None and el.tag == "span" and len(text) <= generic.TEXT_LIMIT:
            name = text
        else:
            rest.append((el, text))
    # the bio is an h1 (2023) or a span (2024-); a div[dir=auto] is the category label
    # ("Photographer", 「写真家」) unless nothing else is there
    for tags in (("h1",), ("span",), ("div",)):
        for el, text in rest:
            if el.tag in tags:
                return name, text
    return name, None


def _meta_bio(tree, handle: str | None) -> str | None:
    for content in _xp(tree, "//meta[@name='description']/@content"):
        text = generic.clean_text(str(content), generic.BIO_LIMIT) or ""
        marker = f"(@{handle})" if handle else "(@"
        at = text.lower().find(marker.lower())
        if at < 0:
            continue
        rest = text[at + len(marker):]
        match = re.match(r"^\s*(?:on Instagram|のInstagram(?:アカウント)?|さんのInstagram(?:アカウント)?)"
                         r"\s*[:：]\s*(.+)$", rest)
        if match:
            bio = match.group(1).strip()
            for left, right in (('"', '"'), ("“", "”"), ("「", "」")):
                if bio.startswith(left) and bio.endswith(right) and len(bio) > 1:
                    bio = bio[1:-1]
            return generic.clean_text(bio, generic.BIO_LIMIT)
    return None


def _photo(tree, standards: generic.Standards, header, base: str) -> str | None:
    for key in ("og:image", "og:image:url", "og:image:secure_url"):
        for value in standards.opengraph.get(key, ()):
            url = generic.clean_url(value, base or None)
            if url:
                return url
    for img in _xp(header if header is not None else tree, ".//img[@src][@alt]"):
        if _PROFILE_PICTURE.search(img.get("alt") or ""):
            url = generic.clean_url(img.get("src"), base or None)
            if url:
                return url
    return None


def _links(header, base: str) -> tuple[list[str], list[str]]:
    links: list[str] = []
    me: list[str] = []
    if header is None:
        return links, me
    for a in _xp(header, ".//a[@href]"):
        href = a.get("href") or ""
        rel = (a.get("rel") or "").lower().split()
        if "me" not in rel and "l.instagram.com" not in href:
            continue
        url = unwrap_link(href, base)
        if not url or "instagram.com" in (urlsplit(url).hostname or ""):
            continue
        if url not in links:
            links.append(url)
        if "me" in rel and url not in me:
            me.append(url)
    return links, me


def _read(page: Page):
    tree = generic.page_tree(page)
    url = page.url if isinstance(page.url, str) else ""
    url_handle = _url_handle(url) if url else None
    if tree is None or url_handle is None:
        return None
    standards = generic.read_standards(page, hcards=False)  # h-cards are never read here
    og_name, og_handle = _from_title(standards.og("og:title"))
    if og_handle is None:
        title = _xp(tree, "//title")
        og_name, og_handle = _from_title(_text(title[0]) if title else None)
    if og_handle is not None and og_handle.lower() != url_handle.lower():
        og_name = og_handle = None  # OpenGraph of another account (a stale page): not this one
    header = _header(tree)
    header_handle = _header_handle(header, url_handle) if header is not None else None
    if og_handle is None and header_handle is None:
        return None
    return tree, standards, og_handle is not None, og_name, og_handle or header_handle, header


def detect(page: Page) -> bool:
    try:
        return _read(page) is not None
    except Exception:
        log.debug("instagram.detect failed on %r", getattr(page, "url", None), exc_info=True)
        return False


_WARN = (("url", "url"), ("handle", "handle"), ("bio", "bio"), ("avatar_url", "photo"))


def extract(page: Page) -> Extraction:
    try:
        read = _read(page)
    except Exception as exc:
        log.warning("instagram.extract failed: %s", type(exc).__name__)
        log.debug("instagram.extract failed", exc_info=True)
        raise ExtractionError(f"the page could not be read: {type(exc).__name__}") from exc
    if read is None:
        raise ExtractionError("no Instagram profile on this page: no og:title naming the "
                              "account and no profile header")
    tree, standards, og_read, og_name, handle, header = read
    base = standards.base_url or page.url
    name, bio = og_name, None
    if header is not None:
        name, bio = _header_name_and_bio(header, handle, og_read, og_name)
    bio = bio or _meta_bio(tree, handle)
    own = f"https://www.instagram.com/{handle.lower()}/"
    og_url = generic.clean_url(standards.og("og:url"), base or None)
    if og_url and (_url_handle(og_url) or "").lower() == handle.lower():
        own = og_url
    links, me_links = _links(header, base)
    profile = Profile(display_name=name or handle, url=own, handle=handle,
                      bio=bio, avatar_url=_photo(tree, standards, header, base),
                      links=[u for u in links if not generic.same_url(u, own)],
                      me_links=[u for u in me_links if not generic.same_url(u, own)])
    warnings = [f"no {label_}" for field_, label_ in _WARN if not getattr(profile, field_)]
    return Extraction(kind="profile", profile=profile, warnings=warnings + standards.warnings)
