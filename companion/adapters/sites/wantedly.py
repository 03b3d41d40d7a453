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
  → ``bio``; 「職歴」/"Work experience" → the current job (an entry whose period says 「現在」/
  "Present") gives ``organisation`` (its first line) and ``title`` (a line between it and the
  period); 「学歴」/"Education" and 「スキル」/"Skills" have no Profile field and are skipped;
  「リンク」/"Links" → ``links``;
* a labelled ``<dt>``/``<dd>`` pair 「居住地」/"Location" → ``location``;
* off-site links in the profile header (the block holding the ``<h1>`` and the avatar).

The fixtures in tests/fixtures/sites/wantedly/ are written with this assumed structure and say
so; when a real capture shows otherwise, fix the reading here and bump ``version``.

Output: ``url`` and ``handle`` are the canonical ones from ``companion.urls`` (lower-case user
id). No headline is read (the introduction is the bio), so "no headline" is not a warning.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from .. import generic
from ..base import Extraction, ExtractionError, Page, Profile
from ...urls import InvalidUrl, canonical_profile_url

log = logging.getLogger(__name__)

id = "wantedly"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Wantedly profiles"
version = "1"
kinds = ("profile",)
url_patterns = (r"^https?://(www\.|m\.)?wantedly\.com/id/[A-Za-z0-9_-]+\/?([?#].*)?$",)

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
_CURRENT = re.compile(r"現在|在籍中|現職|\bpresent\b", re.IGNORECASE)
_YEAR = re.compile(r"(19|20)\d{2}")
_CURRENT_ONLY = re.compile(r"^[-–〜~\s(（]*(現在|在籍中|現職|present)[\s)）]*$", re.IGNORECASE)


def _is_period(text: str) -> bool:
    """A job's period line ("2021年4月 - 現在", "Oct 2019 - Dec 2024"), not a description."""
    return (bool(_YEAR.search(text)) and len(text) <= 60) or bool(_CURRENT_ONLY.match(text))


_TITLE_SUFFIX = re.compile(r"\s*(のプロフィール)?\s*[-|｜–]\s*Wantedly.*$", re.IGNORECASE)
# block elements: a "leaf block" is one without block descendants; its text includes its
# inline children (<time>2021年4月</time> - 現在)
_BLOCK_TAGS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
                         "section", "article", "header", "ul", "ol", "blockquote"})


def _text(el) -> str | None:
    if el is None:
        return None
    return generic.clean_text(" ".join(t for t in el.itertext() if isinstance(t, str)))


def _key(text: str | None) -> str:
    return re.sub(r"[\s:：]+", "", (text or "")).casefold()


def _container(heading):
    """The element holding a section: the nearest <section>/<article>, else the parent."""
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("section", "article"):
            return ancestor
        if ancestor.tag in ("main", "body"):
            break
    return heading.getparent()


def _sections(tree) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    for heading in tree.xpath("//h2|//h3"):
        key = _SECTIONS.get(_key(_text(heading)))
        if key and key not in found:
            container = _container(heading)
            if container is not None:
                found[key] = (heading, container)
    return found


def _leaf_blocks(root, skip=None) -> list[str]:
    """Texts of the innermost text-bearing elements under root, in order (skip: a subtree)."""
    out: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCK_TAGS:
            continue
        if skip is not None and (el is skip or skip in el.iterancestors()):
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants()):
            continue
        text = generic.clean_text(" ".join(t for t in el.itertext() if isinstance(t, str)))
        if text:
            out.append(text)
    return out


def _current_job(container, heading) -> tuple[str | None, str | None]:
    entries = [e for e in container.xpath(".//li|.//article") if e is not heading]
    for entry in entries:
        if entry.xpath(".//li|.//article"):
            continue  # a list holding entries, not an entry
        blocks = _leaf_blocks(entry)
        # the period line says the job goes on; a description's words do not count
        if not any(_is_period(b) and _CURRENT.search(b) for b in blocks):
            continue
        organisation = title = None
        for block in blocks:
            if _is_period(block):
                break
            if organisation is None:
                organisation = block
            elif title is None:
                title = block
        if organisation:
            return organisation, title
    return None, None


