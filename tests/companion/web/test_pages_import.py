"""Import by upload (companion/web/pages_import.py) through Flask's test client: the summary of a
LinkedIn Connections.csv, a bilingual 400 for garbage, every refusal (session, CSRF, Origin),
the private temporary file gone whatever happened, and the upload's own size limit."""

from __future__ import annotations

import io
import stat
import threading
from pathlib import Path

import pytest
from waitress.adjustments import Adjustments

from companion.app import create_app
from companion.server import _Parser
from companion.services.imports import ImportFailed
from companion.settings import load_settings
from companion.services.imports import worker
from companion.web import import_jobs, pages_import
from tests.companion.web.test_pages import ORIGIN, csrf_of
from tests.helpers import EXTENSION_ID, ROOT, TEST_PORT, make_client

LINKEDIN = ROOT / "tests" / "fixtures" / "imports" / "linkedin" / "basic" / "Connections.csv"


def open_web(app):
    """A browser-like client with a session from a real launch link, and its CSRF token."""
    token = app.extensions["goen.tokens"].get_or_create()
    url = make_client(app, token).post("/api/v1/launch", json={}).get_json()["url"]
    browser = make_client(app)
    assert browser.get(url.removeprefix(ORIGIN)).status_code == 303
    page = browser.get("/import")
    assert page.status_code == 200
    return browser, csrf_of(page.get_data(as_text=True))


@pytest.fixture
def web(app):
    return open_web(app)


def upload(browser, content: bytes, name: str, *, csrf: str | None, origin: str | None = ORIGIN,
           header: bool = False):
    data = {"file": (io.BytesIO(content), name)}
    headers = {"Origin": origin} if origin else {}
    if csrf is not None:
        if header:
            headers["X-CSRF-Token"] = csrf
        else:
            data["csrf_token"] = csrf
    return browser.post("/import", data=data, headers=headers,
                        content_type="multipart/form-data")


def tmp_left(data_dir: Path) -> list[Path]:
    folder = data_dir / "tmp"
    return sorted(folder.rglob("*")) if folder.exists() else []


def names(db) -> list[str]:
    return [r[0] for r in db.query_all("SELECT display_name FROM contacts ORDER BY id")]


