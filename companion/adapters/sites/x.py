"""X (Twitter): profiles and DM conversations.

What it reads (the hooks are X's ``data-testid`` attributes, which survive trimming and which
public scrapers and userscripts have relied on for years; see docs/CAPTURE.md):

* ``https://x.com/<handle>`` (also twitter.com, mobile.twitter.com, and the profile's tabs
  ``/with_replies``, ``/media``, ``/likes``, ``/highlights``, ``/articles``):

  - the ``ProfilePage`` JSON-LD X puts in the head (``<script type="application/ld+json"
    data-testid="UserProfileSchema-test">``, served to logged-in and logged-out views):
    ``mainEntity`` (older pages: ``author``) is a ``Person`` whose ``givenName`` is the whole
    display name (never a given name: it is not recorded as one), ``additionalName`` the handle,
    ``description`` the bio, ``homeLocation.name`` the location, ``image.contentUrl`` the photo;
    ``relatedLink`` the website;
  - the profile header: ``UserName`` (display name, then ``@handle``), ``UserDescription``,
    ``UserProfileHeader_Items`` with ``UserLocation`` / ``UserUrl`` (a t.co link whose text is
    the real address) / ``UserJoinDate`` (no Profile field: not read), and the photo under
    ``UserAvatar-Container-<handle>`` (or the ``/<handle>/photo`` link). Emoji are ``<img>``
    elements whose ``alt`` is the character; they are read as text.

  A suspended or non-existent account shows no name: ``detect`` is false and ``extract``
  raises ``ExtractionError`` saying so. A protected account shows its header as usual.

* ``https://x.com/messages/<id1>-<id2>`` (a group: ``/messages/<id>``): a DM conversation.
  ``thread_key`` is the conversation id from the URL. Messages are the ``messageEntry``
  elements of the conversation pane (the inbox list beside it, ``[data-testid=conversation]``,
  is ignored); text from ``tweetText``. X marks the other party's messages with a
  ``DM_Conversation_Avatar`` link to their profile and gives the user's own messages none
  (public DM scrapers tell them apart exactly so). X groups a run of messages: the avatar and the
  time line stand under the last message of the run, so a message with neither takes the sender
  and time of the run's last message. Times are the text under a run ("10:42 AM",
  "Yesterday, 9:15 PM", "Nov 20, 2026, 3:05 PM", 「午後3:05」, 「昨日 21:15」, 「3時間」), a
  ``<time datetime>`` when there is one, combined with a day separator ("Today", 「昨日」,
  「11月24日」) when the text is a bare time; all resolved against ``page.captured_at``. The user's
  own account is read from the side navigation (``AppTabBar_Profile_Link``,
  ``SideNav_AccountSwitcher_Button``) and is the sender of their own messages. ``direction``
  stays None (the page marks it only by layout) and ``external_id`` None (X's DM markup carries
  no message id).
"""

from __future__ import annotations

import logging
import re
from typing import Iterable
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import generic
from ..base import Extraction, ExtractionError, Message, Page, Profile, Thread
from ..reltime import combine_day_and_time, resolve_time

log = logging.getLogger(__name__)

id = "x"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "X (Twitter) profiles and DM conversations"
version = "1"
kinds = ("profile", "thread")

_HOST = r"^https?://((www|mobile|m)\.)?(x|twitter)\.com"
url_patterns = (
    _HOST + r"/messages/[0-9]+(-[0-9]+)?/?([?#]|$)",
    _HOST + r"/@?[A-Za-z0-9_]{1,15}(/(with_replies|media|likes|highlights|articles))?/?([?#]|$)",
)
# Pages that are conversations: the extension offers "Save conversation" there.
thread_url_patterns = (url_patterns[0],)

_THREAD_URL = re.compile(r"^https?://(?:(?:www|mobile|m)\.)?(?:x|twitter)\.com"
                         r"/messages/([0-9]+(?:-[0-9]+)?)/?(?:[?#]|$)")
