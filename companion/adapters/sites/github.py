"""GitHub user profiles: ``https://github.com/<login>``.

What a capture of a user page holds (server-rendered HTML; the markup below is the one public
scrapers and test suites select, 2019-2025, see tests/fixtures/sites/github/):

* the sidebar ``<div class="h-card …" itemscope itemtype="http://schema.org/Person">`` with
  ``<h1 class="vcard-names">``: ``span.p-name.vcard-fullname`` (``itemprop="name"``, empty when
  the user set no name) and ``span.p-nickname.vcard-username`` (``itemprop="additionalName"``,
  the login);
* the avatar ``img.avatar.avatar-user`` (260 px, ``width-full``) inside ``a[itemprop=image]``
  (current layout) or ``a.u-photo`` (2019 layout); a 32 px copy sits in the sticky
  ``.user-profile-mini-vcard`` and is not the one taken;
* ``div.p-note.user-profile-bio`` (``data-bio-text`` holds the raw bio in newer pages);
* ``ul.vcard-details``: ``li[itemprop=worksFor]`` (``span.p-org``; ``aria-label="Organization:
  …"``), ``li[itemprop=homeLocation]`` (``span.p-label``; ``aria-label="Home location: …"``),
  ``li[itemprop=email]`` (``a.u-email``, logged-in visitors only), ``li[itemprop=url]``
  (``data-test-selector="profile-website-url"``, ``a[rel="nofollow me"]``) and one
  ``li[itemprop=social]`` per social account (``a[rel="nofollow me"]``);
* the head: ``og:type`` profile, ``og:title`` "<login> - Overview", ``profile:username``,
  ``og:image`` (the avatar), ``og:description`` (the bio, or "<login> has N repositories
  available. Follow their code on GitHub."), and ``<meta name="hovercard-subject-tag"
  content="user:<id>">``.

Organisation pages (``github.com/<org>``) have the same URL shape and the same OpenGraph
``og:type=profile``, but ``hovercard-subject-tag`` "organization:<id>" and an
``itemtype=…/Organization`` header, and no ``vcard-names``: they are not a person, so
``detect`` is False. (The generic adapter, tried after this one, still reads their OpenGraph as
a profile: see the org-page fixture.)

The generic h-card reading of the sidebar already gives name, login, bio, organisation and
location; this adapter reads the same elements directly (so that a page whose h-card parse fails
or differs still works), adds the avatar, website, social links and e-mail the h-card does not
mark up, and uses the h-card only to fill gaps. OpenGraph fills only the avatar: its description
is GitHub's boilerplate when there is no bio, and its title is "<login> - Overview".

Output: ``url`` is the canonical profile URL (``companion.urls``: lower-case login), ``handle``
the login as the page writes it, ``display_name`` the name, or the login when the user has none
(the page then shows only the login). An organisation written as a lone mention ("@github") loses
the "@". Website and social links go to ``links``; those marked ``rel=me`` (all of them, on
GitHub) also to ``me_links``. GitHub has no headline or job-title field: no warning for those.
"""

from __future__ import annotations

import re

import lxml.etree

from .. import generic
from ..base import Page, Profile
from ...urls import InvalidUrl, canonical_profile_url



_xp = generic.xpath  # el.xpath(expr), the expression compiled once per process

id = "github"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "GitHub user profiles"
version = "1"
kinds = ("profile",)
# github.com/<name> pages this adapter does not read (organisations, 404s) are nobody's: the
# generic adapter would take an organisation's profile-like OpenGraph for a person.
EXCLUSIVE = True
url_patterns = (r"^https?://(www\.)?github\.com/[A-Za-z0-9][A-Za-z0-9-]*\/?([?#].*)?$",)

_NOT_ON_SITE = ("no headline", "no job title")

_LONE_MENTION = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9-]*)$")
_LABEL_PREFIX = {"org": "Organization:", "location": "Home location:"}


def _cls(*names: str) -> str:
    return " and ".join(generic.has_class(n) for n in names)


def _text(el) -> str | None:
    if el is None:
        return None
    return generic.clean_text(generic.joined_text(el))


def _first(tree, xpath: str):
    found = _xp(tree, xpath)
    return found[0] if found else None


def _login_from_url(url: str) -> str | None:
    try:
        found = canonical_profile_url(url)
    except InvalidUrl:
        return None
    return found.handle if found.platform == "github" else None