# titles of the site's own pages (login wall, errors) that take the same "<x> | Site" form
_NOT_NAMES = frozenset({"ログイン", "ログインページ", "新規登録", "エラー", "ページが見つかりません",
                        "お探しのページは見つかりませんでした", "login", "log in", "sign in",
                        "sign up", "error", "page not found", "not found", "404", "500"})


def _name_from_title(text: str | None) -> str | None:
    text = generic.clean_text(text)
    if not text or not _TITLE_SUFFIX.search(text):
        return None
    name = generic.clean_text(_TITLE_SUFFIX.sub("", text))
    return None if (name or "").casefold() in _NOT_NAMES else name


def _says_wantedly(tree, standards) -> bool:
    if "wantedly" in (standards.og("og:site_name") or "").lower():
        return True
    for value in tree.xpath("//a/@href|//img/@src|//link/@href"):
        if re.match(r"^(https?:)?//([a-z0-9-]+\.)*wantedly\.com(/|$)", value.strip(), re.I):
            return True
    return False


def _off_site(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return not (host == "wantedly.com" or host.endswith(".wantedly.com"))


@generic.per_page
def _read(page: Page) -> tuple[Profile | None, list[str], str]:
    page_url = page.url if isinstance(page.url, str) else ""
    if not re.search(url_patterns[0], page_url):
        return None, [], "not a wantedly.com/id/ profile URL"
    tree = generic.page_tree(page)
    if tree is None:
        return None, [], "the page has no HTML elements"
    standards = generic.read_standards(page)
    base = standards.base_url or None
    sections = _sections(tree)

    doc_title = _text(next(iter(tree.xpath("//title")), None))
    title_name = _name_from_title(standards.og("og:title")) or _name_from_title(doc_title)
    h1 = next(iter(tree.xpath("//main//h1") or tree.xpath("//h1")), None)
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
            if ancestor.xpath(".//img"):
                header = ancestor
                break

    avatar = None
    scope = header if header is not None else tree
    for img in scope.xpath(".//img[@src]"):
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

    organisation = job_title = None
    if "work" in sections:
        organisation, job_title = _current_job(*reversed(sections["work"]))

    location = None
    for dt in tree.xpath("//dt"):
        if _key(_text(dt)) in _LOCATION_LABELS:
            dd = next(dt.itersiblings("dd"), None)
            location = _text(dd)
            if location:
                break

    links: list[str] = []
    anchors = []
    if header is not None:
        anchors += header.xpath(".//a[@href]")
    if "links" in sections:
        anchors += sections["links"][1].xpath(".//a[@href]")
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
    )
    profile = generic.merge_profiles(site, person)
    if profile is None:
        return None, [], "no name on this Wantedly profile page"
    page_me = [u for u in standards.me_links if not generic.same_url(u, page_url)]
    profile.me_links = [u for u in generic.unique(profile.me_links + page_me)
                        if not generic.same_url(u, profile.url)]
    return profile, list(standards.warnings), ""


def detect(page: Page) -> bool:
    """A wantedly.com/id/<user> page showing a person (a name, and Wantedly's title or
    profile sections)."""
    try:
        return _read(page)[0] is not None
    except Exception:
        log.debug("wantedly.detect failed on %r", getattr(page, "url", None), exc_info=True)
        return False


def extract(page: Page) -> Extraction:
    try:
        profile, warnings, why = _read(page)
    except Exception as exc:
        log.warning("wantedly.extract failed: %s", type(exc).__name__)
        log.debug("wantedly.extract failed", exc_info=True)
        raise ExtractionError(f"the page could not be read: {type(exc).__name__}") from exc
    if profile is None:
        raise ExtractionError(why or "no Wantedly profile on this page")
    missing = [w for w in generic.missing_field_warnings(profile) if w not in _NOT_ON_SITE]
    return Extraction(kind="profile", profile=profile,
                      warnings=generic.unique(missing + warnings))