def test_the_page_lists_the_formats_and_is_linked_from_the_menu_and_settings(web, app):
    browser, _ = web
    html = browser.get("/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".zip,.csv,.json,.js,.vcf"' in html
    assert "LinkedIn のデータエクスポート" in html and "Goen の JSON エクスポート" in html
    assert 'href="/import"' in html and "取り込み" in html            # the menu
    assert "import.js" in html
    settings_html = browser.get("/settings").get_data(as_text=True)
    assert 'data-testid="settings-import-link"' in settings_html
    assert 'href="/import"' in settings_html


def test_a_linkedin_connections_csv_is_imported_and_summarised(web, db, data_dir):
    browser, csrf = web
    response = upload(browser, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert 'data-testid="import-summary"' in html
    assert 'data-testid="import-created">4<' in html
    assert 'data-testid="import-interactions">0<' in html
    assert "Connections.csv" in html
    assert set(names(db)) >= {"Ken Moriwaki", "Priya Fernhill", "山田 花子", "Tomas Quell"}
    assert tmp_left(data_dir) == []
    # the same file again adds nothing
    again = upload(browser, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf, header=True)
    assert 'data-testid="import-created">0<' in again.get_data(as_text=True)
    assert len(names(db)) == 4


def test_skips_are_grouped_by_reason_with_three_examples(web, db):
    browser, csrf = web
    # five Mastodon accounts without a server: five skips for one reason
    follows = "Account address,Show boosts\n" + "".join(f"nobody{n}\n" for n in range(5))
    response = upload(browser, follows.encode(), "following_accounts.csv", csrf=csrf)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert 'data-testid="import-skipped">5<' in html
    assert "<strong>5</strong> ×" in html
    assert "following_accounts.csv:2, following_accounts.csv:3, following_accounts.csv:4, …" in html


def test_garbage_gets_400_in_both_languages_and_nothing_is_kept(web, db, data_dir):
    browser, csrf = web
    response = upload(browser, b"\x00\x01 this is no export \xff" * 50, "mystery.bin",
                      csrf=csrf)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'data-testid="import-error"' in html
    assert "取り込める形式ではありません" in html and "Not an export Goen can import" in html
    assert 'data-testid="import-form"' in html          # the form is there to try again
    assert names(db) == [] and tmp_left(data_dir) == []


def test_a_truncated_zip_is_refused_clearly(web, data_dir):
    browser, csrf = web
    response = upload(browser, b"PK\x03\x04" + b"\x00" * 100, "Basic_LinkedInDataExport.zip",
                      csrf=csrf)
    assert response.status_code == 400
    assert "truncated" in response.get_data(as_text=True)
    assert tmp_left(data_dir) == []


def test_no_file_is_a_400(web):
    browser, csrf = web
    response = browser.post("/import", data={"csrf_token": csrf}, headers={"Origin": ORIGIN},
                            content_type="multipart/form-data")
    assert response.status_code == 400
    assert "ファイルが選ばれていません" in response.get_data(as_text=True)


@pytest.mark.parametrize("csrf,origin,expected", [
    (None, ORIGIN, "error.csrf"),                  # no token
    ("0" * 64, ORIGIN, "error.csrf"),              # a wrong one
    ("ok", None, "error.origin"),                  # no Origin
])
def test_refusals_import_nothing_and_leave_no_file(web, db, data_dir, csrf, origin, expected):
    browser, good = web
    response = upload(browser, LINKEDIN.read_bytes(), "Connections.csv",
                      csrf=good if csrf == "ok" else csrf, origin=origin)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    from companion.web.i18n import t
    assert t(expected, "ja") in html
    assert names(db) == [] and tmp_left(data_dir) == []


def test_another_origin_and_no_session_are_refused(web, app, db, data_dir):
    browser, csrf = web
    foreign = upload(browser, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf,
                     origin="http://evil.example")
    assert foreign.status_code == 403
    stranger = make_client(app)
    response = upload(stranger, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf)
    assert response.status_code == 403
    assert names(db) == [] and tmp_left(data_dir) == []


def test_the_upload_is_a_private_file_with_its_name_and_is_gone_after_a_failure(
        web, data_dir, monkeypatch):
    browser, csrf = web
    seen = {}

    def fake_import(db, settings, path, progress=None, started=None):
        path = Path(path)
        seen["name"] = path.name
        seen["file_mode"] = stat.S_IMODE(path.stat().st_mode)
        seen["folder_mode"] = stat.S_IMODE(path.parent.stat().st_mode)
        seen["inside"] = path.is_relative_to(data_dir / "tmp")
        seen["content"] = path.read_bytes()
        raise ImportFailed("壊れています / It is broken")

    monkeypatch.setattr(import_jobs, "import_in_worker", fake_import)
    response = upload(browser, "中身".encode() * 1000, "../../つながり.csv", csrf=csrf,
                      header=True)
    assert response.status_code == 400
    assert "壊れています / It is broken" in response.get_data(as_text=True)
    assert seen == {"name": "つながり.csv", "file_mode": 0o600, "folder_mode": 0o700,
                    "inside": True, "content": "中身".encode() * 1000}
    assert tmp_left(data_dir) == []


def test_an_unexpected_error_is_a_500_page_and_the_file_is_gone(web, data_dir, monkeypatch):
    browser, csrf = web

    def boom(db, settings, path, progress=None, started=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_jobs, "import_in_worker", boom)
    response = upload(browser, b"x", "Connections.csv", csrf=csrf)
    assert response.status_code == 500
    assert "予期しない問題" in response.get_data(as_text=True)
    assert tmp_left(data_dir) == []


class SlowImport:
    """import_path as the job calls it, held until released, reporting progress as told."""

    def __init__(self, monkeypatch):
        self.release, self.started = threading.Event(), threading.Event()
        self.progress = None
        self.paths: list[Path] = []
        real = worker.import_path

        # the import itself, inside the real import_in_worker (its turn taken, small files
        # imported in this process)
        def slow(db, settings, path, progress=None):
            self.paths.append(Path(path))
            self.progress = progress
            self.started.set()
            assert self.release.wait(30)
            return real(db, settings, path, progress)

        monkeypatch.setattr(worker, "import_path", slow)
        monkeypatch.setattr(pages_import, "ANSWER_WITHIN_SECONDS", 0.05)


def job_url(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith("/import/jobs/")
    return location


def test_a_long_import_answers_with_its_progress_page_then_the_summary(web, db, data_dir,
                                                                      monkeypatch):
    browser, csrf = web
    slow = SlowImport(monkeypatch)
    url = job_url(upload(browser, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf))
    assert slow.started.wait(10)
    slow.progress(2500, 10000)
    page = browser.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-testid="import-running"' in html and "25 % 読み込みました" in html
    assert '<meta http-equiv="refresh" content="1">' in html      # refreshes itself, no script
    assert 'data-testid="import-form"' not in html                 # no second upload meanwhile
    assert slow.paths[0].exists()                                  # the job's file, still there
    slow.progress(10000, 10000)
    assert "仕上げています" in browser.get(url).get_data(as_text=True)
    slow.release.set()
    job = app_jobs(browser).get(url.rsplit("/", 1)[-1])
    assert job.finished.wait(10)
    done = browser.get(url)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and 'data-testid="import-summary"' in html
    assert 'http-equiv="refresh"' not in html
    assert 'data-testid="import-created">4<' in html and len(names(db)) == 4
    assert tmp_left(data_dir) == []


def test_a_long_import_that_fails_shows_the_reason_on_its_page(web, db, data_dir,
                                                                monkeypatch):
    browser, csrf = web
    slow = SlowImport(monkeypatch)
    url = job_url(upload(browser, b"\x00garbage", "mystery.json", csrf=csrf))
    slow.release.set()
    assert app_jobs(browser).get(url.rsplit("/", 1)[-1]).finished.wait(10)
    page = browser.get(url)
    assert page.status_code == 400
    assert "Not an export Goen can import" in page.get_data(as_text=True)
    assert names(db) == [] and tmp_left(data_dir) == []


def test_imports_run_one_at_a_time(web, db, monkeypatch):
    browser, csrf = web
    slow = SlowImport(monkeypatch)
    first = job_url(upload(browser, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf))
    assert slow.started.wait(10)
    second = job_url(upload(browser, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf))
    assert "前の取り込みが終わるのを待っています" in browser.get(second).get_data(as_text=True)
    assert len(slow.paths) == 1
    slow.release.set()
    jobs = app_jobs(browser)
    for url in (first, second):
        assert jobs.get(url.rsplit("/", 1)[-1]).finished.wait(10)
    assert len(slow.paths) == 2
    again = browser.get(second).get_data(as_text=True)
    assert 'data-testid="import-created">0<' in again       # the second found them all
    assert len(names(db)) == 4


def test_an_unknown_job_is_a_404_and_job_pages_need_the_session(web, app, monkeypatch):
    browser, csrf = web
    page = browser.get("/import/jobs/nothing-here")
    assert page.status_code == 404
    assert "この取り込みは見つかりません" in page.get_data(as_text=True)
    slow = SlowImport(monkeypatch)
    url = job_url(upload(browser, LINKEDIN.read_bytes(), "Connections.csv", csrf=csrf))
    stranger = make_client(app)
    answer = stranger.get(url)
    assert answer.status_code in (401, 403)
    assert "Connections.csv" not in answer.get_data(as_text=True)
    slow.release.set()
    assert app_jobs(browser).get(url.rsplit("/", 1)[-1]).finished.wait(10)


def test_finished_jobs_are_forgotten_beyond_the_last_few(app, data_dir, tmp_path,
                                                          monkeypatch):
    jobs = app.extensions["goen.import_jobs"]
    monkeypatch.setattr(import_jobs, "KEPT", 2)
    made = []
    for n in range(4):
        folder = tmp_path / f"upload-{n}"
        folder.mkdir()
        (folder / "mystery.json").write_text("{}")
        job = jobs.submit(folder / "mystery.json", folder)
        assert job.finished.wait(10) and not folder.exists()
        made.append(job.id)
    assert [jobs.get(i) is not None for i in made] == [False, True, True, True]


def app_jobs(browser) -> import_jobs.ImportJobs:
    return browser.application.extensions["goen.import_jobs"]


@pytest.mark.parametrize("given,expected", [
    ("Connections.csv", "Connections.csv"),
    ("C:\\Users\\aiko\\Downloads\\Basic_LinkedInDataExport.zip", "Basic_LinkedInDataExport.zip"),
    ("../../etc/passwd", "passwd"),
    ("..", "upload"),
    ("", "upload"),
    (".hidden.vcf", "hidden.vcf"),
    ("連絡先 2024.vcf", "連絡先 2024.vcf"),
    ("a\x00b\nc.csv", "a_b_c.csv"),
])
def test_safe_name(given, expected):
    assert pages_import.safe_name(given) == expected


def test_a_long_name_keeps_its_suffix():
    name = pages_import.safe_name("あ" * 300 + ".zip")
    assert len(name) == pages_import.MAX_NAME_CHARS and name.endswith(".zip")


@pytest.fixture
def small_limits(data_dir):
    settings = load_settings({"data_dir": str(data_dir), "port": TEST_PORT,
                              "token_backend": "file", "extension_ids": [EXTENSION_ID],
                              "max_body_bytes": 4096, "max_upload_bytes": 64 * 1024},
                             environ={})
    app = create_app(settings)
    yield app
    app.extensions["goen.db"].close()


def test_the_upload_has_its_own_size_limit(small_limits):
    app = small_limits
    browser, csrf = open_web(app)
    # larger than max_body_bytes, within max_upload_bytes: accepted on this route
    big_csv = LINKEDIN.read_bytes() + b"\n" * 20_000
    response = upload(browser, big_csv, "Connections.csv", csrf=csrf)
    assert response.status_code == 200, response.get_data(as_text=True)
    # over max_upload_bytes: 413 before anything is read
    response = upload(browser, b"x" * 70_000, "Connections.csv", csrf=csrf)
    assert response.status_code == 413
    assert response.get_json()["error"]["details"]["limit"] == 64 * 1024
    # every other route keeps max_body_bytes
    response = browser.post("/settings", data={"csrf_token": csrf, "pad": "x" * 5000},
                            headers={"Origin": ORIGIN})
    assert response.status_code == 413


def parse(parser_class, head: bytes, max_body: int = 4096):
    parser = parser_class(Adjustments(max_request_body_size=max_body))
    parser.received(head)
    return parser


def test_the_server_reads_a_large_body_only_for_the_upload_route():
    limits = type("P", (_Parser,), {"route_limits": {("POST", "/import"): 64 * 1024}})
    upload_head = (b"POST /import HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n")
    api_head = (b"POST /api/v1/captures HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n")
    assert parse(limits, upload_head).error is None
    assert parse(limits, api_head).error is not None            # refused from the headers
    too_big = b"POST /import HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n"
    assert parse(limits, too_big).error is not None


def test_the_page_in_english(web, db):
    from companion.services import preferences
    preferences.set_preferences(db, {"language": "en"})
    browser, _ = web
    html = browser.get("/import").get_data(as_text=True)
    assert "<h1>Import data</h1>" in html and "LinkedIn&#39;s data export" in html
    assert "Up to 512 MB" in html


def test_a_goen_json_export_into_a_database_with_data_is_refused_in_both_languages(
        web, db, data_dir, tmp_path):
    from companion.services.export_json import export_all
    with db.transaction() as conn:
        conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                     " VALUES ('佐藤 花', 'さとう はな', 'x', 'x')")
    import json
    content = json.dumps(export_all(db), ensure_ascii=False).encode("utf-8")
    browser, csrf = web
    response = upload(browser, content, "goen-export-20240301.json", csrf=csrf, header=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "すでにデータがあります" in html and "already holds data" in html
    assert names(db) == ["佐藤 花"] and tmp_left(data_dir) == []


def test_the_real_server_takes_an_upload_larger_than_max_body_bytes(live_server):
    """Through waitress and the guard: an 11 MB upload (over the 10 MB max_body_bytes) reaches
    the page, which reads it and says it is no export; a body as large to the API is still
    refused (413) from its headers."""
    import http.client
    import json
    import re as regex

    def call(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheader("Set-Cookie"), response.read()
        finally:
            conn.close()

    status, _, body = call("POST", "/api/v1/launch", json.dumps({}).encode(),
                           {"Authorization": f"Bearer {live_server.token}",
                            "Content-Type": "application/json"})
    assert status == 200
    origin = f"http://127.0.0.1:{live_server.port}"
    status, cookie, _ = call("GET", json.loads(body)["url"].removeprefix(origin))
    assert status == 303 and cookie
    cookie = cookie.split(";", 1)[0]
    _, _, page_html = call("GET", "/import", headers={"Cookie": cookie})
    csrf = regex.search(rb'name="csrf-token" content="([0-9a-f]{64})"', page_html)[1].decode()
    boundary = "goen-test-boundary"
    payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"mystery.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
               ).encode() + b"x" * (11 * 1024 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    status, _, answer = call("POST", "/import", payload, {
        "Cookie": cookie, "Origin": origin, "X-CSRF-Token": csrf,
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 400, answer[:300]
    assert "Not an export Goen can import" in answer.decode("utf-8")
    assert not list((live_server.data_dir / "tmp").glob("*"))
    # the same size to the API: refused from the headers, before the body is sent
    import socket

    from tests.companion.test_server_live import read_response
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as sock:
        sock.sendall((f"POST /api/v1/captures HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}"
                      f"\r\nAuthorization: Bearer {live_server.token}\r\nContent-Type: "
                      f"application/json\r\nContent-Length: {len(payload)}\r\n\r\n").encode())
        status, _, _ = read_response(sock)
    assert status == 413


# -- upload folders a crash left behind -----------------------------------------------------------

def leftovers(data_dir: Path, outside: Path) -> dict[str, Path]:
    """What a companion that died during uploads leaves in tmp/, with things that are not
    ours beside them and a link named like ours that leads outside."""
    tmp = data_dir / "tmp"
    tmp.mkdir(mode=0o700)
    crashed = tmp / "import-k3j9x2"
    (crashed / "nested").mkdir(parents=True, mode=0o700)
    (crashed / "contacts.vcf").write_text("BEGIN:VCARD\nFN:佐藤 花\n", encoding="utf-8")
    (crashed / "nested" / "Connections.csv").write_text("First Name\n", encoding="utf-8")
    outside.mkdir()
    (outside / "keep.txt").write_text("not Goen's", encoding="utf-8")
    (tmp / "import-link").symlink_to(outside, target_is_directory=True)
    (tmp / "backup-in-progress").mkdir()
    (tmp / "notes.txt").write_text("someone else's", encoding="utf-8")
    (tmp / "import-file.txt").write_text("a file, not an upload folder", encoding="utf-8")
    return {"crashed": crashed, "link": tmp / "import-link", "outside": outside}


def test_sweep_removes_upload_folders_and_links_and_nothing_else(data_dir, tmp_path):
    left = leftovers(data_dir, tmp_path / "outside")
    assert pages_import.sweep_stale_uploads(data_dir) == 2
    tmp = data_dir / "tmp"
    assert not left["crashed"].exists()
    assert not left["link"].is_symlink() and not left["link"].exists()
    assert (left["outside"] / "keep.txt").read_text(encoding="utf-8") == "not Goen's"
    assert sorted(p.name for p in tmp.iterdir()) == ["backup-in-progress", "import-file.txt",
                                                      "notes.txt"]
    assert pages_import.sweep_stale_uploads(data_dir) == 0


def test_sweep_without_a_tmp_folder_or_with_a_linked_one_does_nothing(data_dir, tmp_path):
    assert pages_import.sweep_stale_uploads(data_dir) == 0
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "import-someone").mkdir(parents=True)
    (data_dir / "tmp").symlink_to(elsewhere, target_is_directory=True)
    assert pages_import.sweep_stale_uploads(data_dir) == 0
    assert (elsewhere / "import-someone").is_dir()


def test_goen_serve_sweeps_what_a_crash_left_before_serving(data_dir, tmp_path):
    import time

    from tests.helpers import start_server, stop_server
    left = leftovers(data_dir, tmp_path / "outside")
    server = start_server(data_dir)
    try:
        deadline = time.monotonic() + 10
        while left["crashed"].exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not left["crashed"].exists() and not left["link"].is_symlink()
        assert (left["outside"] / "keep.txt").exists()
        assert (data_dir / "tmp" / "notes.txt").exists()
    finally:
        stop_server(server)