def _is_org_page(tree) -> bool:
    for content in _xp(tree, "//meta[@name='hovercard-subject-tag']/@content"):
        if content.strip().lower().startswith("organization:"):
            return True
    return bool(_xp(tree, "//*[@itemscope][contains(@itemtype, 'schema.org/Organization')]"
                           "[not(ancestor::*[@itemscope])]"))


def _detail(li, kind: str) -> str | None:
    """A vcard-details entry's text: its inner span, else its aria-label without the prefix."""
    if li is None:
        return None
    inner = _first(li, ".//*[" + _cls("p-org" if kind == "org" else "p-label") + "]")
    text = _text(inner) or _text(li)
    if not text:
        label_ = generic.clean_text(li.get("aria-label"))
        prefix = _LABEL_PREFIX[kind]
        if label_ and label_.startswith(prefix):
            text = generic.clean_text(label_[len(prefix):])
    return text


# One walk of the document for every class-named element this adapter looks up; Python then
# applies the exact class-token test (``generic.has_class``: XPath's normalize-space splits on
# space, tab, CR and LF only). Each ``contains`` costs a copy of the attribute, so the walk tests
# ``-`` first (every name in _CLASSES has one; feed markup's short classes mostly have none) and
# the four substrings that cover _CLASSES only on the attributes that pass.
_CLASSES = ("vcard-names", "vcard-username", "vcard-fullname", "p-nickname", "user-profile-bio",
            "p-note", "h-card")
_CLASS_CANDIDATES = ("//@class[contains(., '-') and (contains(., 'vcard-') or contains(., 'p-n')"
                     " or contains(., 'user-profile-bio') or contains(., 'h-card'))]/..")
# and the vcard-details entries, ``//li[@itemprop or @data-test-selector='profile-website-url']``
# walked as attributes (no string is made for an element without them: half the cost).
_DETAIL_CANDIDATES = ("//@itemprop/parent::li"
                      " | //@data-test-selector[. = 'profile-website-url']/parent::li")
_XML_SPACE = re.compile("[ \t\n\r]+")


class _Found:
    """The first element (document order) of each lookup, as the document-wide XPaths
    ``//*[has_class(…)]`` and ``//li[@itemprop=…]`` would give it, from two walks."""

    def __init__(self, tree) -> None:
        first: dict[str, object] = {}
        self.login = self.bio = None
        for el in _xp(tree, _CLASS_CANDIDATES):
            tokens = set(_XML_SPACE.split(el.get("class") or "")).intersection(_CLASSES)
            if not tokens:
                continue
            for name in tokens:
                first.setdefault(name, el)
            if self.login is None and ("vcard-username" in tokens or (
                    "p-nickname" in tokens and el.get("itemprop") == "additionalName")):
                self.login = el
            if self.bio is None and ("user-profile-bio" in tokens or "p-note" in tokens):
                self.bio = el
        self.names = first.get("vcard-names")
        self.name = first.get("vcard-fullname")
        self.card = first.get("h-card")
        self.details = _xp(tree, _DETAIL_CANDIDATES)

    def detail(self, itemprop: str):
        return next((li for li in self.details if li.get("itemprop") == itemprop), None)


def _avatar(tree, card, base: str | None) -> str | None:
    if card is None:
        card = tree
    candidates = _xp(card, 
        ".//img[" + _cls("avatar-user") + "][not(ancestor::*[" + _cls("user-profile-mini-vcard")
        + "])]/@src | .//a[@itemprop='image']/@href")
    for src in candidates:
        url = generic.clean_url(src, base)
        if url:
            return url
    return None


# The h-card step of ``generic.read_standards`` (mf2py over the whole sidebar) is most of this
# adapter's cost, and the h-card partial only fills gaps: its name, URL and links are cleared
# below, so it can change the result only through a field the site reading left empty (handle,
# organisation, location, bio, avatar: the elements both read), or through the fields the site
# never gives: family-name, given-name, sort-string (reading), job-title/role, and e-mail (a
# list, so a union). mf2py takes properties from class tokens only, case-sensitively, by name
# (``p-family-name``…) or by the classic vCard name (``family-name``, ``title``, ``role``,
# ``email``); when no class attribute anywhere holds one of these substrings and the site gave
# the five others, the h-card would add nothing, and the other standards are read without it.
# (The class attributes joined by a space, which none of the names holds, are searched in
# Python: libxml2's contains() is several times slower than fetching them all.)
_HCARD_ONLY = ("family-name", "given-name", "sort-string", "title", "role", "email")
_ALL_CLASSES = lxml.etree.XPath("//@class", smart_strings=False)
def _hcard_may_add(site: Profile, tree) -> bool:
    if not (site.handle and site.organisation and site.location and site.bio
            and site.avatar_url):
        return True
    classes = " ".join(_ALL_CLASSES(tree))
    return any(name in classes for name in _HCARD_ONLY)


