"""Canonical URLs for people's profiles on social sites, and for any web page.

The extension captures pages and links from many places, and the same person turns up under many
spellings of one URL: ``http://twitter.com/Jack/`` and ``https://x.com/jack/status/20?s=20``,
``jp.linkedin.com/in/%E5%B1%B1...`` and ``www.linkedin.com/in/山...``, ``@user@instance`` and
``https://instance/@user``. ``identities`` stores one row per (platform, canonical URL), so every
spelling of a person's URL must reduce to exactly one ``CanonicalUrl``; otherwise the popup would
not recognise someone already saved, and the same person would be stored twice.

Two functions:

* ``canonical_profile_url(url)`` says which platform a URL belongs to, its canonical profile URL,
  and the person's handle when the URL shows one. A URL on a known site that is not a person's
  profile (a repository, a company page, a search) keeps its platform, gets the generic canonical
  URL, and has no handle.
* ``canonical_url(url)`` is the generic normalisation for any http(s) URL: the "web" platform and
  the captures table use it.

Both raise ``InvalidUrl`` (a ``ValueError``) for anything they refuse, and nothing else. Both are
idempotent: feeding a result back in returns the same result. The tests check that with hypothesis.

This runs on every popup lookup, so it stays cheap: stdlib only, regexes compiled once, no network
(short links such as lnkd.in are therefore left as they are: resolving them needs a request).
"""

from __future__ import annotations

import ipaddress
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

__all__ = ["MAX_URL_LENGTH", "PLATFORMS", "CanonicalUrl", "InvalidUrl",
           "canonical_profile_url", "canonical_url"]

MAX_URL_LENGTH = 2048   # for the input and for the result: a result is always a valid input

PLATFORMS = ("linkedin", "x", "facebook", "instagram", "mastodon", "bluesky", "github",
             "wantedly", "eight", "web")


class InvalidUrl(ValueError):
    """The text is not a URL we accept; the message says what is wrong with it."""


@dataclass(frozen=True)
class CanonicalUrl:
    platform: str       # one of PLATFORMS
    url: str            # canonical URL: the profile's, or the generic canonical_url() when not one
    handle: str | None  # the person's handle on the platform, when the URL shows one


# --------------------------------------------------------------------------------------------
# Known sites: which hosts belong to which platform, and the host its canonical URLs use.
# --------------------------------------------------------------------------------------------

# platform -> (host used in canonical URLs, registrable domains, subdomains that are the same site)
# The canonical host is the one the site itself redirects to: LinkedIn, Facebook, Instagram and
# Wantedly keep "www.", X, GitHub, Bluesky and Eight do not.
_SITES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "linkedin": ("www.linkedin.com", ("linkedin.com",), ("m", "mobile")),
    "x": ("x.com", ("x.com", "twitter.com"), ("m", "mobile")),
    "facebook": ("www.facebook.com", ("facebook.com", "fb.com"),
                 ("m", "mobile", "mbasic", "web", "touch")),
    "instagram": ("www.instagram.com", ("instagram.com",), ("m",)),
    "github": ("github.com", ("github.com",), ()),
    "bluesky": ("bsky.app", ("bsky.app",), ()),
    "wantedly": ("www.wantedly.com", ("wantedly.com",), ("m",)),
    "eight": ("8card.net", ("8card.net",), ()),
}

# Host (with any "www." already dropped) -> (platform, canonical host). This is the dispatch
# table: the platform picks the profile parser in _PROFILE_PARSERS below.
_HOSTS: dict[str, tuple[str, str]] = {}
for _platform, (_canonical, _domains, _subdomains) in _SITES.items():
    for _domain in _domains:
        _HOSTS[_domain] = (_platform, _canonical)
        for _sub in _subdomains:
            _HOSTS[f"{_sub}.{_domain}"] = (_platform, _canonical)

