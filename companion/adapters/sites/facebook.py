"""Facebook: profiles (with their About page) and Messenger threads.

Profiles are read from three generations of markup, whichever the captured page is:

* www.facebook.com (2020-): hashed class names that change with every deploy, so nothing here
  matches a class. The name is the ``h1`` of ``[role=main]``; the Intro card is the
  ``data-pagelet="ProfileTilesFeed_…"`` block and the About page the
  ``data-pagelet="ProfileAppSection_…"`` block (selectors public scrapers have used since 2021);
  their items are read by their visible phrasing ("Lives in …", "… at <org>", "…在住",
  "…で働いています"). OpenGraph (``og:title``, ``og:image``, ``og:url``) fills the gaps; a
  logged-out page often has nothing else. Facebook's og:description is boilerplate ("X is on
  Facebook…") and is never taken as a bio.
* mbasic.facebook.com / m.facebook.com (the old basic-HTML site): sections with stable ids
  (``#work``, ``#living``, ``#contact-info``, ``#bio``), label/value tables.
* a timeline with no profile header at all (m.facebook.com): the name is taken from the owner's
  own posts, the ``h3`` author links that point back to the profile the URL names.

Messenger threads (www.facebook.com/messages/t/<id>, www.messenger.com/t/<id>, and the e2ee
forms) are read structurally: the message grid (``[role=grid]`` / ``[role=log]``, aria-label
"Messages in conversation titled …" in English), its ``[role=row]`` rows, the
``[data-scope=messages_table]`` gridcells, the ``h4``/``h5`` sender labels ("You sent",
"あなたが送信しました", or the sender's name), ``[dir=auto]`` text, and the rows that are only a
time ("Yesterday at 9:03 PM", "昨日 21:03", "11月20日 10:42") which date the messages after them.
Times are resolved against the capture time (companion.adapters.reltime). Messenger shows no
message ids in the markup, so ``external_id`` stays None.

Links Facebook wraps in its link shim (``l.facebook.com/l.php?u=…``) are unwrapped.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from companion.urls import InvalidUrl, canonical_profile_url, canonical_url

from .. import generic
from ..base import Extraction, ExtractionError, Message, Page, Profile, Thread
from ..reltime import resolve_time

log = logging.getLogger(__name__)


_xp = generic.xpath  # el.xpath(expr), the expression compiled once per process

id = "facebook"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Facebook profiles (www, m, mbasic; About page) and Messenger threads"
version = "1"
kinds = ("profile", "thread")
url_patterns = (
    r"^https?://((www|m|mbasic|web|touch|[a-z][a-z]-[a-z][a-z])\.)?facebook\.com/",
    r"^https?://(www\.)?messenger\.com/",
)
# Pages that are conversations: the extension offers "Save conversation" there.
thread_url_patterns = (
    r"^https?://((www|m|mbasic|web|touch|[a-z][a-z]-[a-z][a-z])\.)?facebook\.com/messages/(e2ee/)?t/[^/?#]+",
    r"^https?://(www\.)?messenger\.com/(e2ee/)?t/[^/?#]+",
)

_FB_HOST = re.compile(r"^((www|m|mbasic|web|touch|[a-z]{2}-[a-z]{2})\.)?facebook\.com$")
_MESSENGER_HOST = re.compile(r"^(www\.)?messenger\.com$")
_THREAD_PATH_FB = re.compile(r"^/messages/(?:e2ee/)?t/([^/?#]+)")
_THREAD_PATH_MESSENGER = re.compile(r"^/(?:e2ee/)?t/([^/?#]+)")
_DIGITS = re.compile(r"^[0-9]+$")

# Facebook's og:description of a profile is sign-up boilerplate, not the person's words
_BOILERPLATE = re.compile(r"is on Facebook|Facebook\s*を利用しています|Facebookに登録|Join Facebook",
                          re.IGNORECASE)

# What the markup says instead of the user's own name on their messages
_YOU_SENT = re.compile(r"^(?:You sent|You replied(?: to .*)?|You|あなたが送信しました|あなたが送信|"
                       r"あなたが返信しました|あなた|自分が送信しました)$", re.IGNORECASE)
_REPLIED = re.compile(r"^(.+?)(?: replied to (?:you|yourself|.+)|さんが返信しました|が返信しました)$")
# chrome inside a message row that is not the message
_ROW_CHROME = re.compile(r"^(?:Sent|Seen|Delivered|Sending|Enter|送信済み|既読|配信済み|送信中|"
                         r"Seen by .*|.*が既読)$", re.IGNORECASE)


# -- helpers ----------------------------------------------------------------------------------

def _text(el, limit: int = generic.TEXT_LIMIT) -> str | None:
    if el is None:
        return None
    try:
        return generic.clean_text(el.text_content(), limit)
    except (AttributeError, ValueError):
        return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def unwrap_link(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL; Facebook's and Instagram's link shims (``l.facebook.com/l.php?u=``,
    ``lm.facebook.com``, ``l.instagram.com/?u=``) give the URL they wrap, without ``fbclid``."""
    url = generic.clean_url(href, base or None)
    if url is None:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in ("l.facebook.com", "lm.facebook.com", "l.instagram.com") or (
            _FB_HOST.match(host) and parts.path == "/l.php"):
        target = dict(parse_qsl(parts.query)).get("u")
        url = generic.clean_url(target) if target else None
        if url is None:
            return None
        parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in ("fbclid", "igshid", "igsh")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _is_facebook(url: str | None) -> bool:
    host = _host(url or "")
    return bool(_FB_HOST.match(host) or _MESSENGER_HOST.match(host) or host.endswith(".fbcdn.net")
                or host in ("fb.com", "fb.me", "l.facebook.com", "lm.facebook.com"))