_PROFILE_URL = re.compile(url_patterns[1])
_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
# the first path segments X uses for itself, never a person (as in companion/urls.py)
_RESERVED = frozenset({
    "home", "explore", "messages", "i", "settings", "search", "notifications", "compose", "login",
    "logout", "signup", "account", "tos", "privacy", "rules", "hashtag", "intent", "share",
    "bookmarks", "lists", "communities", "jobs", "premium", "about", "download", "oauth",
    "who_to_follow", "topics", "sessions", "flow", "following", "followers", "verified_followers",
})
_TITLE_SUFFIX = re.compile(r"\s*\(@[A-Za-z0-9_]{1,15}\)\s*/\s*(?:X|Twitter)$")
_SUSPENDED = re.compile(r"suspended|凍結", re.I)
_MISSING = re.compile(r"doesn.t exist|does not exist|存在しません", re.I)
# the fields an X profile can have (X has no headline, organisation or job title fields)
_WARN_FIELDS = (("url", "url"), ("handle", "handle"), ("location", "location"), ("bio", "bio"),
                ("avatar_url", "photo"))


# -- small helpers ----------------------------------------------------------------------------

def _testid(name: str) -> str:
    return f"[@data-testid='{name}']"


# XPath compiled once: ``el.xpath(expr)`` compiles its expression on every call, which cost more
# than the evaluation on X's small DM pages. ``_has(attr, value)`` is ``[@attr='value']`` written
# as a step to the attribute and back (``*/@attr[.='value']/parent::*``): the same elements, and
# libxml2 finds them about three times faster than with a predicate on every element.
def _has(attr: str, value: str) -> str:
    return f"/@{attr}[.='{value}']/parent::*"


def _tid(value: str) -> str:
    return _has("data-testid", value)


_X_DIR = etree.XPath(".//*[@dir]")
_X_SPAN = etree.XPath(".//span")
_X_IN_FOLLOW_INDICATOR = etree.XPath("ancestor-or-self::*" + _tid("userFollowIndicator"))
_X_ALL_ENTRIES = etree.XPath("/" + _tid("messageEntry"))  # //@data-testid[...]/parent::*
_X_ENTRY_SHOWS_MESSAGE = etree.XPath("boolean(.//*" + _tid("tweetText") + " or .//a"
                                     + _tid("DM_Conversation_Avatar") + ")")
_X_SECTION = etree.XPath("ancestor::section[1]")
_X_PROFILE_LINK_HREF = etree.XPath("//a" + _testid("AppTabBar_Profile_Link") + "/@href")
_X_SWITCHER = etree.XPath("/" + _tid("SideNav_AccountSwitcher_Button"))
_X_AVATAR_CONTAINERS = etree.XPath(".//*[starts-with(@data-testid, 'UserAvatar-Container-')]")
_X_IMG_SRC = etree.XPath(".//img/@src")
_X_IMG_ALT = etree.XPath(".//img/@alt")
_X_TIME_DATETIME = etree.XPath(".//time/@datetime")
_X_ARIA_LABELS = etree.XPath(".//@aria-label")
_X_DM_AVATARS = etree.XPath(".//a" + _tid("DM_Conversation_Avatar"))
_X_IN_CONVERSATION = etree.XPath("ancestor::*" + _tid("conversation"))
_X_HEADER_IN = etree.XPath(".//*" + _has("id", "detail-header"))
_X_HEADER = etree.XPath("/" + _has("id", "detail-header"))
_X_CARDS = etree.XPath(".//*" + _tid("DmScrollerContainer") + "//a[@href]")
_X_IN_ENTRY = etree.XPath("ancestor::*" + _tid("messageEntry"))
# the outermost messageEntry elements and the cellInnerDiv elements holding none, in page order
_X_ENTRIES_AND_DAY_CELLS = etree.XPath(
    ".//*" + _tid("messageEntry") + "[not(ancestor::*" + _tid("messageEntry") + ")]"
    "|.//*" + _tid("cellInnerDiv") + "[not(.//*" + _tid("messageEntry") + ")]")
_X_IN_TIME_SKIP = etree.XPath("boolean(ancestor-or-self::*/@data-testid"
                              "[.='tweetText' or .='DM_Conversation_Avatar'])")
_X_TWEET_TEXT = etree.XPath(".//*" + _tid("tweetText"))
_X_AVATAR_HREF = etree.XPath(".//a" + _tid("DM_Conversation_Avatar") + "/@href")
_X_HOST = re.compile(r"(^|\.)(x|twitter)\.com$")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_TIME_SEPARATORS = re.compile(r"[·•]")
_TIME_SKIP_TESTIDS = frozenset({"tweetText", "DM_Conversation_Avatar"})


