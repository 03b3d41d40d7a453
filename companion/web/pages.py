"""The web view's pages (issue 7): server-rendered with Jinja (autoescape on), small vanilla
JavaScript from companion/web/static, opened through the one-time launch link (launch.py).

    GET  /                         Today            (pages_today.py)
    GET  /contacts/<id>            a person         (pages_person.py)
    GET  /contacts                 Contacts         (pages_contacts.py)
    GET  /network                  Network          (pages_network.py)
    GET  /events                   Events           (pages_events.py)
    GET  /settings                 Settings         (pages_settings.py)
    GET  /import                   Import by upload (pages_import.py)
    GET  /duplicates               The same person twice: proposals, merges (pages_duplicates.py)

The blueprint, the session and CSRF rules and the security headers are in pages_common.py;
the JSON endpoints the pages' scripts call live under /web/ next to the page they serve.
Registering ``bp`` registers them all.
"""

from __future__ import annotations

from companion.web import (pages_contacts, pages_duplicates,  # noqa: F401 (routes)
                           pages_events, pages_import, pages_network, pages_person,
                           pages_settings, pages_today)
from companion.web.pages_common import bp

__all__ = ["bp"]
