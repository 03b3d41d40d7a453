"""Every fixture page under tests/fixtures/sites/<adapter>/<case>.html against <case>.json.

<case>.json holds:
  "url":       the URL the page was captured at (Page.url)
  "expected":  Extraction.to_dict() of <adapter>.extract(page), or null for a page on which
               that adapter must find nothing (extract raises ExtractionError)
  "picked_by": optional, the adapter id pick(page, kind) must return when it is not the
               fixture's own adapter (e.g. once a site adapter claims a URL); null means no
               adapter at all. Defaults: the fixture's adapter, or null when expected is null.
  "kind":      optional kind passed to pick(), default: expected.kind, or "auto"
  "note":      free text for humans
See companion/adapters/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion import adapters
from companion.adapters.base import ExtractionError, Page

SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
CASES = sorted(SITES.glob("*/*.html"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_fixtures_exist():
    assert CASES, f"no fixtures under {SITES}"
    missing = [_id(p) for p in CASES if not p.with_suffix(".json").exists()]
    assert not missing, f"fixtures without a .json: {missing}"


@pytest.mark.parametrize("html_path", CASES, ids=_id)
def test_fixture(html_path: Path):
    spec = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
    # bytes → str exactly as the extension sends it (UTF-8; undecodable bytes replaced)
    html = html_path.read_bytes().decode("utf-8", errors="replace")
    adapter_id = html_path.parent.name
    adapter = adapters.get(adapter_id)
    assert adapter is not None, f"no adapter with id {adapter_id!r} in the registry"
    expected = spec["expected"]
    page = Page(spec["url"], html, captured_at=spec.get("captured_at"))

    if expected is None:
        assert adapter.detect(page) is False
        with pytest.raises(ExtractionError):
            adapter.extract(page)
    else:
        assert adapter.detect(page) is True
        assert adapter.extract(page).to_dict() == expected

    kind = spec.get("kind") or (expected["kind"] if expected else "auto")
    want = spec.get("picked_by", adapter_id if expected is not None else None)
    picked = adapters.pick(Page(spec["url"], html, captured_at=spec.get("captured_at")), kind)
    assert (picked.id if picked else None) == want


@pytest.mark.parametrize("html_path", CASES, ids=_id)
def test_thread_url_patterns_tell_threads_from_profiles(html_path: Path):
    """The extension offers "Save conversation" where an adapter's thread_url_patterns match
    (GET /api/v1/adapters): every thread fixture's URL must match one of its adapter's
    patterns, and no profile's URL may."""
    import re

    spec = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
    expected = spec["expected"]
    if expected is None:
        return
    adapter = adapters.get(html_path.parent.name)
    patterns = [re.compile(p) for p in getattr(adapter, "thread_url_patterns", ())]
    is_thread_url = any(p.search(spec["url"]) for p in patterns)
    assert is_thread_url == (expected["kind"] == "thread"), spec["url"]