def _is_emoji(img) -> bool:
    alt = img.get("alt") or ""
    src = img.get("src") or ""
    return bool(alt) and ("/emoji/" in src or (len(alt) <= 8 and not alt.isascii()))


def _raw_text(el, skip_testids: Iterable[str] = ()) -> str:
    """The text of an element as shown: emoji <img> give their alt, <br> a line break;
    svg, script, style and the subtrees whose data-testid is in ``skip_testids`` give nothing."""
    parts: list[str] = []
    _walk_text(el, set(skip_testids), parts)
    return "".join(parts)


def _walk_text(node, skip: set, parts: list[str]) -> None:
    # a module function: a nested recursive one is a reference cycle left for the collector
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag == "img":
        if _is_emoji(node):
            parts.append(node.get("alt") or "")
    elif tag == "br":
        parts.append("\n")
    elif tag in ("svg", "script", "style", "template") or not tag:
        pass
    elif node.get("data-testid") in skip:
        pass
    else:
        if node.text:
            parts.append(node.text)
        for child in node:
            _walk_text(child, skip, parts)
            if child.tail:
                parts.append(child.tail)


def _text(el, limit: int = generic.TEXT_LIMIT, skip: Iterable[str] = ()) -> str | None:
    return generic.clean_text(_raw_text(el, skip), limit) if el is not None else None


def _first(elements):
    return elements[0] if elements else None


def _handle_of_href(href: str | None) -> str | None:
    """"/someone", "https://x.com/someone" -> "someone"; None for X's own pages."""
    if not href:
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.netloc and not _X_HOST.search(parts.netloc.lower()):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 1:
        return None
    name = unquote(segments[0]).removeprefix("@")
    if not _HANDLE.match(name) or name.lower() in _RESERVED:
        return None
    return name


def _profile_url(handle: str) -> str:
    return f"https://x.com/{handle}"


def _host_is_x(url: str | None) -> bool:
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return False
    return bool(_X_HOST.search(host))


def _url_handle(page: Page) -> str | None:
    url = page.url if isinstance(page.url, str) else ""
    match = _PROFILE_URL.search(url)
    if not match:
        return None
    path = urlsplit(url).path
    return _handle_of_href("/" + [s for s in path.split("/") if s][0])


def _is_tco(url: str) -> bool:
    try:
        return (urlsplit(url).hostname or "").lower() == "t.co"
    except ValueError:
        return False