@generic.per_page
def _read(page: Page) -> tuple[Profile | None, list[str], str]:
    page_url = page.url if isinstance(page.url, str) else ""
    if not re.search(url_patterns[0], page_url):
        return None, [], "not a github.com user URL"
    tree = generic.page_tree(page)
    if tree is None:
        return None, [], "the page has no HTML elements"
    found = _Found(tree)
    names, login_el, name_el = found.names, found.login, found.name
    if names is None and login_el is None:
        if _is_org_page(tree):
            return None, [], "a GitHub organisation page, not a person"
        return None, [], "no GitHub user profile (no vcard-names) on this page"

    standards = generic.read_standards(page, hcards=False)
    base = standards.base_url or None

    login = _text(login_el) or generic.clean_text(standards.og("profile:username")) \
        or _login_from_url(page_url)
    if login:
        login = login.lstrip("@") or None
    display_name = _text(name_el) or login
    if not display_name:
        return None, [], "no name or login on this GitHub profile page"
    try:
        account = canonical_profile_url(f"https://github.com/{login}") if login else None
    except InvalidUrl:
        account = None
    if account is not None and account.platform != "github":
        account = None

    bio = None
    bio_el = found.bio
    if bio_el is not None:
        bio = generic.clean_text(bio_el.get("data-bio-text"), generic.BIO_LIMIT) \
            or generic.clean_text(generic.joined_text(bio_el), generic.BIO_LIMIT)

    organisation = _detail(found.detail("worksFor"), "org")
    mention = _LONE_MENTION.match(organisation or "")
    if mention:
        organisation = mention.group(1)
    location = _detail(found.detail("homeLocation"), "location")

    links: list[str] = []
    me_links: list[str] = []
    # as ``//li[@itemprop='url' or …]//a[@href]``: an ``a`` met twice (nested entries) adds
    # nothing the second time, both lists skipping a URL they hold.
    for li in found.details:
        if not (li.get("itemprop") in ("url", "social")
                or li.get("data-test-selector") == "profile-website-url"):
            continue
        for a in _xp(li, ".//a[@href]"):
            url = generic.clean_url(a.get("href"), base)
            if not url:
                continue
            if url not in links:
                links.append(url)
            if "me" in (a.get("rel") or "").lower().split() and url not in me_links:
                me_links.append(url)
    emails = []
    for li in found.details:
        if li.get("itemprop") != "email":
            continue
        for href in _xp(li, ".//a/@href"):
            email = generic.clean_email(href)
            if email and email not in emails:
                emails.append(email)

    avatar = _avatar(tree, found.card, base)
    if avatar is None:
        for value in standards.opengraph.get("og:image", ()):
            avatar = generic.clean_url(value, base)
            if avatar:
                break

    profile_url = account.url if account else None
    site = Profile(
        display_name=display_name,
        url=profile_url,
        handle=login,
        bio=bio,
        organisation=organisation,
        location=location,
        avatar_url=avatar,
        links=links,
        me_links=me_links,
        emails=emails,
    )
    partials: list[Profile | None] = [site]
    if not standards.hcards and standards.representative_hcard is None \
            and _hcard_may_add(site, tree):
        standards = generic.read_standards(page)  # the full reading, h-cards included
    if standards.representative_hcard is not None:
        card = generic.hcard_fields(standards.representative_hcard, standards.base_url, page_url)
        card.links, card.url, card.display_name = [], None, ""  # the site's reading decides these
        partials.append(card)
    profile = generic.merge_profiles(*partials)
    if profile is None:  # cannot happen: the site partial has a name
        return None, [], "no name on this GitHub profile page"
    profile.me_links = [u for u in generic.unique(profile.me_links + standards.me_links)
                        if not generic.same_url(u, page_url)
                        and not generic.same_url(u, profile.url)]
    return profile, list(standards.warnings), ""


detect, extract = generic.profile_reader(
    id, "GitHub user", _read, _NOT_ON_SITE,
    detect_doc="A github.com user page: the vcard-names sidebar (never an organisation page).")