def facebook_person(href: str | None, base: str) -> str | None:
    """The canonical profile URL a link to a Facebook profile points at, or None."""
    url = generic.clean_url(href, base or None)
    if not url or not _FB_HOST.match(_host(url)):
        return None
    try:
        canon = canonical_profile_url(url)
    except InvalidUrl:
        return None
    if canon.platform != "facebook" or not canon.handle:
        return None
    try:
        return canonical_url(url)  # as the page spells it, less tracking parameters
    except InvalidUrl:
        return None


def _profile_ref(page_url: str) -> tuple[str, str | None, str] | None:
    """(profile URL, handle, path key) the page URL names, or None when it names no profile.

    The handle is the username as the URL spells it; a numeric id has none. The key matches the
    owner's links elsewhere on the page ("snarfed.org" or "id=212038")."""
    try:
        parts = urlsplit(page_url)
    except ValueError:
        return None
    if not _FB_HOST.match((parts.hostname or "").lower()):
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if not segments:
        return None
    first = segments[0]
    if first == "profile.php":
        ident = dict(parse_qsl(parts.query)).get("id", "")
        if _DIGITS.match(ident):
            return f"https://www.facebook.com/profile.php?id={ident}", None, f"id={ident}"
        return None
    if first == "people" and len(segments) >= 3 and _DIGITS.match(segments[2]):
        ident = segments[2]
        return f"https://www.facebook.com/profile.php?id={ident}", None, f"id={ident}"
    try:
        canon = canonical_profile_url(f"https://www.facebook.com/{first}")
    except InvalidUrl:
        return None
    if canon.platform != "facebook" or not canon.handle:
        return None
    if _DIGITS.match(first):
        return f"https://www.facebook.com/profile.php?id={first}", None, f"id={first}"
    return f"https://www.facebook.com/{first}", first, first.lower()


def _link_key(href: str | None, base: str) -> str | None:
    url = generic.clean_url(href, base or None)
    if not url:
        return None
    ref = _profile_ref(url)
    return ref[2] if ref else None