def _unique_urls(urls: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for url in urls:
        if url and not any(generic.same_url(url, done) for done in out):
            out.append(url)
    return out


# -- detect / extract -------------------------------------------------------------------------

def _is_thread_url(page: Page) -> bool:
    return isinstance(page.url, str) and bool(_THREAD_URL.search(page.url))


def detect(page: Page) -> bool:
    """A profile URL whose page shows a name (header or ProfilePage JSON-LD), or a DM URL whose
    page shows a conversation. Never raises."""
    try:
        tree = generic.page_tree(page)
        if tree is None:
            return False
        if _is_thread_url(page):
            return any(_X_ENTRY_SHOWS_MESSAGE(entry) for entry in _entries(page, tree))
        if _url_handle(page) is None:
            return False
        return _profile_name(tree, page) is not None
    except Exception:
        log.debug("x.detect failed on %r", getattr(page, "url", None), exc_info=True)
        return False


def extract(page: Page) -> Extraction:
    tree = generic.page_tree(page)
    if tree is None:
        raise ExtractionError("the page has no HTML elements")
    try:
        if _is_thread_url(page):
            return _extract_thread(page, tree)
        if _url_handle(page) is None:
            raise ExtractionError("not an X profile or DM conversation URL")
        return _extract_profile(page, tree)
    except ExtractionError:
        raise
    except Exception as exc:  # a bug on a strange page: report it as this adapter's failure
        log.warning("x.extract failed: %s", type(exc).__name__)
        log.debug("x.extract failed", exc_info=True)
        raise ExtractionError(f"the page could not be read: {type(exc).__name__}") from exc


# -- profiles ---------------------------------------------------------------------------------

def _profile_person(standards: generic.Standards) -> dict | None:
    """The Person of X's ProfilePage JSON-LD: mainEntity, or author on older pages."""
    for node in standards.jsonld:
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if "ProfilePage" not in types:
            continue
        for key in ("mainEntity", "author"):
            person = node.get(key)
            if isinstance(person, list):
                person = _first(person)
            if isinstance(person, dict) and person.get("@type") in ("Person", ["Person"]):
                return person
    return None


def _jsonld_profile(standards: generic.Standards) -> tuple[Profile | None, list[str]]:
    person = _profile_person(standards)
    if person is None:
        return None, []
    fields = generic.jsonld_fields(person, standards.base_url, standards.jsonld_ids)
    # X's givenName is the whole display name, never a given name
    fields.given_name = None
    fields.family_name = None
    fields.reading = None
    handle = generic.clean_text(person.get("additionalName"))
    if handle and _HANDLE.match(handle.removeprefix("@")):
        fields.handle = handle.removeprefix("@")
    elif fields.handle and not _HANDLE.match(fields.handle):
        fields.handle = None
    links = list(fields.links)
    if fields.url and not _host_is_x(fields.url):  # a website given as the Person's url
        links.insert(0, fields.url)
        fields.url = None
    fields.links = links
    related: list[str] = []
    for node in standards.jsonld:
        if node.get("mainEntity") is person or node.get("author") is person:
            values = node.get("relatedLink")
            for value in values if isinstance(values, list) else [values]:
                url = generic.clean_url(value, standards.base_url or None)
                if url and not _host_is_x(url):
                    related.append(url)
    return fields, related


def _user_name_block(tree):
    blocks = tree.xpath("//*" + _testid("primaryColumn") + "//*" + _testid("UserName")) \
        or tree.xpath("//*" + _testid("UserName"))
    return _first(blocks)


def _name_and_handle(block) -> tuple[str | None, str | None]:
    """The display name and @handle in X's UserName block."""
    skip = ("userFollowIndicator", "icon-verified")
    texts: list[str] = []
    leaves = [el for el in _X_DIR(block) if not _X_DIR(el)]
    if not leaves:
        leaves = [el for el in _X_SPAN(block) if not _X_SPAN(el)]
    for el in leaves:
        if _X_IN_FOLLOW_INDICATOR(el):
            continue
        text = _text(el, skip=skip)
        if text:
            texts.append(text)
    name = next((t for t in texts if not t.startswith("@")), None)
    handle = next((t[1:] for t in texts if t.startswith("@") and _HANDLE.match(t[1:])), None)
    return name, handle


def _title_name(tree, page: Page) -> str | None:
    """The name in the page title "Name (@handle) / X", when the handle is the URL's: the last
    resort of a capture taken before the header rendered."""
    title = page.title if isinstance(page.title, str) else None
    if not title:
        title = _text(_first(tree.xpath("//title")))
    match = _TITLE_SUFFIX.search(title or "")
    handle = _url_handle(page)
    if not match or not handle or f"(@{handle.lower()})" not in match.group(0).lower():
        return None
    return generic.strip_title_suffix(title, _TITLE_SUFFIX)


def _profile_name(tree, page: Page) -> str | None:
    block = _user_name_block(tree)
    if block is not None:
        name, _ = _name_and_handle(block)
        if name:
            return name
    # h-cards are never read here: read_standards leaves out mf2py, its costly step
    person = _profile_person(generic.read_standards(page, hcards=False))
    if person is not None:
        name = generic.clean_text(person.get("givenName")) or generic.clean_text(person.get("name"))
        if name:
            return name
    return _title_name(tree, page)


def _avatar(tree, handle: str | None, base: str) -> str | None:
    candidates = []
    if handle:
        prefix = "UserAvatar-Container-"
        for el in tree.xpath(f"//*[starts-with(@data-testid, '{prefix}')]"):
            if el.get("data-testid", "")[len(prefix):].lower() == handle.lower():
                if el.xpath("ancestor::*" + _testid("SideNav_AccountSwitcher_Button")):
                    continue  # the user's own small avatar in the side navigation
                candidates.extend(el.xpath(".//img/@src"))
        candidates.extend(tree.xpath(
            f"//a[translate(@href, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
            f"='/{handle.lower()}/photo']//img/@src"))
    for src in candidates:
        url = generic.clean_url(src, base or None)
        if url and "/emoji/" not in url:
            return url
    return None


def _website(tree, base: str) -> str | None:
    """The UserUrl link: X shows the real address as text and links it through t.co."""
    link = _first(tree.xpath("//*" + _testid("UserUrl")))
    if link is None:
        return None
    anchor = link if link.tag == "a" else _first(link.xpath(".//a[@href]"))
    shown = _text(link)
    if shown and not shown.endswith(("…", "...")) and " " not in shown and "." in shown:
        url = generic.clean_url(shown if re.match(r"^https?://", shown) else "https://" + shown)
        if url:
            return url
    return generic.clean_url(anchor.get("href"), base or None) if anchor is not None else None


def _why_no_profile(tree) -> str:
    shown = " ".join(filter(None, (_text(el) for el in tree.xpath(
        "//*" + _testid("emptyState") + "|//*" + _testid("error-detail")))))
    if _SUSPENDED.search(shown):
        return "this X account is suspended: the page shows no profile"
    if _MISSING.search(shown):
        return "this X account does not exist"
    return "no name on this X profile page (no UserName header, no ProfilePage JSON-LD)"


def _extract_profile(page: Page, tree) -> Extraction:
    standards = generic.read_standards(page, hcards=False)
    base = standards.base_url
    url_handle = _url_handle(page)
    jsonld, related = _jsonld_profile(standards)

    block = _user_name_block(tree)
    name, handle = _name_and_handle(block) if block is not None else (None, None)
    if not name and not (jsonld and jsonld.display_name):
        name = _title_name(tree, page)
    handle = handle or (jsonld.handle if jsonld else None) or url_handle
    location = _text(_first(tree.xpath("//*" + _testid("UserLocation"))))
    bio = _text(_first(tree.xpath("//*" + _testid("UserDescription"))), generic.BIO_LIMIT)
    site = Profile(
        display_name=name or "",
        url=_profile_url(handle) if handle else None,
        handle=handle,
        location=location,
        bio=bio,
        avatar_url=_avatar(tree, handle, base),
        links=[u for u in [_website(tree, base)] if u],
    )
    profile = generic.merge_profiles(jsonld, site)  # X serves no OpenGraph profile
    if profile is None:
        raise ExtractionError(_why_no_profile(tree))
    links = profile.links + related
    if related:  # the JSON-LD names the site itself: the t.co redirect adds nothing
        links = [u for u in links if not _is_tco(u)]
    profile.links = [u for u in _unique_urls(links) if not generic.same_url(u, profile.url)]
    profile.me_links = [u for u in standards.me_links
                        if not generic.same_url(u, page.url) and not generic.same_url(u, profile.url)]
    warnings = [f"no {label_}" for field_, label_ in _WARN_FIELDS if not getattr(profile, field_)]
    return Extraction(kind="profile", profile=profile,
                      warnings=list(dict.fromkeys(warnings + standards.warnings)))


# -- DM conversations -------------------------------------------------------------------------

_DAY_TEXT = re.compile(
    r"^(?:today|yesterday|今日|本日|昨日|一昨日|おととい"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|[月火水木金土日]曜日?"
    r"|(?:\d{4}年\s*)?\d{1,2}月\s*\d{1,2}日(?:\s*[(（].[)）])?"
    r"|[a-z]{3,9}\.? \d{1,2}(?:, \d{4})?|\d{4}/\d{1,2}/\d{1,2})$", re.I)
_BARE_TIME = re.compile(r"^(?:(?:午前|午後)\s*)?\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?$")
_TIME_HINT = re.compile(r"\d|today|yesterday|今日|昨日|一昨日|now|たった今", re.I)


@generic.per_page
def _page_entries(page: Page) -> list:
    return _X_ALL_ENTRIES(page.tree)


def _entries(page: Page, tree) -> list:
    """Every messageEntry element of the page, in page order (read once for detect and
    extract)."""
    return _page_entries(page) if page.tree is tree else _X_ALL_ENTRIES(tree)


def _conversation_root(tree, entries: list):
    """The conversation pane: the <section> holding the messages, without the inbox list."""
    entry = _first(entries)
    if entry is not None:
        section = _first(_X_SECTION(entry))
        if section is not None:
            return section
    for xpath in ("//section[@aria-labelledby='detail-header']",
                  "//*" + _testid("DmActivityContainer"), "//*" + _testid("DmScrollerContainer")):
        found = _first(tree.xpath(xpath))
        if found is not None:
            return found
    return tree


def _own_account(tree, base: str) -> Profile | None:
    """The logged-in user, from the side navigation (absent on some narrow layouts)."""
    handle = None
    for href in _X_PROFILE_LINK_HREF(tree):
        handle = _handle_of_href(href)
        if handle:
            break
    switcher = _first(_X_SWITCHER(tree))
    name = None
    avatar = None
    if switcher is not None:
        if handle is None:
            for el in _X_AVATAR_CONTAINERS(switcher):
                handle = _handle_of_href("/" + el.get("data-testid")[len("UserAvatar-Container-"):])
                if handle:
                    break
        name, shown_handle = _name_and_handle(switcher)
        handle = handle or shown_handle
        avatar = _first([u for u in (generic.clean_url(s, base or None)
                                     for s in _X_IMG_SRC(switcher)) if u])
    if handle is None:
        return None
    return Profile(display_name=name or "@" + handle, url=_profile_url(handle), handle=handle,
                   avatar_url=avatar)


def _time_candidates(entry) -> list:
    """The elements of ``entry`` whose text may be its time: its <time> elements, then its span
    and div elements without span or div inside, in page order; none inside (or being) a
    tweetText or DM_Conversation_Avatar element. One walk instead of an XPath per element."""
    times: list = []
    leaves: list = []
    _walk_time_candidates(entry, _X_IN_TIME_SKIP(entry), times, leaves)
    return times + leaves


def _walk_time_candidates(node, skipped: bool, times: list, leaves: list) -> bool:
    """Collect below ``node``; True when a span or div is below it. (A module function: a
    nested recursive one is a reference cycle left for the collector.)"""
    found = False
    for child in node:
        tag = child.tag
        if not isinstance(tag, str):  # comments, processing instructions
            continue
        inside = skipped or child.get("data-testid") in _TIME_SKIP_TESTIDS
        if tag == "time" and not inside:
            times.append(child)
        below = _walk_time_candidates(child, inside, times, leaves) if len(child) else False
        if tag == "span" or tag == "div":
            if not below and not inside:
                leaves.append(child)
            found = True
        elif below:
            found = True
    return found


def _entry_time_texts(entry) -> list[str]:
    """The candidate time texts of one message entry, best first."""
    texts = [t for t in _X_TIME_DATETIME(entry) if t]
    skip = ("tweetText", "DM_Conversation_Avatar")
    for el in _time_candidates(entry):
        text = _text(el, skip=skip)
        if text:
            texts.extend(p.strip() for p in _TIME_SEPARATORS.split(text) if p.strip())
    for label_ in _X_ARIA_LABELS(entry):
        texts.append(label_)
    return [t for t in dict.fromkeys(texts) if _TIME_HINT.search(t) and len(t) <= 60]


def _resolve(texts: list[str], day: str | None, captured_at: str | None) -> str | None:
    for text in texts:
        if _ISO_START.match(text):
            moment = resolve_time(text, captured_at or "1970-01-01T00:00:00+00:00")
            if moment:
                return moment
        if not captured_at:
            continue
        if day and _BARE_TIME.match(text):
            moment = combine_day_and_time(day, text, captured_at)
        else:
            moment = resolve_time(text, captured_at)
        if moment:
            return moment
    return None


def _thread_key(page: Page) -> str:
    match = _THREAD_URL.search(page.url)
    return match.group(1) if match else ""


def _extract_thread(page: Page, tree) -> Extraction:
    # only the base URL of the standards is used here: read it alone (as read_standards does),
    # not the JSON-LD, OpenGraph and rel=me links the conversation page has no use for
    base = generic.base_url(tree, page.url if isinstance(page.url, str) else "")
    key = _thread_key(page)
    if not key:
        raise ExtractionError("no conversation id in this X messages URL")
    root = _conversation_root(tree, _entries(page, tree))
    captured_at = page.captured_at if isinstance(page.captured_at, str) else None
    warnings: list[str] = []
    me = _own_account(tree, base)

    # the other people: avatar links in the pane (never the inbox list's), names from the header
    others: list[Profile] = []

    def other(handle: str) -> Profile:
        for p in others:
            if p.handle and p.handle.lower() == handle.lower():
                return p
        person = Profile(display_name="", url=_profile_url(handle), handle=handle)
        others.append(person)
        return person

    for a in _X_DM_AVATARS(root):
        if _X_IN_CONVERSATION(a):
            continue
        handle = _handle_of_href(a.get("href"))
        if handle and not (me and me.handle and handle.lower() == me.handle.lower()):
            person = other(handle)
            alt = _first([generic.clean_text(t) for t in _X_IMG_ALT(a) if t.strip()])
            person.display_name = person.display_name or alt or ""
    header = _first(_X_HEADER_IN(root))
    if header is None:
        header = _first(_X_HEADER(tree))
    header_text = _text(header) if header is not None else None
    # the profile card at the top of a one-to-one conversation: a link with name and @handle
    for card in _X_CARDS(root):
        if _X_IN_ENTRY(card):
            continue
        handle = _handle_of_href(card.get("href"))
        if not handle or (me and me.handle and handle.lower() == me.handle.lower()):
            continue
        name, shown_handle = _name_and_handle(card)
        if shown_handle and shown_handle.lower() == handle.lower():
            person = other(handle)
            person.display_name = person.display_name or name or ""
            if person.avatar_url is None:
                person.avatar_url = _first([u for u in (generic.clean_url(s, base or None)
                                                        for s in _X_IMG_SRC(card))
                                            if u and "/emoji/" not in u])
    title = None
    if len(others) == 1 and header_text and not others[0].display_name:
        others[0].display_name = header_text
    elif len(others) != 1 and header_text:
        title = header_text  # a group conversation's name
    for person in others:
        if not person.display_name:
            person.display_name = "@" + (person.handle or "")

    # the messages, in page order, with the day separators between them
    items: list[tuple[str, object]] = []
    for el in _X_ENTRIES_AND_DAY_CELLS(root):
        if el.get("data-testid") == "messageEntry":
            items.append(("entry", el))
        else:
            text = _text(el)
            if text and _DAY_TEXT.match(text):
                items.append(("day", text))
    rows = []  # [text, handle or None (own), time or None, is_run_end]
    day: str | None = None
    for kind, value in items:
        if kind == "day":
            day = value
            continue
        entry = value
        text = _text(_first(_X_TWEET_TEXT(entry)), 10000)
        avatar = _first(_X_AVATAR_HREF(entry))
        handle = _handle_of_href(avatar) if avatar else None
        moment = _resolve(_entry_time_texts(entry), day, captured_at)
        rows.append([text, handle, moment, bool(avatar) or moment is not None])
    # a message without avatar and time belongs to the run ending at the next one that has them
    run_handle: str | None = None
    run_time: str | None = None
    run_known = False
    for row in reversed(rows):
        if row[3]:
            run_handle, run_known = row[1], True
            run_time = row[2] or run_time
        elif run_known:
            row[1] = run_handle
        if row[2] is None:
            row[2] = run_time
    messages: list[Message] = []
    unresolved = untexted = 0
    for text, handle, moment, _ in rows:
        if not text:
            untexted += 1
            continue
        if moment is None:
            unresolved += 1
            continue
        if handle:
            sender = other(handle)
            sender_name, sender_url = sender.display_name, sender.url
        elif me is not None:
            sender_name, sender_url = me.display_name or None, me.url
        else:
            sender_name = sender_url = None
        messages.append(Message(occurred_at=moment, text=text, sender_name=sender_name,
                                sender_url=sender_url))
    for person in others:  # senders met only in messages
        if not person.display_name:
            person.display_name = "@" + (person.handle or "")
    if unresolved:
        warnings.append(f"{unresolved} message(s) without a readable time skipped")
    if untexted:
        warnings.append(f"{untexted} message(s) without text (media) skipped")
    if me is None and any(r[1] is None for r in rows):
        warnings.append("own account not shown: own messages have no sender")
    participants = others + ([me] if me is not None else [])
    if not messages and not others:
        raise ExtractionError("no messages and no participants on this X conversation page")
    if not messages:
        warnings.append("no messages")
    thread = Thread(thread_key=key, participants=participants, messages=messages, title=title)
    return Extraction(kind="thread", thread=thread, warnings=warnings)