# LinkedIn and Facebook also serve the same pages under locale subdomains (jp.linkedin.com,
# ja-jp.facebook.com). Other subdomains (business.linkedin.com, developers.facebook.com) are
# different sites and stay generic web pages.
_LOCALE_HOSTS = (
    (re.compile(r"[a-z]{2}(?:-[a-z]{2})?\.linkedin\.com"), ("linkedin", "www.linkedin.com")),
    (re.compile(r"[a-z]{2}-[a-z]{2}\.facebook\.com"), ("facebook", "www.facebook.com")),
)

# Sites that also use the "/@name" path shape but are not Mastodon (or the fediverse at all).
# Without this list https://medium.com/@someone would be read as a Mastodon account.
_AT_PATHS_NOT_MASTODON = frozenset({
    "medium.com", "youtube.com", "m.youtube.com", "music.youtube.com", "tiktok.com",
    "m.tiktok.com", "threads.net", "threads.com", "substack.com", "figma.com", "hashnode.com",
    "producthunt.com",
})

# Query parameters that only track where a click came from; they never change the page.
_TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "li_fat_id", "igshid", "igsh", "si", "ref", "ref_src", "ref_url", "trk", "mc_cid", "mc_eid",
    "_hsenc", "_hsmkt", "mkt_tok", "_ga", "_gl", "oly_enc_id", "oly_anon_id", "vero_id",
})
_TRACKING_PREFIXES = ("utm_",)
# Per-site extras. "s" and "t" are X's share parameters; on other sites "s" is often a search
# query (WordPress: ?s=term), so it is only dropped on X.
_SITE_TRACKING_PARAMS: dict[str, frozenset[str]] = {
    "x": frozenset({"s", "t"}),
    "linkedin": frozenset({"trkinfo", "lipi", "lici", "licu", "originalsubdomain",
                           "miniprofileurn", "midtoken", "midsig", "trackingid", "refid", "ebp"}),
    "facebook": frozenset({"mibextid", "rdid", "sfnsn", "paipv", "eav", "fref", "hc_ref",
                           "hc_location", "comment_tracking"}),
}
_SITE_TRACKING_PREFIXES: dict[str, tuple[str, ...]] = {
    "facebook": ("__",),    # __tn__, __cft__[0], __xts__[0], __eep__: Facebook's click tracking
}


# --------------------------------------------------------------------------------------------
# Generic URL parsing and normalisation.
# --------------------------------------------------------------------------------------------

_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = "!$&'()*+,;="


def _percent_normaliser(safe: str) -> Callable[[str], str]:
    """A function that puts one URL component in normal percent-encoded form (RFC 3986 6.2.2).

    Escapes of unreserved characters are decoded (%7E -> ~), other escapes get upper-case hex,
    and every character that may not appear literally (non-ASCII, spaces, a stray "%") is
    UTF-8 percent-encoded. Characters in ``safe`` stay as they are, encoded or not: "%2F" and "/"
    can mean different things, so they are never turned into each other.
    """
    allowed = re.escape(string.ascii_letters + string.digits + "-._~" + safe)
    pattern = re.compile(rf"%[0-9A-Fa-f]{{2}}|[^{allowed}]")

    def replace(match: re.Match[str]) -> str:
        text = match.group()
        if len(text) == 3:                          # an escape: %XX
            char = chr(int(text[1:], 16))
            return char if char in _UNRESERVED else "%" + text[1:].upper()
        return quote(text, safe="")                 # a character that must be escaped

    return lambda component: pattern.sub(replace, component)


# pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; the query also allows "/" and "?".
# "&" and "=" never reach the query normaliser literally except "=" inside a value (kept).
_normalise_segment = _percent_normaliser(_SUB_DELIMS + ":@")
_normalise_query_part = _percent_normaliser(_SUB_DELIMS + ":@/?")

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Text that starts with a domain name and no scheme ("x.com/jack", "www.linkedin.com/in/…") is
# taken as https. Anything with a scheme, "//…", or a user/port part is left to the checks below.
_SCHEMELESS = re.compile(r"[^\s/?#@:\\]+\.[A-Za-z]{2,63}(?:[/?#]|$)")
_LABEL = r"[a-z0-9_][a-z0-9_-]{0,62}"
_HOST_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_PORT = re.compile(r"[0-9]{1,5}")


