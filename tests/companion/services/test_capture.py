"""The capture service on its own: raw first, threads idempotent, bodies never logged."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from companion import adapters
from companion.adapters.base import Extraction, Message, Page, Profile, Thread
from companion.services.capture import CaptureInput, load_html, save_capture
from tests.helpers import jsonld_person_page

ME = "https://x.com/me_myself"


@dataclass
class FakeThreadAdapter:
    """A stand-in site adapter that reads a tiny made-up thread format (one message per <li>),
    so the store's thread handling can be tested before the real site adapters exist."""

    id: str = "test-thread"
    label: str = "Test thread"
    version: str = "1"
    kinds: tuple = ("thread",)
    url_patterns: tuple = (r"^https://threads\.test/",)

    def detect(self, page: Page) -> bool:
        return "<ul class=thread" in page.html

    def extract(self, page: Page) -> Extraction:
        messages = []
        for li in page.tree.iter("li"):
            messages.append(Message(occurred_at=li.get("data-time"), text=li.text_content(),
                                    sender_url=li.get("data-from"),
                                    external_id=li.get("data-id")))
        return Extraction("thread", thread=Thread(
            thread_key="t1",
            participants=[Profile("Me", url=ME),
                          Profile("Hanako", url="https://x.com/hanako")],
            messages=messages))


def thread_page(*messages: tuple[str, str, str, str | None]) -> str:
    items = "".join(
        f'<li data-id="{mid or ""}" data-from="{sender}" data-time="{time}">{text}</li>'
        .replace('data-id=""', "") for sender, time, text, mid in messages)
    return f"<html><body><ul class=thread>{items}</ul></body></html>"


@pytest.fixture
def thread_adapter():
    with adapters.registered(FakeThreadAdapter()) as adapter:
        yield adapter


def capture(db, settings, html, url="https://threads.test/t1", kind="auto"):
    return save_capture(db, settings, CaptureInput(url, kind, html, None,
                                                   "2026-11-26T00:00:00.000Z"))


@pytest.fixture
def my_settings(settings):
    import dataclasses
    return dataclasses.replace(settings, my_profiles=(ME,))


FIRST = [("https://x.com/hanako", "2026-11-01T10:00:00Z", "資料を送ってもらえますか？", "m1"),
         (ME, "2026-11-01T11:00:00Z", "はい、明日送ります", "m2")]


def test_thread_messages_are_stored_once_with_directions(db, my_settings, thread_adapter):
    result = capture(db, my_settings, thread_page(*FIRST))
    assert result.status == "parsed" and result.kind == "thread"
    assert result.new_interactions == 2
    assert result.contact.display_name == "Hanako"
    rows = db.query_all("SELECT direction, text FROM interactions ORDER BY occurred_at")
    assert [tuple(r) for r in rows] == [("in", "資料を送ってもらえますか？"), ("out", "はい、明日送ります")]
    # the same thread again: nothing new
    again = capture(db, my_settings, thread_page(*FIRST))
    assert again.duplicate and again.new_interactions == 0
    # a longer version later: only the new message
    longer = capture(db, my_settings, thread_page(
        *FIRST, ("https://x.com/hanako", "2026-11-02T09:00:00Z", "ありがとう！", "m3")))
    assert longer.new_interactions == 1 and not longer.duplicate
    assert db.query_one("SELECT COUNT(*) FROM interactions")[0] == 3
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 1  # the user is not a contact


def test_messages_without_site_ids_are_not_duplicated(db, my_settings, thread_adapter):
    no_ids = [(s, t, text, None) for s, t, text, _ in FIRST]
    assert capture(db, my_settings, thread_page(*no_ids)).new_interactions == 2
    page = thread_page(*no_ids).replace("</ul>", "<!-- re-rendered --></ul>")
    assert capture(db, my_settings, page).new_interactions == 0


def test_thread_asked_as_profile_needs_attention(db, my_settings, thread_adapter):
    result = capture(db, my_settings, thread_page(*FIRST), kind="profile")
    assert result.status == "needs_attention"  # the thread adapter only reads threads
    assert db.query_one("SELECT COUNT(*) FROM captures")[0] == 1


