"""A contact from a link to someone's profile ("Save to Goen" on a link), without the page.

Goen never fetches a page the user did not open (docs/ARCHITECTURE.md: it does not crawl), so
all it knows of a linked person is the URL and the link's text. That is enough to start a
contact; the first capture of the profile itself fills in the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.adapters.base import Profile
from companion.adapters.names import apply_names
from companion.db import Database, utc_now
from companion.errors import bad_request
from companion.model import ContactSummary
from companion.services import identity
from companion.services.contacts import get_summary
from companion.urls import InvalidUrl, canonical_profile_url

MAX_URL_CHARS = 2048
MAX_NAME_CHARS = 200


@dataclass
class SavedLink:
    contact: ContactSummary
    created: bool


def _clean_name(value: object, handle: str) -> str:
    if value is None:
        return handle
    if not isinstance(value, str):
        raise bad_request("display_name must be a string or null.", "display_name")
    # Link text often spans lines ("Taro Yamada\n· 1st"): keep its first line only.
    first_line = next((line.strip() for line in value.splitlines() if line.strip()), "")
    return first_line[:MAX_NAME_CHARS] or handle


def save_profile_link(db: Database, data: object) -> SavedLink:
    """Find or create the contact a profile link points to. An existing contact is left as it is:
    a link's text says less about a person than anything already saved."""
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    url = data.get("url")
    if not isinstance(url, str) or not url or len(url) > MAX_URL_CHARS:
        raise bad_request(f"url must be a URL of at most {MAX_URL_CHARS} characters.", "url")
    try:
        canonical = canonical_profile_url(url)
    except InvalidUrl as exc:
        raise bad_request(str(exc), "url") from None
    if not canonical.handle:
        raise bad_request("This link is not a profile on a site Goen knows.", "url")
    profile = apply_names(Profile(display_name=_clean_name(data.get("display_name"),
                                                           canonical.handle),
                                  url=canonical.url, handle=canonical.handle))
    with db.transaction() as conn:
        existing = conn.execute("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                                (canonical.platform, canonical.url)).fetchone()
        if existing:
            contact_id, created = existing[0], False
        else:
            contact_id = identity.resolve_profile(conn, profile, canonical.url, utc_now()).contact_id
            created = True
    return SavedLink(get_summary(db, contact_id), created)
