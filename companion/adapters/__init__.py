"""The adapter registry: which adapter reads a captured page.

Site adapters (every module of ``companion.adapters.sites``, by ``PRIORITY`` then name) come
first, then adapters added with
``register`` (tests, plug-ins), and the generic adapter last, so a site adapter always wins over
the generic reading of the same page. See companion/adapters/README.md for the contract.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import pkgutil
import threading
from typing import Iterator

from . import generic
from .base import Adapter, Page, matches_url

log = logging.getLogger(__name__)

DEFAULT_PRIORITY = 100


def site_adapter_modules() -> list[str]:
    """The modules of companion/adapters/sites/, each one site's adapter."""
    from . import sites
    return [f"{sites.__name__}.{info.name}" for info in pkgutil.iter_modules(sites.__path__)
            if not info.name.startswith("_")]


_lock = threading.Lock()
_site: list[Adapter] | None = None
_registered: list[Adapter] = []


def _site_adapters() -> list[Adapter]:
    global _site
    if _site is None:
        with _lock:
            if _site is None:
                # imported on first use, so that a site module may import generic freely
                modules = [importlib.import_module(name) for name in site_adapter_modules()]
                modules.sort(key=lambda m: (getattr(m, "PRIORITY", DEFAULT_PRIORITY), m.id))
                _site = modules
    return _site


def all_adapters() -> list[Adapter]:
    """Every adapter in the order ``pick`` tries them: site adapters, registered ones, generic."""
    return [*_site_adapters(), *_registered, generic]


def get(adapter_id: str) -> Adapter | None:
    """The adapter with this id, or None (an adapter of an old capture may be gone)."""
    return next((a for a in all_adapters() if a.id == adapter_id), None)


def pick(page: Page, kind: str = "auto") -> Adapter | None:
    """The first adapter that matches the page's URL, reads ``kind`` ("profile", "thread", or
    "auto" for any) and detects its content; None when no adapter does.

    A detect() that raises counts as False (logged at debug level). An adapter that sets
    ``EXCLUSIVE = True`` speaks for every page its URL patterns match: a page there it does not
    detect is nobody's (GitHub's organisation pages carry a profile-like OpenGraph that the
    generic adapter would otherwise take for a person).
    """
    for adapter in all_adapters():
        if kind != "auto" and kind not in adapter.kinds:
            continue
        try:
            if not matches_url(adapter, page.url):
                continue
        except (TypeError, ValueError):  # page.url not a string, or a broken pattern
            log.debug("adapter %s: URL match failed for %r", adapter.id, page.url, exc_info=True)
            continue
        try:
            if adapter.detect(page):
                return adapter
        except Exception:
            log.debug("adapter %s: detect raised on %s", adapter.id, page.url, exc_info=True)
        if getattr(adapter, "EXCLUSIVE", False):
            return None
    return None


def register(adapter: Adapter) -> None:
    """Add an adapter, tried after the site adapters and before the generic one."""
    if not isinstance(adapter, Adapter):
        raise TypeError(f"{adapter!r} does not satisfy the Adapter protocol")
    if any(a.id == adapter.id for a in all_adapters()):
        raise ValueError(f"an adapter with id {adapter.id!r} is already registered")
    with _lock:
        _registered.append(adapter)


def unregister(adapter_id: str) -> None:
    """Remove an adapter added with ``register`` (built-in adapters cannot be removed)."""
    with _lock:
        _registered[:] = [a for a in _registered if a.id != adapter_id]


@contextlib.contextmanager
def registered(adapter: Adapter) -> Iterator[Adapter]:
    """``with registered(my_adapter): ...``: the adapter is in the registry inside the block."""
    register(adapter)
    try:
        yield adapter
    finally:
        unregister(adapter.id)


def describe() -> list[dict]:
    """What GET /api/v1/adapters returns: one dict per adapter, in ``pick`` order."""
    return [
        {
            "id": a.id,
            "label": a.label,
            "version": a.version,
            "kinds": list(a.kinds),
            "url_patterns": list(a.url_patterns),
            "thread_url_patterns": list(getattr(a, "thread_url_patterns", ())),
        }
        for a in all_adapters()
    ]


__all__ = ["all_adapters", "get", "pick", "register", "unregister", "registered", "describe",
           "site_adapter_modules"]