def test_the_raw_capture_is_kept_even_when_storing_fails(db, settings, monkeypatch):
    from companion.services import capture as capture_service

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(capture_service, "resolve_profile", broken)
    html = jsonld_person_page("Ada", url="https://example.com/ada")
    result = capture(db, settings, html, url="https://example.com/ada")
    assert result.status == "failed"
    assert load_html(db, result.capture_id) == html
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 0  # no half-written person
    # once fixed, saving again reads the kept page
    monkeypatch.undo()
    assert capture(db, settings, html, url="https://example.com/ada").status == "parsed"
    assert db.query_one("SELECT COUNT(*) FROM captures")[0] == 1


def test_capture_bodies_are_never_logged(db, settings, caplog, monkeypatch):
    from companion.adapters import generic

    secret = "SECRET-PAGE-TEXT-4711"

    def crash(page):
        raise ValueError("adapter bug")

    monkeypatch.setattr(generic, "extract", crash)
    with caplog.at_level(logging.DEBUG):
        capture(db, settings, jsonld_person_page(secret, url="https://example.com/s"),
                url="https://example.com/s")
    assert caplog.records  # the failure was logged...
    assert secret not in caplog.text  # ...without the page


class NamelessAdapter:
    """Claims its pages, then finds no name on them."""

    id, label, version, kinds = "nameless", "Nameless", "1", ("profile",)
    url_patterns = (r"^https://nameless\.test/",)

    def detect(self, page):
        return True

    def extract(self, page):
        from companion.adapters.base import ExtractionError
        raise ExtractionError("no name on the page", ["no name", "no headline"])


def test_a_claimed_page_without_a_name_keeps_the_adapters_warnings(db, settings):
    from companion.services.capture import list_captures

    with adapters.registered(NamelessAdapter()):
        result = capture(db, settings, "<p>profile shell</p>", url="https://nameless.test/p")
    assert result.status == "needs_attention"
    assert result.warnings == ["no name", "no headline"]
    listed = list_captures(db).captures
    assert [(c.adapter_id, c.warnings) for c in listed] == [("nameless",
                                                             ["no name", "no headline"])]
    assert "no name on the page" in listed[0].error


class CareerAdapter:
    """Reads a made-up career page: one position per <li>, newest first."""

    id, label, version, kinds = "career", "Career", "1", ("profile",)
    url_patterns = (r"^https://career\.test/",)

    def detect(self, page):
        return "<ol class=career>" in page.html

    def extract(self, page):
        from companion.adapters.base import Position, School
        positions = [Position(title=li.get("data-title"), organisation=li.text_content(),
                              current=li.get("data-current") == "1")
                     for li in page.tree.iter("li")]
        return Extraction("profile", profile=Profile(
            "Aoi", url=page.url, title=positions[0].title, organisation=positions[0].organisation,
            positions=positions, education=[School("東京大学", degree="工学部")],
            skills=["Python", "交渉"]))


def test_career_is_stored_and_newest_capture_wins(db, settings):
    from companion.services.contacts import get_detail

    def page(*jobs):
        items = "".join(f'<li data-title="{t}" data-current="{int(i == 0)}">{o}</li>'
                        for i, (t, o) in enumerate(jobs))
        return f"<html><body><ol class=career>{items}</ol></body></html>"

    with adapters.registered(CareerAdapter()):
        first = save_capture(db, settings, CaptureInput(
            "https://career.test/aoi", "auto", page(("Engineer", "A社")), None,
            "2025-01-01T00:00:00Z"))
        save_capture(db, settings, CaptureInput(
            "https://career.test/aoi", "auto", page(("CTO", "B社"), ("Engineer", "A社")), None,
            "2026-01-01T00:00:00Z"))
        # an old capture read later does not roll the career back
        save_capture(db, settings, CaptureInput(
            "https://career.test/aoi", "auto", page(("Intern", "C社")), None,
            "2020-01-01T00:00:00Z"))
    career = get_detail(db, first.contact.id).career
    assert [(p["title"], p["organisation"], p["current"]) for p in career["positions"]] == [
        ("CTO", "B社", True), ("Engineer", "A社", False)]
    assert career["education"] == [{"name": "東京大学", "degree": "工学部", "start": None,
                                    "end": None}]
    assert career["skills"] == ["Python", "交渉"]
