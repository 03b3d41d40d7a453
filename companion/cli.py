"""The ``goen`` command: serve, doctor, pair, settings.

Commands print what a person needs to act on; errors go to stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import socket
import sys
from typing import Sequence

from companion import __version__
from companion.settings import Settings, SettingsError, load_settings, settings_markdown


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise SystemExit(f"goen: setting problem: {exc}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    from companion.app import create_app
    from companion.server import BindError, bound_port, make_server

    settings = _settings()
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.umask(0o077)  # the database, its WAL files and backups: owner only
    port = args.port if args.port is not None else settings.port
    app = create_app({"port": port} if args.port is not None else settings)
    try:
        server = make_server(app, port, threads=settings.threads,
                             max_body_bytes=settings.max_body_bytes)
    except BindError as exc:
        print(f"goen: {exc}. Is the companion already running? `goen doctor` tells; "
              f"GOEN_PORT chooses another port.", file=sys.stderr)
        return 1
    port = bound_port(server)
    app.extensions["goen.guard"].set_port(port)
    print(f"Goen companion {__version__}")
    print(f"Data folder: {settings.data_dir}")
    print(f"Database:    {settings.db_path}")
    print(f"API:         http://127.0.0.1:{port}/api/v1/")
    print(f"Web view:    http://127.0.0.1:{port}/")
    print("Listening on 127.0.0.1 only. Stop with Ctrl+C.", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def cmd_pair(args: argparse.Namespace) -> int:
    from companion.token_store import TokenError, TokenStore

    settings = _settings()
    try:
        store = TokenStore(settings.data_dir, settings.token_backend)
        if args.rotate:
            token = store.rotate()
            print("A new token was made; the extension must pair again.", file=sys.stderr)
        else:
            token = store.get_or_create()
    except TokenError as exc:
        print(f"goen: {exc}", file=sys.stderr)
        return 1
    print(f"Token kept in: {store.location}")
    print("Paste this token into the extension's options page:")
    print(token)
    return 0


def _probe(port: int, token: str | None) -> tuple[str, str]:
    """Is something listening on the port, and is it this companion?"""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            pass
    except OSError:
        return "free", f"port {port} is free (the companion is not running; `goen serve`)"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3.0)
    try:
        conn.request("GET", "/api/v1/status", headers={
            "Host": f"127.0.0.1:{port}", "Authorization": f"Bearer {token or ''}"})
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as exc:
        return "problem", f"port {port} is taken by something that does not answer HTTP ({exc})"
    finally:
        conn.close()
    if response.status == 200:
        version = json.loads(body).get("version", "?")
        return "ok", f"the companion {version} is serving on 127.0.0.1:{port}"
    return "problem", (f"port {port} is taken by another program (it answered "
                       f"{response.status}); set GOEN_PORT to another port")


def cmd_doctor(args: argparse.Namespace) -> int:
    from companion.db import Database, available_migrations
    from companion.token_store import TokenError, TokenStore

    problems = 0

    def line(ok: bool, what: str, text: str) -> None:
        nonlocal problems
        problems += 0 if ok else 1
        print(f"{'OK     ' if ok else 'PROBLEM'} {what}: {text}")

    try:
        settings = load_settings()
    except SettingsError as exc:
        line(False, "settings", str(exc))
        return 1
    data_dir = settings.data_dir
    if data_dir.is_dir() and os.access(data_dir, os.W_OK):
        mode = data_dir.stat().st_mode & 0o777
        line(mode & 0o077 == 0, "data folder",
             f"{data_dir}" + ("" if mode & 0o077 == 0 else
                              f" is readable by others (mode {mode:o}); chmod 700 it"))
    elif data_dir.exists():
        line(False, "data folder", f"{data_dir} is not a writable folder")
    else:
        line(False, "data folder", f"{data_dir} does not exist yet (`goen serve` creates it)")

    latest = available_migrations()[-1].version
    if settings.db_path.exists():
        db = Database(settings.db_path)
        try:
            version = db.schema_version()
        finally:
            db.close()
        line(version == latest, "database",
             f"{settings.db_path}, schema version {version} of {latest}"
             + ("" if version == latest else " (`goen serve` upgrades it)"))
    else:
        line(False, "database", f"{settings.db_path} does not exist yet (`goen serve` creates it)")

    token = None
    try:
        store = TokenStore(data_dir, settings.token_backend)
        token = store.peek()
        line(token is not None, "token",
             f"present in {store.location}" if token else
             "none yet (`goen pair --show` makes one)")
    except TokenError as exc:
        line(False, "token", str(exc))

    state, text = _probe(settings.port, token)
    line(state in ("ok", "free"), "port", text)
    print("All good." if not problems else f"{problems} problem(s) found.")
    return 0 if not problems else 1


def cmd_reparse(args: argparse.Namespace) -> int:
    from companion.db import Database
    from companion.services.reparse import reparse, report_lines

    settings = _settings()
    if not settings.db_path.exists():
        print(f"goen: no database at {settings.db_path} yet.", file=sys.stderr)
        return 1
    db = Database(settings.db_path)
    try:
        db.migrate()
        report = reparse(db, settings, args.adapter, progress=_progress_bar)
    finally:
        db.close()
    print("\n".join(report_lines(report)))
    return 1 if report.errors else 0


def _progress_bar(done: int, total: int) -> None:
    if sys.stderr.isatty():
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end,
              file=sys.stderr, flush=True)


def cmd_settings(args: argparse.Namespace) -> int:
    if args.markdown:
        print(settings_markdown(), end="")
        return 0
    settings = _settings()
    for name, value in vars(settings).items():
        if isinstance(value, tuple):
            value = ",".join(value)
        print(f"GOEN_{name.upper()}={value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="goen", description="Goen (ご縁): the local companion of the Goen browser extension.")
    parser.add_argument("--version", action="version", version=f"goen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the companion on 127.0.0.1")
    serve.add_argument("--port", type=int, help="port to listen on (default: GOEN_PORT)")
    serve.set_defaults(func=cmd_serve)

    doctor = sub.add_parser("doctor", help="check the data folder, database, token and port")
    doctor.set_defaults(func=cmd_doctor)

    pair = sub.add_parser("pair", help="show or replace the token the extension pairs with")
    group = pair.add_mutually_exclusive_group(required=True)
    group.add_argument("--show", action="store_true", help="print the token (last line)")
    group.add_argument("--rotate", action="store_true",
                       help="replace the token (unpairs the extension)")
    pair.set_defaults(func=cmd_pair)

    again = sub.add_parser("reparse", help="read every kept capture again with today's adapters")
    again.add_argument("--adapter", metavar="ID",
                       help="only captures this adapter read before, and unread ones")
    again.set_defaults(func=cmd_reparse)

    settings = sub.add_parser("settings", help="print the settings in force")
    settings.add_argument("--markdown", action="store_true",
                          help="print the settings table as Markdown (docs/SETTINGS.md)")
    settings.set_defaults(func=cmd_settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
