"""Import by upload (``/import``, issue 8): the same import as ``goen import PATH``, with the file
chosen in the browser.

    GET  /import     the form (a file input) and the list of formats Goen reads
    POST /import     multipart/form-data: ``file``, ``csrf_token`` (or the X-CSRF-Token
                     header). The import runs outside the request (import_jobs.py); when it
                     ends within ANSWER_WITHIN_SECONDS the answer is the page with the summary
                     (200) or the reason the file could not be imported (400), else a 303 to
                     the job's page
    GET  /import/jobs/<id>  the import's progress until it ends, then the same summary or
                     error (with the same status)

The POST needs the session, the CSRF token and a same-origin Origin like every state change
(pages_common.page). Its body may be as large as the ``max_upload_bytes`` setting (512 MB by
default: an export with years of messages) where every other request keeps ``max_body_bytes``:
the request guard and the server apply that limit to this route alone (security.py
``route_limits``), and here ``request.max_content_length`` (per request since Flask 2.3) does
the same for the form parser.

The upload is written by Werkzeug's form parser straight into a private file (0600) in a private
folder (0700) under ``tmp/`` in the data folder (``_upload_file``), never in memory and never in
a folder other users can list, keeping the file's own name because importers recognise exports
by their files' names (LinkedIn's Connections.csv). The folder is removed when the request ends
if the upload was refused, else when its import job ends, whatever happened: imported, refused,
or failed part way; one left by a companion that died meanwhile is removed when it next starts
serving (``sweep_stale_uploads``).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable

from flask import current_app, g, redirect, request, url_for

from companion.cli_import import skip_groups
from companion.services.imports.base import _registered
from companion.web import i18n
from companion.web.import_jobs import ImportJob, ImportJobs
from companion.web.pages_common import bp, page, render, settings

log = logging.getLogger(__name__)

ROUTE = "/import"
ACCEPT = ".zip,.csv,.json,.js,.vcf"
FIELD = "file"
TMP_FOLDER = "tmp"
MAX_NAME_CHARS = 120
# The upload's answer waits this long for the import: a small file's summary comes at once, a
# larger import answers with its progress page (import_jobs.py)
ANSWER_WITHIN_SECONDS = 3.0
REFRESH_SECONDS = 1
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_name(filename: str | None) -> str:
    """The uploaded file's base name, safe as a file name here (no folders, no control
    characters, not hidden), Japanese kept; ``upload`` when nothing is left."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).strip().lstrip(".")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME_CHARS - len(suffix) - 1] + dot + suffix) if dot and len(
            suffix) < 10 else name[:MAX_NAME_CHARS]
    return name or "upload"


def _upload_folder() -> Path:
    """A new private folder for this request's upload, made when the first file part
    arrives."""
    folder = getattr(g, "upload_folder", None)
    if folder is None:
        parent = Path(settings().data_dir) / TMP_FOLDER
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="import-", dir=parent))   # 0700
        g.upload_folder = folder
    return folder


def _upload_file(total_content_length, content_type, filename=None, content_length=None):
    """Werkzeug's stream factory for this route: each file part goes into a 0600 file of the
    request's private folder, under the name it was sent with."""
    folder = _upload_folder()
    path = folder / safe_name(filename)
    n = 1
    while path.exists():        # a second part of the same name (not sent by our page)
        path = folder / f"{n}-{safe_name(filename)}"
        n += 1
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    stream = os.fdopen(fd, "w+b")
    g.setdefault("upload_paths", {})[id(stream)] = path
    return stream


def upload_route(view: Callable) -> Callable:
    """Outside ``page``: the upload's own size limit and private files must be in place before
    the session checks read the form (the CSRF token may come as a form field), and the
    private folder is removed after the answer, whatever it was (a refusal too)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request.max_content_length = settings().max_upload_bytes
        # Werkzeug's documented hook for where uploaded files go (Request._get_file_stream),
        # for this request only
        request._get_file_stream = _upload_file      # noqa: SLF001
        try:
            return view(*args, **kwargs)
        finally:
            _clean_up()
    return wrapper


def _clean_up() -> None:
    for storage in request.files.values() if "files" in request.__dict__ else ():
        with contextlib.suppress(Exception):
            storage.close()
    folder = g.pop("upload_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_uploads(data_dir) -> int:
    """Remove the upload folders (``tmp/import-*``) a request left behind when the companion
    died during it (``_clean_up`` never ran): someone's address book must not stay on disk.
    Called once as the companion starts serving, when no request can be using one, so all of
    them go. A link of that name is removed as a link, never followed; anything else in
    ``tmp/`` is left alone. Returns how many were removed; never raises (start-up goes on)."""
    parent = Path(data_dir) / TMP_FOLDER
    if parent.is_symlink() or not parent.is_dir():   # we only ever make a real folder there
        return 0
    removed = 0
    try:
        entries = list(parent.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith("import-"):
            continue
        try:
            if entry.is_symlink():
                entry.unlink()
            elif entry.is_dir():
                shutil.rmtree(entry)   # does not follow links inside either
            else:
                continue               # a file of that name: not one of ours
            removed += 1
        except OSError as exc:
            log.warning("could not remove the stale upload folder %s: %s", entry, exc)
    if removed:
        log.info("removed %d upload folder(s) left in %s by an interrupted import", removed,
                 parent)
    return removed


def formats() -> list[tuple[str, str | None]]:
    """The importers found (services/imports), with the page's description key where the
    table has one (an importer added later shows its name until it has one), described ones
    first."""
    names = sorted({imp.name for imp in _registered()})
    found = [(name, f"import.format.{name}" if f"import.format.{name}" in i18n.TABLE else None)
             for name in names]
    return sorted(found, key=lambda item: (item[1] is None, item[0]))


def _page(status: int = 200, **context):
    return render("import.html", nav="import_page", status=status, formats=formats(),
                  accept=ACCEPT, max_mb=settings().max_upload_bytes // (1024 * 1024), **context)


@bp.get(ROUTE)
@page
def import_page():
    return _page()


@bp.post(ROUTE)
@upload_route
@page
def import_upload():
    upload = request.files.get(FIELD)
    if upload is None or not upload.filename:
        return _page(400, error_key="import.no_file")
    path = g.get("upload_paths", {}).get(id(upload.stream))
    if path is None:          # not written by our factory: refuse rather than guess
        return _page(400, error_key="import.no_file")
    upload.stream.flush()
    job = _jobs().submit(path, g.upload_folder)
    g.pop("upload_folder")     # the job's from now on: it removes it when done
    if job.finished.wait(ANSWER_WITHIN_SECONDS):   # a small file: the answer at once
        return _finished(job)
    return redirect(url_for("web_pages.import_job", job_id=job.id), 303)


@bp.get(ROUTE + "/jobs/<job_id>")
@page
def import_job(job_id: str):
    """An import under way: its progress, refreshed every REFRESH_SECONDS (a meta refresh:
    no script needed), until its summary or error."""
    job = _jobs().get(job_id)
    if job is None:
        return _page(404, error_key="import.job_unknown")
    if not job.finished.is_set():
        return _page(job=job, refresh_seconds=REFRESH_SECONDS)
    return _finished(job)


def _jobs() -> ImportJobs:
    return current_app.extensions["goen.import_jobs"]


def _finished(job: ImportJob):
    if job.summary is not None:
        return _page(summary=job.summary, groups=skip_groups(job.summary),
                     file_name=job.file_name)
    return _page(job.status, error=job.error, error_key=job.error_key, file_name=job.file_name)
