"""Canonical profile URLs: every variant of a person's URL gives the same identity.

``canonical_profile_url`` knows each supported site's profile URL shapes (twitter.com = x.com,
LinkedIn /in/<slug> with locale suffixes, Mastodon's @user@instance forms, …) and returns the
platform, one canonical URL and the handle. Any other http(s) URL is a "web" identity with the
generic normalisation of ``canonical_url``. This runs on every popup lookup: plain string work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

MAX_URL_CHARS = 2048

# Query parameters that only track where a click came from.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "igsh", "si", "ref", "ref_src", "ref_url",
    "trk", "trkinfo", "lipi", "licu", "originalsubdomain", "mc_cid", "mc_eid", "_hsenc",
    "_hsmkt", "s", "t", "src", "source", "feature", "mibextid", "__tn__", "__cft__",
    "mini_profile_urn", "miniprofileurn", "locale", "hl", "lang", "tab",
})


class InvalidUrl(ValueError):
    """Not an http(s) URL that could name a person."""


@dataclass(frozen=True)
class CanonicalUrl:
    platform: str
    url: str
    handle: str | None


@dataclass(frozen=True)
class _Parts:
    host: str       # lower-case, punycode, no port, prefixes kept
    path: str       # percent-decoded
    query: list[tuple[str, str]]


def _split(url: str) -> _Parts:
    if not isinstance(url, str):
        raise InvalidUrl("the URL is not text")
    url = url.strip()
    if not url:
        raise InvalidUrl("the URL is empty")
    if len(url) > MAX_URL_CHARS:
        raise InvalidUrl(f"the URL is longer than {MAX_URL_CHARS} characters")
    if "//" not in url and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", url, re.I):
        url = "https://" + url  # "github.com/octocat" typed without a scheme
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"the URL cannot be read: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidUrl(f"not an http(s) URL (scheme {parts.scheme or 'missing'!r})")
    if parts.username is not None or parts.password is not None:
        raise InvalidUrl("URLs with a user name or password are refused")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidUrl("the URL has no host")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidUrl(f"the host {host!r} is not a valid domain name") from None
    if re.search(r"[^a-z0-9.\-:\[\]]", host):
        raise InvalidUrl(f"the host {host!r} is not a valid domain name")
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    query = parse_qsl(parts.query, keep_blank_values=True)
    return _Parts(host, unquote(parts.path), query)


def _quote_path(path: str) -> str:
    return quote(path, safe="/@:!$&'()*+,;=~-._")


def _clean_path(path: str) -> str:
    path = re.sub(r"/{2,}", "/", path or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def canonical_url(url: str) -> str:
    """Any http(s) URL normalised: https, lower-case host without www., no fragment, no
    tracking parameters, the rest sorted, no trailing slash."""
    parts = _split(url)
    host = parts.host[4:] if parts.host.startswith("www.") else parts.host
    query = sorted((k, v) for k, v in parts.query
                   if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_"))
    text = f"https://{host}{_quote_path(_clean_path(parts.path))}"
    return text + ("?" + urlencode(query) if query else "")


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


# -- one function per site ------------------------------------------------------------------------

X_RESERVED = frozenset({"home", "explore", "messages", "i", "settings", "search",
                        "notifications", "compose", "login", "logout", "signup", "tos",
                        "privacy", "intent", "share", "hashtag", "account", "jobs"})
SCREEN_NAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")


def _x(parts: _Parts) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if segs and segs[0].lower() not in X_RESERVED and SCREEN_NAME.match(segs[0]):
        name = segs[0].lower()
        return CanonicalUrl("x", f"https://x.com/{name}", name)
    return None


def _linkedin(parts: _Parts) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if len(segs) >= 2 and segs[0].lower() == "in":
        slug = segs[1].lower()
        return CanonicalUrl("linkedin", f"https://www.linkedin.com/in/{quote(slug, safe='-_.~')}",
                            slug)
    if len(segs) >= 2 and segs[0].lower() == "pub":
        path = "/".join(s.lower() for s in segs)
        return CanonicalUrl("linkedin", f"https://www.linkedin.com/{quote(path, safe='/-_.~')}",
                            segs[1].lower())
    return None


GITHUB_RESERVED = frozenset({"orgs", "settings", "explore", "marketplace", "notifications",
                             "topics", "login", "logout", "join", "features", "pricing",
                             "about", "site", "search", "trending", "collections", "apps",
                             "organizations", "enterprise", "pulls", "issues", "new", "codespaces"})
GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")


def _github(parts: _Parts) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if len(segs) == 2 and segs[0].lower() == "sponsors":
        segs = segs[1:]
    if len(segs) == 1 and segs[0].lower() not in GITHUB_RESERVED and GITHUB_LOGIN.match(segs[0]):
        login = segs[0].lower()
        return CanonicalUrl("github", f"https://github.com/{login}", login)
    return None


FACEBOOK_RESERVED = frozenset({"messages", "groups", "pages", "events", "watch", "marketplace",
                               "login", "home.php", "settings", "notifications", "photo",
                               "photo.php", "story.php", "permalink.php", "sharer", "hashtag"})


def _facebook(parts: _Parts) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if segs[:1] == ["profile.php"]:
        ident = dict(parts.query).get("id", "")
        if ident.isdigit():
            return CanonicalUrl("facebook", f"https://www.facebook.com/profile.php?id={ident}",
                                ident)
        return None
    if segs[:1] == ["people"] and len(segs) >= 3 and segs[2].isdigit():
        return CanonicalUrl("facebook", f"https://www.facebook.com/profile.php?id={segs[2]}",
                            segs[2])
    if segs and segs[0].lower() not in FACEBOOK_RESERVED and re.match(r"^[\w.]+$", segs[0]):
        name = segs[0].lower()
        return CanonicalUrl("facebook", f"https://www.facebook.com/{name}", name)
    return None


INSTAGRAM_RESERVED = frozenset({"p", "reel", "reels", "explore", "accounts", "direct", "tv",
                                "about", "legal", "developer"})


def _instagram(parts: _Parts) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if len(segs) >= 2 and segs[0] == "stories":
        segs = segs[1:]
    if segs and segs[0].lower() not in INSTAGRAM_RESERVED and re.match(r"^[\w.]{1,30}$", segs[0]):
        name = segs[0].lower()
        return CanonicalUrl("instagram", f"https://www.instagram.com/{name}", name)
    return None


def _bluesky(parts: _Parts) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if len(segs) >= 2 and segs[0] == "profile":
        handle = segs[1]
        if not handle.startswith("did:"):  # DIDs are case-sensitive; handles are domains
            handle = handle.lower()
        return CanonicalUrl("bluesky", f"https://bsky.app/profile/{handle}", handle)
    return None


def _wantedly(parts: _Parts) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if len(segs) >= 2 and segs[0] == "id":
        user = segs[1].lower()
        return CanonicalUrl("wantedly", f"https://www.wantedly.com/id/{user}", user)
    return None


def _eight(parts: _Parts) -> CanonicalUrl | None:
    # Eight's public profile pages are assumed to be https://8card.net/p/<id> (the form its
    # share links use); other 8card.net pages are not people.
    segs = _segments(parts.path)
    if len(segs) >= 2 and segs[0] == "p":
        return CanonicalUrl("eight", f"https://8card.net/p/{segs[1]}", segs[1])
    return None


MASTODON_USER = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
DOMAIN = r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}"
ACCT = re.compile(rf"^(?:acct:)?@?({MASTODON_USER})@({DOMAIN})$")


def _mastodon(user: str, instance: str) -> CanonicalUrl:
    user, instance = user.lower(), instance.lower()
    return CanonicalUrl("mastodon", f"https://{instance}/@{user}", f"{user}@{instance}")


def _mastodon_path(parts: _Parts, hint: bool) -> CanonicalUrl | None:
    segs = _segments(parts.path)
    if not segs:
        return None
    first = segs[0]
    if first.startswith("@") and len(first) > 1:
        remote = ACCT.match(first)
        if remote:  # https://home.example/@user@other.example: the account on other.example
            return _mastodon(remote[1], remote[2])
        if re.fullmatch(MASTODON_USER, first[1:]):
            return _mastodon(first[1:], parts.host)
    if hint and len(segs) >= 2 and first == "users" and re.fullmatch(MASTODON_USER, segs[1]):
        return _mastodon(segs[1], parts.host)
    return None


SITES = {
    "x.com": _x, "twitter.com": _x,
    "linkedin.com": _linkedin,
    "github.com": _github,
    "facebook.com": _facebook, "fb.com": _facebook,
    "instagram.com": _instagram,
    "bsky.app": _bluesky,
    "wantedly.com": _wantedly,
    "8card.net": _eight,
}
PLATFORM_OF_SITE = {"x.com": "x", "twitter.com": "x", "linkedin.com": "linkedin",
                    "github.com": "github", "facebook.com": "facebook", "fb.com": "facebook",
                    "instagram.com": "instagram", "bsky.app": "bluesky",
                    "wantedly.com": "wantedly", "8card.net": "eight"}
SITE_PREFIXES = ("www.", "m.", "mobile.", "mbasic.", "web.", "touch.")


def _site_of(host: str) -> str | None:
    if host in SITES:
        return host
    for prefix in SITE_PREFIXES:
        if host.startswith(prefix) and host[len(prefix):] in SITES:
            return host[len(prefix):]
    if host.endswith(".linkedin.com"):  # jp.linkedin.com, de.linkedin.com, …
        return "linkedin.com"
    return None


def canonical_profile_url(url: str, *, mastodon_hint: bool = False) -> CanonicalUrl:
    """The identity a URL names. Raises InvalidUrl for anything that is not http(s)."""
    if isinstance(url, str):
        acct = ACCT.match(url.strip())
        if acct:
            return _mastodon(acct[1], acct[2])
    parts = _split(url)
    site = _site_of(parts.host)
    if site is not None:
        found = SITES[site](parts)
        if found is not None:
            return found
        return CanonicalUrl(PLATFORM_OF_SITE[site], canonical_url(url), None)
    found = _mastodon_path(parts, mastodon_hint)
    if found is not None:
        return found
    return CanonicalUrl("web", canonical_url(url), None)
