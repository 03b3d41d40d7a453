"""Wantedly profiles: ``https://www.wantedly.com/id/<user>``.

How well the markup is known: poorly. No public scraper, extension or test suite found (2025)
reads Wantedly *profile* pages (the public crawlers read job listings, ``/projects``); the only
hint is a search-result parser that strips page titles of the forms "<名前>のプロフィール -
Wantedly" and "<名前> | Wantedly". Wantedly renders with React and generated (hashed) class
names, which change with every build, so this adapter does not rely on class names at all. It
reads what any rendering of the page must show:

* the person's name: the page's ``<h1>``, else the ``og:title`` / ``<title>`` without the
  Wantedly suffix (also "のプロフィール"), else a schema.org Person (generic);
* the avatar: the ``<img>`` whose ``alt`` is the name, else ``og:image``;
* sections found by their heading text (Japanese UI first, English UI too): 「自己紹介」/"About me"
  → ``bio``; 「職歴」/"Work experience" → ``positions``, every entry (an ``<li>``/``<article>``)
  in the page's order (newest first): its first line is the organisation, a line between it and
  the period line the job title, the period line ("2021年4月 - 現在") gives ``start``/``end``
  as written, and an end of 「現在」/"Present" makes it ``current`` (end None); the first current
  job is also the profile's ``organisation`` and ``title``; 「学歴」/"Education" → ``education``
  (school, then faculty/degree lines joined, then the years); 「スキル」/「スキル・特徴」/"Skills" →
  ``skills`` (each tag's text, without a bare endorsement count); 「リンク」/"Links" → ``links``;
* a labelled ``<dt>``/``<dd>`` pair 「居住地」/"Location" → ``location``;
* off-site links in the profile header (the block holding the ``<h1>`` and the avatar).

The fixtures in tests/fixtures/sites/wantedly/ are written with this assumed structure and say
so; when a real capture shows otherwise, fix the reading here and bump ``version``.

Output: ``url`` and ``handle`` are the canonical ones from ``companion.urls`` (lower-case user
id). No headline is read (the introduction is the bio), so "no headline" is not a warning.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .. import career, generic
from ..base import Page, Position, Profile, School
from ...urls import InvalidUrl, canonical_profile_url



_xp = generic.xpath  # el.xpath(expr), the expression compiled once per process

id = "wantedly"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Wantedly profiles"
version = "2"
kinds = ("profile",)
url_patterns = (r"^https?://(www\.|m\.)?wantedly\.com/id/[A-Za-z0-9_-]+\/?([?#].*)?$",)

_URL = re.compile(url_patterns[0])
_NOT_ON_SITE = ("no headline",)

# Section headings (compared without spaces, case-folded) -> section key.
_SECTIONS = {
    "自己紹介": "about", "aboutme": "about", "about": "about", "introduction": "about",
    "職歴": "work", "経歴": "work", "workexperience": "work", "experience": "work",
    "workhistory": "work",
    "学歴": "education", "education": "education",
    "スキル": "skills", "スキル・特徴": "skills", "skills": "skills",
    "リンク": "links", "links": "links",
}
_LOCATION_LABELS = frozenset({"居住地", "所在地", "住まい", "拠点", "活動拠点", "location",
                              "livesin", "basedin"})
_TITLE_SUFFIX = re.compile(r"\s*(のプロフィール)?\s*[-|｜–]\s*Wantedly.*$", re.IGNORECASE)
# block elements: a "leaf block" is one without block descendants; its text includes its
# inline children (<time>2021年4月</time> - 現在)
_BLOCK_TAGS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
                         "section", "article", "header", "ul", "ol", "blockquote"})
_BLOCK_TAG_NAMES = tuple(sorted(_BLOCK_TAGS))  # for lxml's iter(), which filters in C


def _text(el) -> str | None:
    if el is None:
        return None
    return generic.clean_text(generic.joined_text(el))


_KEY_DROPS = re.compile(r"[\s:：]+")


def _key(text: str | None) -> str:
    return _KEY_DROPS.sub("", (text or "")).casefold()


def _container(heading):
    """The element holding a section: the nearest <section>/<article>, else the parent."""
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("section", "article"):
            return ancestor
        if ancestor.tag in ("main", "body"):
            break
    return heading.getparent()


def _sections(tags: generic.PageTags) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    for heading in tags.of("h2", "h3"):
        key = _SECTIONS.get(_key(_text(heading)))
        if key and key not in found:
            container = _container(heading)
            if container is not None:
                found[key] = (heading, container)
    return found


def _leaf_blocks(root, skip=None) -> list[str]:
    """Texts of the innermost text-bearing elements under root, in order (skip: a subtree)."""
    blocks = list(root.iter(_BLOCK_TAG_NAMES))  # root included, in document order
    # the elements holding a block: each block marks its ancestors up to root, stopping at one
    # already marked (whose own ancestors are then marked too); one pass instead of a search
    # of every block's descendants
    holding: set = set()
    for block in blocks:
        node = block
        while node is not root:
            node = node.getparent()
            if node is None or node in holding:
                break
            holding.add(node)
    out: list[str] = []
    for el in blocks:
        if el in holding:
            continue
        if skip is not None and (el is skip or skip in el.iterancestors()):
            continue
        text = generic.clean_text(generic.joined_text(el))
        if text:
            out.append(text)
    return out


def _entries(container, heading) -> list[list[str]]:
    """The leaf blocks of each entry (an <li> or <article> holding no other) of a section."""
    out = []
    for entry in _xp(container, ".//li|.//article"):
        if entry is heading or next(entry.iterdescendants("li", "article"), None) is not None:
            continue  # a list holding entries, not an entry
        blocks = _leaf_blocks(entry)
        if blocks:
            out.append(blocks)
    return out


def _split_entry(blocks: list[str]) -> tuple[list[str], tuple | None]:
    """The lines before an entry's period line (name, role / degree), and the period. Lines after
    the period are a description."""
    head: list[str] = []
    for block in blocks:
        period = career.read_period(block)
        if period is not None:
            return head, period
        head.append(block)
    return head, None


def _positions(container, heading) -> list[Position]:
    """Every 職歴 entry, in the page's order (newest first): its first line is the organisation,
    the next line before the period the job title."""
    positions = []
    for blocks in _entries(container, heading):
        head, period = _split_entry(blocks)
        if not head or (period is None and len(head) > 2):
            continue  # no organisation, or a free text that is not an entry
        start, end, current = period or (None, None, False)
        positions.append(Position(organisation=head[0], title=head[1] if len(head) > 1 else None,
                                  start=start, end=end, current=current))
    return positions


def _schools(container, heading) -> list[School]:
    """Every 学歴 entry: the school, then its faculty / degree lines, then the years."""
    schools = []
    for blocks in _entries(container, heading):
        head, period = _split_entry(blocks)
        if not head or (period is None and len(head) > 2):
            continue
        start, end, _ = period or (None, None, False)
        schools.append(School(name=head[0], degree=generic.clean_text(" ".join(head[1:])) or None,
                              start=start, end=end))
    return schools


_COUNT = re.compile(r"^[+＋]?\d+$")


def _skills(container, heading) -> list[str]:
    """The skill tags of the スキル section; a bare number beside a tag (endorsements) is no
    part of it."""
    entries = [e for e in _xp(container, ".//li") if not _xp(e, ".//li")]
    texts = []
    for entry in entries:
        pieces = [generic.clean_text(t) for t in entry.itertext()]
        texts.append(generic.clean_text(" ".join(p for p in pieces if p and not _COUNT.match(p))))
    if not entries:
        texts = _leaf_blocks(container, skip=heading)
    return generic.unique(t for t in texts if t)


def _says_wantedly(tree, standards) -> bool:
    if "wantedly" in (standards.og("og:site_name") or "").lower():
        return True
    for value in _xp(tree, "//a/@href|//img/@src|//link/@href"):
        if re.match(r"^(https?:)?//([a-z0-9-]+\.)*wantedly\.com(/|$)", value.strip(), re.I):
            return True
    return False


def _off_site(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return not (host == "wantedly.com" or host.endswith(".wantedly.com"))


@generic.per_page
def _read(page: Page) -> tuple[Profile | None, list[str], str]:
    page_url = page.url if isinstance(page.url, str) else ""
    if not _URL.search(page_url):
        return None, [], "not a wantedly.com/id/ profile URL"
    tree = generic.page_tree(page)
    if tree is None:
        return None, [], "the page has no HTML elements"
    standards = generic.read_standards(page, hcards=False)  # h-cards are never read here
    base = standards.base_url or None
    tags = generic.page_tags(page)  # the page's elements of rare tags, from one walk
    sections = _sections(tags)

    doc_title = _text(next(iter(tags.of("title")), None))
    title_name = (generic.name_from_title(standards.og("og:title"), _TITLE_SUFFIX)
                  or generic.name_from_title(doc_title, _TITLE_SUFFIX))
    h1s = tags.of("h1")  # the first inside a <main> (//main//h1), else the first
    h1 = next((h for h in h1s if next(h.iterancestors("main"), None) is not None),
              next(iter(h1s), None))
    h1_name = _text(h1)
    person = (generic.jsonld_fields(standards.person, standards.base_url, standards.jsonld_ids)
              if standards.person is not None else None)
    # a page that is Wantedly's profile: its title says so, or it says it is Wantedly's (site
    # name, absolute links or images on wantedly.com) and shows the profile's sections
    if not (title_name or (sections and _says_wantedly(tree, standards))):
        return None, [], "no Wantedly profile (no profile title or sections) on this page"
    display_name = h1_name or title_name or (person.display_name if person else None)
    if not display_name:
        return None, [], "no name on this Wantedly profile page"

    try:
        account = canonical_profile_url(page_url)
    except InvalidUrl:
        account = None
    if account is not None and (account.platform != "wantedly" or not account.handle):
        account = None

    # the header: the smallest ancestor of the <h1> that also holds an image
    header = None
    if h1 is not None:
        for ancestor in list(h1.iterancestors())[:4]:
            if ancestor.tag in ("main", "body"):
                break
            if _xp(ancestor, ".//img"):
                header = ancestor
                break

    avatar = None
    scope = header if header is not None else tree
    for img in _xp(scope, ".//img[@src]"):
        if generic.clean_text(img.get("alt")) == display_name:
            avatar = generic.clean_url(img.get("src"), base)
            if avatar:
                break
    if avatar is None:
        for value in standards.opengraph.get("og:image", ()):
            avatar = generic.clean_url(value, base)
            if avatar:
                break

    bio = None
    if "about" in sections:
        heading, container = sections["about"]
        blocks = _leaf_blocks(container, skip=heading)
        bio = generic.clean_text(" ".join(blocks), generic.BIO_LIMIT) if blocks else None
    bio = bio or standards.og("og:description")

    positions = _positions(*reversed(sections["work"])) if "work" in sections else []
    education = _schools(*reversed(sections["education"])) if "education" in sections else []
    skills = _skills(*reversed(sections["skills"])) if "skills" in sections else []
    # the current job (the first entry marked 「現在」/"Present") is the organisation and title
    current = next((p for p in positions if p.current), None)
    organisation = current.organisation if current else None
    job_title = current.title if current else None

    location = None
    for dt in tags.of("dt"):
        if _key(_text(dt)) in _LOCATION_LABELS:
            dd = next(dt.itersiblings("dd"), None)
            location = _text(dd)
            if location:
                break

    links: list[str] = []
    anchors = []
    if header is not None:
        anchors += _xp(header, ".//a[@href]")
    if "links" in sections:
        anchors += _xp(sections["links"][1], ".//a[@href]")
    for a in anchors:
        url = generic.clean_url(a.get("href"), base)
        if url and _off_site(url) and url not in links:
            links.append(url)

    site = Profile(
        display_name=display_name,
        url=account.url if account else None,
        handle=account.handle if account else None,
        organisation=organisation,
        title=job_title,
        location=location,
        bio=bio,
        avatar_url=avatar,
        links=links,
        positions=positions,
        education=education,
        skills=skills,
    )
    profile = generic.merge_profiles(site, person)
    if profile is None:
        return None, [], "no name on this Wantedly profile page"
    page_me = [u for u in standards.me_links if not generic.same_url(u, page_url)]
    profile.me_links = [u for u in generic.unique(profile.me_links + page_me)
                        if not generic.same_url(u, profile.url)]
    return profile, list(standards.warnings), ""


detect, extract = generic.profile_reader(
    id, "Wantedly", _read, _NOT_ON_SITE,
    detect_doc="A wantedly.com/id/<user> page showing a person (a name, and Wantedly's title or profile sections).")