@dataclass(frozen=True)
class _Parts:
    """A parsed, normalised http(s) URL: what both public functions work from.

    Profile parsers only ever look at these normalised parts, never at the raw text. That is what
    makes the results idempotent: a URL and its canonical form have the same parts.
    """

    platform: str | None                        # the known site this host belongs to, if any
    host: str                                   # canonical host (site's host, or www. dropped)
    port: str                                   # "" or ":8443"; default ports are dropped
    segments: tuple[str, ...]                   # path segments, normalised, none empty
    query: tuple[tuple[str, str | None], ...]   # (key, value or None), normalised, input order

    def query_value(self, key: str) -> str | None:
        """The decoded value of the first ``key`` parameter, if there is one."""
        for name, value in self.query:
            if name == key and value is not None:
                return unquote(value)
        return None


def _shorten(text: str, limit: int = 80) -> str:
    """The input quoted for an error message, cut short so messages stay readable."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _prepare(url: object) -> str:
    """Checks that apply to every input, before any parsing."""
    if not isinstance(url, str):
        raise InvalidUrl(f"a URL must be text, not {type(url).__name__}")
    text = url.strip()
    if not text:
        raise InvalidUrl("empty URL")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"URL is longer than {MAX_URL_LENGTH} characters ({len(text)})")
    if _SURROGATE.search(text):
        # Lone surrogates cannot be UTF-8 encoded, so they cannot be percent-encoded either.
        raise InvalidUrl("URL contains invalid characters (lone surrogates)")
    if _SCHEMELESS.match(text):
        text = "https://" + text    # "github.com/octocat", as people type and paste it
    return text


def _canonical_host_name(raw: str) -> str:
    """Lower-case, punycode (IDNA) host name without a trailing dot; raises InvalidUrl if bad."""
    if not raw:
        raise InvalidUrl("no host")
    try:
        # The stdlib IDNA codec also maps full-width letters and the ideographic full stop
        # ("。"), which Japanese input methods produce, to their ASCII forms.
        host = raw if raw.isascii() else raw.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        raise InvalidUrl(f"invalid host name: {_shorten(raw)}") from None
    host = host.lower().rstrip(".")     # "example.com." is the same host as "example.com"
    if len(host) > 253 or not _HOST_NAME.fullmatch(host):
        raise InvalidUrl(f"invalid host name: {_shorten(raw)}")
    return host


def _drop_www(host: str) -> str:
    # A loop, so that the result never starts with "www." again (idempotence); stop before the
    # registrable name itself ("www.com" stays).
    while host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    return host


def _site_of(host: str) -> tuple[str, str] | None:
    """(platform, canonical host) for a host of a known site; ``host`` has no "www." already."""
    found = _HOSTS.get(host)
    if found is None:
        for pattern, site in _LOCALE_HOSTS:
            if pattern.fullmatch(host):
                return site
    return found


def _split_netloc(netloc: str, scheme: str) -> tuple[str, str]:
    """(host, port) from the authority part; userinfo is refused, default ports dropped."""
    if not netloc:
        raise InvalidUrl("no host")
    if "@" in netloc:
        # Refused rather than dropped: a URL with a password in it should not be stored anywhere,
        # and the message deliberately does not repeat it.
        raise InvalidUrl("URL contains a user name or password; refusing it")
    if netloc.startswith("["):
        end = netloc.find("]")
        address, rest = netloc[1:end], netloc[end + 1:]
        try:
            if end < 0 or "%" in address:
                raise ValueError
            host = f"[{ipaddress.IPv6Address(address).compressed}]"
        except ValueError:
            raise InvalidUrl(f"invalid IPv6 host: {_shorten(netloc)}") from None
        if rest and not rest.startswith(":"):
            raise InvalidUrl(f"invalid host: {_shorten(netloc)}")
        port_text = rest[1:]
    else:
        raw_host, _, port_text = netloc.partition(":")
        host = _canonical_host_name(raw_host)
    if not port_text:
        return host, ""
    if not _PORT.fullmatch(port_text) or not 0 < int(port_text) <= 65535:
        raise InvalidUrl(f"invalid port: {_shorten(port_text)}")
    port = int(port_text)
    # Every result is https, so 443 is dropped whatever the input scheme was; 80 only for http.
    if port == 443 or (scheme == "http" and port == 80):
        return host, ""
    return host, f":{port}"


def _normalise_path(path: str) -> tuple[str, ...]:
    """Normalised segments: empty ones (duplicate or trailing slashes) and dot segments go."""
    segments: list[str] = []
    for raw in path.split("/"):
        segment = _normalise_segment(raw)       # first, so that "%2E%2E" counts as ".."
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    return tuple(segments)


def _normalise_query(query: str) -> tuple[tuple[str, str | None], ...]:
    # Split by hand rather than with parse_qsl: that would decode "+" and "%26" and so change
    # what the query means. "k" and "k=" stay different.
    pairs = []
    for part in query.split("&"):
        if part:
            key, sep, value = part.partition("=")
            pairs.append((_normalise_query_part(key),
                          _normalise_query_part(value) if sep else None))
    return tuple(pairs)


def _parse(text: str) -> _Parts:
    """Parse an already _prepare()d text as an http(s) URL and normalise every part."""
    try:
        split = urlsplit(text)
    except ValueError as exc:
        raise InvalidUrl(f"not a valid URL ({exc}): {_shorten(text)}") from None
    if split.scheme not in ("http", "https"):
        raise InvalidUrl(f"not an http(s) URL: {_shorten(text)}")
    if not split.netloc:
        raise InvalidUrl(f"no host in URL: {_shorten(text)}")
    host, port = _split_netloc(split.netloc, split.scheme)

    platform = None
    if not host.startswith("["):
        host = _drop_www(host)
        site = _site_of(host) if not port else None     # x.com:8443 is not X
        if site is not None:
            platform, host = site

    path, query = split.path, split.query
    if platform == "x" and path in ("", "/") and split.fragment.startswith("!/"):
        # Old "hashbang" links, https://twitter.com/#!/jack: the real path is in the fragment.
        path, _, hash_query = split.fragment[1:].partition("?")
        query = hash_query or query
    return _Parts(platform, host, port, _normalise_path(path), _normalise_query(query))


def _is_tracking(key: str, platform: str | None) -> bool:
    name = unquote(key).lower()
    if name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
        return True
    return (name in _SITE_TRACKING_PARAMS.get(platform, ())
            or name.startswith(_SITE_TRACKING_PREFIXES.get(platform, ())))


def _checked(url: str) -> str:
    # Percent-encoding can make a URL up to nine times longer. A result over the limit would be
    # refused when fed back in, so refuse it now and keep the functions idempotent.
    if len(url) > MAX_URL_LENGTH:
        raise InvalidUrl(f"URL is longer than {MAX_URL_LENGTH} characters once normalised "
                         f"({len(url)})")
    return url


def _assemble(parts: _Parts) -> str:
    """The generic canonical URL of the parts: tracking parameters dropped, the rest sorted."""
    kept = sorted(((key, value) for key, value in parts.query
                   if not _is_tracking(key, parts.platform)),
                  key=lambda pair: (pair[0], pair[1] is not None, pair[1] or ""))
    query = "&".join(key if value is None else f"{key}={value}" for key, value in kept)
    url = f"https://{parts.host}{parts.port}/{'/'.join(parts.segments)}"
    return _checked(f"{url}?{query}" if query else url)


def _profile(platform: str, url: str, handle: str | None) -> CanonicalUrl:
    return CanonicalUrl(platform, _checked(url), handle)


# --------------------------------------------------------------------------------------------
# One profile parser per platform. Each gets the normalised parts of a URL on its site and
# returns the profile, or None when the URL is not a person's profile.
# Character classes are spelled out ASCII ([A-Za-z0-9_]) on purpose: with re.IGNORECASE or \w,
# Python would also accept look-alikes such as the Kelvin sign for "k".
# --------------------------------------------------------------------------------------------

def _first(parts: _Parts) -> str:
    return parts.segments[0].lower() if parts.segments else ""


_X_NAME = re.compile(r"[A-Za-z0-9_]{1,15}")
_X_RESERVED = frozenset({
    "home", "explore", "messages", "i", "settings", "search", "notifications", "compose", "login",
    "logout", "signup", "account", "tos", "privacy", "rules", "hashtag", "intent", "share",
    "bookmarks", "lists", "communities", "jobs", "premium", "about", "download", "oauth",
    "who_to_follow", "topics", "sessions", "flow",
})


# X's numeric account ids. Archives (following.js, direct messages) name people only by id.
_X_ID = re.compile(r"[0-9]{1,20}")


def _x_account_id(value: str | None) -> CanonicalUrl | None:
    # One URL per id: x.com/i/user/<id> is the form x.com itself opens for an id. It has no
    # handle (an id is not a screen name), so a later capture by handle is another identity
    # until the two are merged (issue 9).
    if value is None or not _X_ID.fullmatch(value):
        return None
    return _profile("x", f"https://x.com/i/user/{int(value)}", None)   # "007" is id 7


def _x_profile(parts: _Parts) -> CanonicalUrl | None:
    segments = parts.segments
    if not segments:
        return None
    if (len(segments) >= 3 and segments[0].lower() == "i" and segments[1].lower() == "user"):
        return _x_account_id(segments[2])       # x.com/i/user/<id>
    name = unquote(segments[0]).removeprefix("@")    # x.com/@jack is a common way to write it
    if name.lower() == "intent" and len(segments) > 1 and segments[1] in ("user", "follow"):
        name = parts.query_value("screen_name") or ""
        if not name:    # intent/user?user_id=<id>, as archives write userLink
            return _x_account_id(parts.query_value("user_id"))
    # Anything under /<name>/ (status/…, with_replies, media, likes) still points at the person.
    if not _X_NAME.fullmatch(name) or name.lower() in _X_RESERVED:
        return None
    name = name.lower()     # screen names are case-insensitive
    return _profile("x", f"https://x.com/{name}", name)


# LinkedIn member ids ("ACoAAB…") appear in /in/ links from search and messaging. Unlike slugs
# they are case-sensitive, so they are kept exactly as they are.
_LINKEDIN_MEMBER_ID = re.compile(r"ACoA[A-Za-z0-9_-]{8,}")
_SLUG_REFUSED = re.compile(r"[\s/\\?#%\x00-\x1f\x7f-\x9f\ufffd]")
_LINKEDIN_PUB_PART = re.compile(r"[0-9a-z]{1,3}")


def _linkedin_slug(segment: str) -> str | None:
    """The slug of a /in/ segment as unicode: decoded, NFC, lower-cased; None if not a slug.

    Japanese slugs arrive both percent-encoded (%E5%B1%B1) and raw (山), and in either Unicode
    normal form from some input methods, so all of those must give one slug.
    """
    text = unquote(segment, errors="replace")
    if _LINKEDIN_MEMBER_ID.fullmatch(text):
        return text
    slug = unicodedata.normalize("NFC", text.lower())
    if not slug or _SLUG_REFUSED.search(slug):
        return None
    return slug


def _linkedin_profile(parts: _Parts) -> CanonicalUrl | None:
    segments = parts.segments
    if segments and segments[0].lower() == "mwlite":   # LinkedIn Lite: /mwlite/in/<slug>
        segments = segments[1:]
    kind = segments[0].lower() if segments else ""
    if kind == "in" and len(segments) >= 2:
        # /in/<slug>/ja, /in/<slug>/en-us, /in/<slug>/details/…: the rest is a locale or a
        # sub-page of the same person, so only the slug counts.
        slug = _linkedin_slug(segments[1])
        if slug is None:
            return None
        return _profile("linkedin", f"https://www.linkedin.com/in/{quote(slug, safe='')}", slug)
    if kind == "pub" and len(segments) >= 5 and segments[1].lower() != "dir":
        # Old public profile URLs, /pub/<name>/<a>/<b>/<c>: still a person, kept (lower-cased).
        # No handle: <name> alone is not unique, and the /in/ slug cannot be derived from it.
        name = _linkedin_slug(segments[1])
        rest = [segment.lower() for segment in segments[2:5]]
        if name is None or not all(_LINKEDIN_PUB_PART.fullmatch(part) for part in rest):
            return None
        path = "/".join([quote(name, safe=""), *rest])
        return _profile("linkedin", f"https://www.linkedin.com/pub/{path}", None)
    return None     # /company/, /school/, /feed/, /messaging/…: not a person


_GITHUB_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
_GITHUB_RESERVED = frozenset({
    "orgs", "organizations", "settings", "explore", "marketplace", "notifications", "topics",
    "sponsors", "about", "login", "logout", "join", "signup", "pricing", "features", "enterprise",
    "enterprises", "collections", "trending", "search", "new", "pulls", "issues", "codespaces",
    "apps", "site", "security", "customer-stories", "readme", "team", "teams", "events", "stars",
    "watching", "dashboard", "account", "contact", "blog", "nonprofit", "education", "mobile",
    "resources", "solutions", "copilot", "users", "sessions", "password_reset", "discussions",
    "repositories", "home", "partners", "premium-support", "git-guides",
})


def _github_profile(parts: _Parts) -> CanonicalUrl | None:
    segments = parts.segments
    if len(segments) == 2 and segments[0].lower() == "sponsors":
        login = segments[1]                     # github.com/sponsors/<login> is about the login
    elif len(segments) == 1:
        login = segments[0]                     # ?tab=repositories etc. is dropped with the query
    else:
        return None                             # /<login>/<repo>…: a repository, not a person
    if not _GITHUB_LOGIN.fullmatch(login) or login.lower() in _GITHUB_RESERVED:
        return None
    login = login.lower()                       # logins are case-insensitive
    return _profile("github", f"https://github.com/{login}", login)


_DIGITS = re.compile(r"[0-9]{1,20}")
_FACEBOOK_NAME = re.compile(r"[A-Za-z0-9.]{1,50}")
_FACEBOOK_RESERVED = frozenset({
    "profile.php", "people", "pages", "pg", "groups", "group", "events", "event", "messages",
    "watch", "marketplace", "gaming", "games", "photo", "photo.php", "photos", "permalink.php",
    "story.php", "sharer", "sharer.php", "share", "share.php", "login", "login.php", "logout.php",
    "recover", "home", "home.php", "settings", "notifications", "friends", "bookmarks", "help",
    "policies", "policy.php", "privacy", "legal", "terms", "search", "hashtag", "stories",
    "story", "reel", "reels", "ads", "business", "dialog", "plugins", "l.php", "video.php",
    "videos", "video", "media", "saved", "memories", "fundraisers", "donate", "places", "latest",
    "feeds", "jobs", "careers", "about", "ajax", "api", "graphql", "checkpoint", "r.php", "reg",
    "signup", "campaign", "offers", "live", "lite", "mobile", "notes", "apps", "me", "composer",
    "community", "communities", "payments", "commerce", "instantgames", "tr", "privacy_sandbox",
})


def _facebook_id(value: str | None) -> CanonicalUrl | None:
    if value is None or not _DIGITS.fullmatch(value):
        return None
    return _profile("facebook", f"https://www.facebook.com/profile.php?id={value}", value)


def _facebook_profile(parts: _Parts) -> CanonicalUrl | None:
    segments, first = parts.segments, _first(parts)
    if first == "profile.php":
        return _facebook_id(parts.query_value("id"))
    if first == "people" and len(segments) >= 3:
        return _facebook_id(segments[2])        # /people/<Display-Name>/<id>/
    if _DIGITS.fullmatch(first):
        return _facebook_id(first)              # facebook.com/<id> is profile.php?id=<id>
    if not _FACEBOOK_NAME.fullmatch(first):
        return None
    # Facebook ignores dots and case in usernames ("John.Smith" is "johnsmith"), so both go.
    name = first.replace(".", "")
    if (not name or _DIGITS.fullmatch(name)
            or first in _FACEBOOK_RESERVED or name in _FACEBOOK_RESERVED):
        return None
    return _profile("facebook", f"https://www.facebook.com/{name}", name)


_INSTAGRAM_NAME = re.compile(r"[A-Za-z0-9._]{1,30}")
_INSTAGRAM_RESERVED = frozenset({
    "p", "reel", "reels", "tv", "explore", "accounts", "direct", "stories", "about", "legal",
    "developer", "web", "challenge", "emails", "session", "privacy", "terms", "api", "graphql",
    "oauth", "_n", "_u", "ar", "directory", "lite", "nametag", "create", "static", "topics",
    "highlights", "locations",
})


def _instagram_profile(parts: _Parts) -> CanonicalUrl | None:
    segments, first = parts.segments, _first(parts)
    # /stories/<name>/<id>/ and the app deep link /_u/<name> name the person in the second
    # segment; otherwise /<name>/ and anything under it (/reels/, /tagged/, /p/<id>) is theirs.
    name = segments[1] if first in ("stories", "_u") and len(segments) > 1 else first
    if not _INSTAGRAM_NAME.fullmatch(name) or name.lower() in _INSTAGRAM_RESERVED:
        return None
    name = name.lower()
    return _profile("instagram", f"https://www.instagram.com/{name}", name)


# DIDs are case-sensitive, so they are kept as they are. "%" is excluded so that a decoded DID
# never needs re-encoding (idempotence).
_DID = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:-]*[A-Za-z0-9._-]")
_DNS_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_BLUESKY_HANDLE = re.compile(rf"(?:{_DNS_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?")


def _bluesky_profile(parts: _Parts) -> CanonicalUrl | None:
    segments = parts.segments
    if len(segments) < 2 or segments[0] != "profile":
        return None
    # /profile/<actor>/post/<id>, /lists/…, /feed/…: the actor is the person.
    actor = unquote(segments[1]).removeprefix("@")
    if not _DID.fullmatch(actor):
        actor = actor.lower()                   # handles are domain names: case-insensitive
        if not _BLUESKY_HANDLE.fullmatch(actor):
            return None
    return _profile("bluesky", f"https://bsky.app/profile/{actor}", actor)


_WANTEDLY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _wantedly_profile(parts: _Parts) -> CanonicalUrl | None:
    segments = parts.segments
    if len(segments) < 2 or segments[0] != "id" or not _WANTEDLY_ID.fullmatch(segments[1]):
        return None     # /companies/…, /projects/…: not a person
    # Assumed case-insensitive, like the other sites' user names.
    user = segments[1].lower()
    return _profile("wantedly", f"https://www.wantedly.com/id/{user}", user)


# Eight (Sansan's business-card network). Public profiles are https://8card.net/p/<person id>
# (a number in every example found; any id of letters, digits, "-" and "_" is accepted in case
# that changes). Shared digital business cards are https://8card.net/virtual_cards/<token>: a
# person, but the token is not their id, so those get no handle. Ids and tokens are kept as they
# are: tokens are case-sensitive, and nothing says ids are not.
_EIGHT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_EIGHT_CARD_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,128}")


def _eight_profile(parts: _Parts) -> CanonicalUrl | None:
    segments = parts.segments
    if len(segments) >= 2 and segments[0] == "p" and _EIGHT_ID.fullmatch(segments[1]):
        return _profile("eight", f"https://8card.net/p/{segments[1]}", segments[1])
    if (len(segments) == 2 and segments[0] == "virtual_cards"
            and _EIGHT_CARD_TOKEN.fullmatch(segments[1])):
        return _profile("eight", f"https://8card.net/virtual_cards/{segments[1]}", None)
    return None


_PROFILE_PARSERS: dict[str, Callable[[_Parts], CanonicalUrl | None]] = {
    "linkedin": _linkedin_profile,
    "x": _x_profile,
    "facebook": _facebook_profile,
    "instagram": _instagram_profile,
    "github": _github_profile,
    "bluesky": _bluesky_profile,
    "wantedly": _wantedly_profile,
    "eight": _eight_profile,
}


# --------------------------------------------------------------------------------------------
# Mastodon: any host, recognised by the shape of the URL or of the account address.
# --------------------------------------------------------------------------------------------

# Mastodon itself allows [A-Za-z0-9_]; other fediverse servers (Misskey, Pleroma…) also use "."
# and "-" inside names, and the same address form, so they are accepted too.
_FEDI_USER = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?")
# "@user@instance", "user@instance", "acct:user@instance" (the "acct:" prefix is removed first).
_ACCOUNT_ADDRESS = re.compile(r"@?([^@\s/?#:]+)@([^@\s/?#:]+)")


def _mastodon_account(user: str, server: str) -> CanonicalUrl | None:
    """The account user@server, or None if that cannot be a Mastodon account."""
    if not _FEDI_USER.fullmatch(user):
        return None
    try:
        server = _drop_www(_canonical_host_name(server))
    except InvalidUrl:
        return None
    # An account "on" x.com or medium.com would give a URL that reads back as another platform.
    if _site_of(server) is not None or server in _AT_PATHS_NOT_MASTODON:
        return None
    user = user.lower()     # Mastodon looks user names up case-insensitively
    return _profile("mastodon", f"https://{server}/@{user}", f"{user}@{server}")


def _mastodon_profile(parts: _Parts, hint: bool) -> CanonicalUrl | None:
    """A Mastodon profile URL on a host that is not a known site, or None."""
    if parts.port or parts.host.startswith("[") or parts.host in _AT_PATHS_NOT_MASTODON:
        return None
    if not parts.segments:
        return None
    first = unquote(parts.segments[0])
    if first.startswith("@"):
        # /@user, /@user/<status id>, and /@user@other.server: how one server shows an account
        # that lives on another; the person is the account on the other server.
        user, _, server = first[1:].partition("@")
        return _mastodon_account(user, server or parts.host)
    if hint and first == "users" and len(parts.segments) > 1:
        # /users/<user> is the ActivityPub id. Many unrelated sites have /users/<name> paths, so
        # it is only trusted when the caller already knows the page is a Mastodon one.
        return _mastodon_account(unquote(parts.segments[1]), parts.host)
    return None


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def canonical_url(url: str) -> str:
    """The generic canonical form of an http(s) URL.

    https (text with no scheme that starts with a domain name is read as https); lower-case
    punycode host; "www." dropped (for a known site, its own canonical host:
    m.facebook.com -> www.facebook.com, twitter.com -> x.com); default port, fragment and tracking
    parameters dropped, the other parameters sorted; duplicate and trailing slashes and dot
    segments removed (the root stays "/"); percent-encoding normalised. Raises InvalidUrl.
    """
    return _assemble(_parse(_prepare(url)))


def canonical_profile_url(url: str, *, mastodon_hint: bool = False) -> CanonicalUrl:
    """Platform, canonical profile URL and handle of a URL that may point at a person.

    Also accepts Mastodon account addresses (``@user@server``, ``user@server``,
    ``acct:user@server``), and text that starts with a domain name but has no scheme
    (``x.com/jack``), which is read as https. A URL on a known site that is not a profile gets
    that site's platform, ``canonical_url()`` and no handle; a URL on any other site is platform
    "web". Set
    ``mastodon_hint`` when the page is known to be a Mastodon server's, so that ActivityPub ids
    (``https://server/users/<user>``) are read as accounts. Raises InvalidUrl, and nothing else.
    """
    text = _prepare(url)
    is_acct = text[:5].lower() == "acct:"
    match = _ACCOUNT_ADDRESS.fullmatch(text[5:] if is_acct else text)
    if match is not None or is_acct:
        account = _mastodon_account(*match.groups()) if match is not None else None
        if account is None:
            raise InvalidUrl(f"not a valid Mastodon account address: {_shorten(text)}")
        return account

    parts = _parse(text)
    if parts.platform is not None:
        profile = _PROFILE_PARSERS[parts.platform](parts)
        return profile or CanonicalUrl(parts.platform, _assemble(parts), None)
    profile = _mastodon_profile(parts, mastodon_hint)
    return profile or CanonicalUrl("web", _assemble(parts), None)