def _thread_key(page_url: str) -> str | None:
    try:
        parts = urlsplit(page_url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if _FB_HOST.match(host):
        match = _THREAD_PATH_FB.match(parts.path)
    elif _MESSENGER_HOST.match(host):
        match = _THREAD_PATH_MESSENGER.match(parts.path)
    else:
        return None
    return unquote(match.group(1)) if match else None


# -- detect / extract -------------------------------------------------------------------------

def detect(page: Page) -> bool:
    try:
        url = page.url if isinstance(page.url, str) else ""
        tree = generic.page_tree(page)
        if tree is None:
            return False
        if _thread_key(url) is not None:
            return _page_message_grid(page) is not None
        if _profile_ref(url) is None:
            return False
        return bool(_page_profile_name(page))
    except Exception:
        log.debug("facebook.detect failed on %r", getattr(page, "url", None), exc_info=True)
        return False


def extract(page: Page) -> Extraction:
    url = page.url if isinstance(page.url, str) else ""
    tree = generic.page_tree(page)
    if tree is None:
        raise ExtractionError("the page has no HTML elements")
    try:
        if _thread_key(url) is not None:
            return _extract_thread(page, tree)
        if _profile_ref(url) is not None:
            return _extract_profile(page, tree)
    except ExtractionError:
        raise
    except Exception as exc:  # a bug on a strange page: report it as this adapter's failure
        log.warning("facebook.extract failed: %s", type(exc).__name__)
        log.debug("facebook.extract failed", exc_info=True)
        raise ExtractionError(f"the page could not be read: {type(exc).__name__}") from exc
    raise ExtractionError("not a Facebook profile or Messenger thread URL")


# -- profiles ---------------------------------------------------------------------------------

# Speed: on a 1 MB page ``//*[@a='v']`` costs ~4 ms (the predicate is evaluated on every
# element) while ``/descendant::*/@a[.='v']/..`` selects the same elements, in the same order, in
# under 1 ms (only the attribute nodes are tested). ``descendant::*/…`` from a context element is
# ``.//*[…]`` (its descendants, not itself); ``/descendant::*/…`` is ``//*[…]``.
_SECTIONS_XPATH = ("/descendant::*/@data-pagelet[starts-with(.,'ProfileTilesFeed')"
                   " or starts-with(.,'ProfileAppSection')]/..")


def _main(tree):
    for el in _xp(tree, "/descendant::*/@role[.='main']/.."):
        return el
    return tree


def _og_title(standards: generic.Standards) -> str | None:
    return generic.strip_title_suffix(standards.og("og:title"), " | Facebook", "| Facebook")


@generic.per_page
def _page_profile_name(page: Page) -> str | None:
    """``_profile_name`` of the page, read once for detect() and extract()."""
    # h-cards are never read here: read_standards leaves out mf2py, its costly step
    standards = generic.read_standards(page, hcards=False)
    return _profile_name(page, generic.page_tree(page), standards)


def _profile_name(page: Page, tree, standards: generic.Standards) -> str | None:
    main = _main(tree)
    for h1 in _xp(main, ".//h1"):
        name = _text(h1)
        if name:
            return name
    # mbasic: the first <strong> of the profile header (#root), next to the profile picture
    for strong in _xp(tree, "/descendant::*/@id[.='root']/.."
                             "/descendant::*/@id[.='profile_cover_photo_container']/.."
                             "/following::strong[1]"):
        name = _text(strong)
        if name:
            return name
    name = _og_title(standards)
    if name:
        return name
    # a timeline without its header: the owner's own posts name them
    ref = _profile_ref(page.url)
    if ref:
        for link in _xp(tree, "//h3//a[@href]|//header//strong/a[@href]"):
            if _link_key(link.get("href"), page.url) == ref[2]:
                name = _text(link)
                if name:
                    return name
    return None


def _items(sections) -> list:
    """The innermost dir=auto blocks (or list items) of the Intro/About sections, in order."""
    items = []
    for section in sections:
        for el in _xp(section, "descendant::*/@dir[.='auto']/.."):
            if _xp(el, "descendant::*/@dir[.='auto']"):
                continue
            if _xp(el, "ancestor::h1|ancestor::h2|ancestor::h3|ancestor::*[@role='button']"):
                continue
            items.append(el)
    return items


_LIVES = (re.compile(r"^Lives in\s+(.+)$", re.I), re.compile(r"^(.+?)\s*(?:在住|に住んでいます)$"),
          re.compile(r"^(?:現住所|居住地)\s*[:：]\s*(.+)$"))
_WORKS = (re.compile(r"^Works? at\s+(.+)$", re.I), re.compile(r"^(.+?)\s*で働いています$"),
          re.compile(r"^勤務先\s*[:：]\s*(.+)$"))
_SKIP = re.compile(r"^(?:Studie[sd] at|Went to|Studies|Worked at|Former|Followed by|From|"
                   r"Joined|Married|Single|In a relationship|Intro$|About$)|"
                   r"(?:で学ぶ|で学んだ|を卒業|に通っていました|に通学|出身|に参加|フォロワー|自己紹介$)",
                   re.I)


def _classify(items, base: str) -> tuple[dict, list]:
    """(fields found in the intro/about items, the items left unclassified)."""
    found: dict = {}
    rest = []
    for el in items:
        text = _text(el, generic.BIO_LIMIT)
        if not text:
            continue
        links = [_text(a) for a in _xp(el, ".//a") if _text(a)]
        matched = False
        for pattern in _LIVES:
            m = pattern.match(text)
            if m:
                found.setdefault("location", generic.clean_text(m.group(1)))
                matched = True
                break
        if not matched:
            for pattern in _WORKS:
                m = pattern.match(text)
                if m:
                    found.setdefault("organisation", generic.clean_text(m.group(1)))
                    matched = True
                    break
        if not matched and _SKIP.search(text):
            matched = True
        if not matched and links:
            for org in links:
                if text.endswith(" at " + org) and len(text) > len(org) + 4:   # "Engineer at <org>"
                    found.setdefault("title", generic.clean_text(text[: -len(org) - 4]))
                    found.setdefault("organisation", org)
                    matched = True
                    break
                m = re.match(re.escape(org) + r"\s*の\s*(.+)$", text)            # "<org>の職人"
                if m:
                    found.setdefault("organisation", org)
                    found.setdefault("title", generic.clean_text(m.group(1)))
                    matched = True
                    break
        if not matched:
            rest.append((el, text))
    return found, rest


def _section_links(sections, base: str, own: str | None) -> list[str]:
    links: list[str] = []
    for section in sections:
        for a in _xp(section, ".//a[@href]"):
            raw = generic.clean_url(a.get("href"), base or None)
            if raw is None:
                continue
            url = unwrap_link(raw, base)
            if url is None or _is_facebook(url):
                continue
            parts = urlsplit(url)
            if "maps" in (parts.hostname or "") or parts.path.startswith("/maps"):
                continue  # an address shown on a map, not a website
            if url not in links and not generic.same_url(url, own):
                links.append(url)
    return links


def _www_fields(tree, base: str, own: str | None) -> Profile:
    sections = _xp(tree, _SECTIONS_XPATH)
    found, rest = _classify(_items(sections), base)
    bio = None
    # the Intro card's bio: its first free text that is not an item, a link or a number
    for el, text in rest:
        if _xp(el, "ancestor-or-self::a") or re.fullmatch(r"[\d,.\s]+", text) or any(
                _text(a) == text for a in _xp(el, ".//a")):
            continue
        if not any("ProfileTilesFeed" in (s.get("data-pagelet") or "")
                   for s in el.iterancestors()):
            continue
        bio = generic.clean_text(text, generic.BIO_LIMIT)
        break
    return Profile(display_name="", organisation=found.get("organisation"),
                   title=found.get("title"), location=found.get("location"), bio=bio,
                   links=_section_links(sections, base, own))


def _mbasic_rows(section) -> list[tuple[str, object]]:
    """(label, value cell) of the label/value tables of an mbasic About section."""
    rows = []
    for tr in _xp(section, ".//table//tr[td]"):
        cells = _xp(tr, "./td")
        if len(cells) < 2:
            continue
        label_el = _xp(cells[0], ".//span[not(.//span)][normalize-space()][1]")
        label_ = _text(label_el[0]) if label_el else _text(cells[0])
        rows.append((label_ or "", cells[1]))
    return rows


_CURRENT_CITY = {"current city", "現在住んでいる市区町村", "居住地", "現住所"}
_WEBSITES = {"websites", "website", "social links", "ウェブサイト", "ソーシャルリンク",
             "ウェブサイトとソーシャルリンク"}
_EMAILS = {"email", "emails", "メールアドレス", "メール"}


def _mbasic_fields(tree, base: str, own: str | None) -> Profile:
    profile = Profile(display_name="")
    by_id: dict[str, list] = {"living": [], "contact-info": [], "work": [], "bio": []}
    for el in _xp(tree, "/descendant::*/@id[.='living' or .='contact-info' or .='work'"
                         " or .='bio']/.."):
        by_id[el.get("id")].append(el)
    for section in by_id["living"]:
        for label_, cell in _mbasic_rows(section):
            if label_.lower() in _CURRENT_CITY and _text(cell):
                profile.location = _text(cell)
                break
    for section in by_id["contact-info"]:
        for label_, cell in _mbasic_rows(section):
            if label_.lower() in _EMAILS:
                for value in [a.get("href") for a in _xp(cell, ".//a[@href]")] + [_text(cell)]:
                    email = generic.clean_email(unquote(value or ""))
                    if email and email not in profile.emails:
                        profile.emails.append(email)
                        break
            if label_.lower() in _WEBSITES:
                for a in _xp(cell, ".//a[@href]"):
                    url = unwrap_link(a.get("href"), base)
                    if url and not _is_facebook(url) and url not in profile.links:
                        profile.links.append(url)
    for section in by_id["work"]:
        # an entry: a link to the employer, then the title; "Add work" links edit the profile
        for a in _xp(section, ".//a[@href][not(contains(@href,'edit'))]"):
            org = _text(a)
            if not org:
                continue
            profile.organisation = org
            block = _xp(a, "ancestor::div[1]/following-sibling::div[1]")
            title = _text(block[0]) if block else None
            if title and not re.search(r"\d{4}", title):
                profile.title = title
            break
    for section in by_id["bio"]:
        parts = [generic.clean_text(t) for t in _xp(section, 
            ".//text()[not(ancestor::header)][not(ancestor::a)]")]
        bio = generic.clean_text(" ".join(p for p in parts if p), generic.BIO_LIMIT)
        if bio:
            profile.bio = bio
            break
    if profile.bio is None:
        # the intro bio, shown above its "Edit Bio" link on one's own profile
        for a in _xp(tree, "//a[contains(@href,'/profile/basic/intro/bio')]"):
            prev = _xp(a, "preceding-sibling::*[1]")
            if prev and _text(prev[0]):
                profile.bio = _text(prev[0], generic.BIO_LIMIT)
                break
    return profile


def _photo(tree, standards: generic.Standards, base: str, name: str | None) -> str | None:
    for key in ("og:image", "og:image:url", "og:image:secure_url"):
        for value in standards.opengraph.get(key, ()):
            url = generic.clean_url(value, base or None)
            if url:
                return url
    for img in _xp(tree, "//img[@src][@alt]"):
        alt = img.get("alt") or ""
        if "profile picture" in alt.lower() or "プロフィール写真" in alt:
            url = generic.clean_url(img.get("src"), base or None)
            if url:
                return url
    # www (untrimmed): the profile picture is an <svg aria-label="Name"><image href=…>
    main = _main(tree)
    for image in _xp(main, "descendant::*/@aria-label/parent::*[local-name()='svg']"
                            "//*[local-name()='image']"):
        svg = next(image.iterancestors("svg"), None)
        if name and svg is not None and (svg.get("aria-label") or "").strip() != name:
            continue
        href = image.get("xlink:href") or image.get("href")
        url = generic.clean_url(href, base or None)
        if url:
            return url
    return None


_WARN = (("url", "url"), ("handle", "handle"), ("organisation", "organisation"),
         ("title", "job title"), ("location", "location"), ("bio", "bio"),
         ("avatar_url", "photo"))


def _warnings(profile: Profile, fields: tuple) -> list[str]:
    return [f"no {label_}" for name, label_ in fields if not getattr(profile, name)]


def _extract_profile(page: Page, tree) -> Extraction:
    standards = generic.read_standards(page, hcards=False)
    ref = _profile_ref(page.url)
    assert ref is not None
    own_url, handle, _key = ref
    og_url = generic.clean_url(standards.og("og:url"), standards.base_url or None)
    if og_url and _profile_ref(og_url):
        own_url, og_handle, _ = _profile_ref(og_url)
        handle = og_handle or handle
    name = _page_profile_name(page)
    if not name:
        raise ExtractionError("no name on this Facebook page: no profile heading, no og:title, "
                              "no posts by the profile's owner")
    base = standards.base_url or page.url
    site = Profile(display_name=name, url=own_url, handle=handle,
                   avatar_url=_photo(tree, standards, base, name))
    description = standards.og("og:description")
    og_bio = description if description and not _BOILERPLATE.search(description) else None
    profile = generic.merge_profiles(site, _www_fields(tree, base, own_url),
                                     _mbasic_fields(tree, base, own_url),
                                     Profile(display_name="", bio=og_bio))
    assert profile is not None
    profile.links = [u for u in profile.links if not generic.same_url(u, own_url)]
    profile.me_links = [u for u in standards.me_links
                        if not _is_facebook(u) and not generic.same_url(u, own_url)]
    warnings = _warnings(profile, _WARN) + standards.warnings
    return Extraction(kind="profile", profile=profile, warnings=warnings)


# -- Messenger threads ------------------------------------------------------------------------

def _message_grid(tree):
    """The element holding the conversation's rows, or None when the page shows no thread."""
    main = _main(tree)
    for xpath in ("descendant::*/@role[.='grid' or .='log']"
                  "/parent::*[starts-with(@aria-label,'Messages')]",
                  "descendant::*/@role[.='grid' or .='log']"
                  "/parent::*[descendant::*/@role[.='row']]",
                  "descendant::*/@data-scope[.='messages_table']/.."
                  "/ancestor::*[@role='row'][1]/.."):
        for el in _xp(main, xpath):
            return el
    return None


@generic.per_page
def _page_message_grid(page: Page):
    """``_message_grid`` of the page, found once for detect() and extract()."""
    tree = generic.page_tree(page)
    return _message_grid(tree) if tree is not None else None


def _row_time(row) -> str | None:
    """The text of a row that only shows a time (a separator between messages), else None."""
    if _xp(row, ".//*[@data-scope='messages_table']") and not _xp(row, 
            ".//*[@data-scope='date_break']"):
        return None
    return _text(row)


def _heading_label(cell) -> str | None:
    for h in _xp(cell, ".//h4|.//h5|.//h6"):
        text = _text(h)
        if text:
            return text
    return None


def _message_text(cell) -> str | None:
    parts = []
    for el in _xp(cell, ".//*[@dir='auto']"):
        if _xp(el, ".//*[@dir='auto']"):
            continue  # the same text nested: keep the innermost
        if _xp(el, "ancestor::h4|ancestor::h5|ancestor::h6|ancestor::a[@aria-label]"):
            continue
        text = _text(el, 20000)
        if text and not _ROW_CHROME.match(text):
            parts.append(text)
    return generic.clean_text("\n".join(parts), 20000) if parts else None


def _row_person(row, base: str) -> tuple[str | None, str | None]:
    """(name, profile URL) of the avatar link a row shows for an incoming message."""
    for a in _xp(row, ".//a[@href]"):
        url = facebook_person(a.get("href"), base)
        if not url:
            continue
        name = (generic.clean_text(a.get("aria-label"))
                or next((generic.clean_text(i.get("alt")) for i in _xp(a, ".//img[@alt]")
                         if generic.clean_text(i.get("alt"))), None))
        return name, url
    return None, None


def _header(tree, grid, base: str) -> tuple[str | None, list[tuple[str, str | None]]]:
    """(conversation title, [(name, profile URL)] linked from the conversation header)."""
    main = _main(tree)
    title = None
    people: list[tuple[str, str | None]] = []
    for h in _xp(main, ".//h1|.//h2"):
        if grid is not None and any(a is grid for a in h.iterancestors()):
            continue
        text = _text(h)
        if not text or text.lower() in ("chats", "チャット", "messenger"):
            continue
        title = text
        link = _xp(h, "ancestor::a[@href][1]|.//a[@href]")
        url = facebook_person(link[0].get("href"), base) if link else None
        if url:
            people.append((text, url))
        break
    if title is None and grid is not None:
        label_ = generic.clean_text(grid.get("aria-label"))
        m = re.match(r"^Messages in conversation (?:titled|with) (.+)$", label_ or "")
        if m:
            title = m.group(1)
    return title, people


def _extract_thread(page: Page, tree) -> Extraction:
    key = _thread_key(page.url)
    assert key is not None
    grid = _page_message_grid(page)
    if grid is None:
        raise ExtractionError("no conversation on this Messenger page (no message list)")
    standards = generic.read_standards(page, hcards=False)
    base = standards.base_url or page.url
    title, header_people = _header(tree, grid, base)
    captured_at = page.captured_at if isinstance(page.captured_at, str) else None

    participants: list[Profile] = []

    def add(name: str | None, url: str | None) -> None:
        if not name:
            return
        for p in participants:
            if p.display_name == name or (url and p.url == url):
                p.url = p.url or url
                return
        participants.append(Profile(display_name=name, url=url))

    for name, url in header_people:
        add(name, url)

    messages: list[Message] = []
    unresolved = 0
    current_time: str | None = None
    last_sender: tuple[str | None, str | None, str | None] | None = None  # name, url, direction
    rows = [r for r in _xp(grid, "descendant::*/@role[.='row']/..")
            if not _xp(r, "ancestor::*[@role='row']")]
    for row in rows:
        stamp = _row_time(row)
        if stamp is not None:
            when = resolve_time(stamp, captured_at) if captured_at else None
            if when or not captured_at:
                current_time = when
                last_sender = None  # a new block of messages restates its sender
            continue
        cell = (_xp(row, ".//*[@data-scope='messages_table']") or [row])[0]
        label_ = _heading_label(cell)
        text = _message_text(cell)
        avatar_name, avatar_url = _row_person(row, base)
        if label_ and _YOU_SENT.match(label_):
            sender = (None, None, "out")
        elif label_:
            m = _REPLIED.match(label_)
            name = m.group(1) if m else label_
            url = avatar_url if avatar_name in (None, name) else None
            url = url or next((p.url for p in participants if p.display_name == name), None)
            sender = (name, url, None)
        elif avatar_name:
            sender = (avatar_name, avatar_url, None)
        else:
            sender = last_sender or (None, None, None)
        last_sender = sender
        name, url, direction = sender
        add(name, url)
        if not text:
            continue
        if current_time is None:
            unresolved += 1
            continue
        messages.append(Message(occurred_at=current_time, text=text, sender_name=name,
                                sender_url=url, direction=direction))
    # a sender's link may be shown only on a later message of theirs (the avatar ends a run)
    urls = {p.display_name: p.url for p in participants if p.url}
    for message in messages:
        if message.sender_name and not message.sender_url:
            message.sender_url = urls.get(message.sender_name)
    thread = Thread(thread_key=key, participants=participants, messages=messages, title=title)
    warnings: list[str] = []
    if unresolved:
        warnings.append(f"{unresolved} message(s) without a readable time skipped")
    if not messages:
        warnings.append("no messages")
    if not participants:
        warnings.append("no participants")
    return Extraction(kind="thread", thread=thread, warnings=warnings + standards.warnings)
