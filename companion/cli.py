"""The ``goen`` command: serve, doctor, pair, install, uninstall, reparse, analyze, settings,
open (the web view), demo (the web view on a made-up network), backup, restore and export
(cli_data.py), and import (cli_import.py).

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
from pathlib import Path
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
    from companion.services.inbox import inbox_folder
    inbox = inbox_folder(settings)
    print(f"Inbox:       {inbox if inbox else 'off (GOEN_INBOX_DIR=off)'}")
    print("Listening on 127.0.0.1 only. Stop with Ctrl+C.", flush=True)
    return _run(app, server, watch_inbox=True)


def _run(app, server, watch_inbox: bool = False) -> int:
    """Serve until Ctrl+C, with the daily jobs (companion/jobs.py) in a daemon thread that
    never blocks exit, and with ``watch_inbox`` the inbox folder's watcher (inbox_watcher.py;
    `goen serve` only: the demo must not import the user's inbox into made-up data)."""
    from companion.jobs import DailyJobs

    daily = app.extensions["goen.daily_jobs"] = DailyJobs(app.extensions["goen.db"],
                                                          settings=app.extensions["goen.settings"])
    daily.start()
    # uploads a crash left in tmp/ (no request runs yet, so every one of them is stale)
    from companion.web.pages_import import sweep_stale_uploads
    sweep_stale_uploads(app.extensions["goen.settings"].data_dir)
    watcher = None
    if watch_inbox:
        from companion.inbox_watcher import start_inbox
        watcher = app.extensions["goen.inbox"] = start_inbox(app.extensions["goen.db"],
                                                             app.extensions["goen.settings"])
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if watcher is not None:
            watcher.stop()
        daily.stop()
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
    if token:
        # The token goes only to a program that proves it knows it (SECURITY.md, handshake).
        from native_host.dispatch import verify_port

        reason = verify_port(port, token, 3.0)
        if reason == "unauthorized":
            return "problem", (f"port {port} is held by a companion that does not know this "
                               "token (another data folder or token backend?)")
        if reason:
            return "problem", (f"port {port} is taken by another program ({reason}); set "
                               "GOEN_PORT to another port")
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
            runs = _job_runs(db) if version == latest else {}
        finally:
            db.close()
        line(version == latest, "database",
             f"{settings.db_path}, schema version {version} of {latest}"
             + ("" if version == latest else " (`goen serve` upgrades it)"))
        for name, run in runs.items():   # informational: a job not run yet is no problem
            print(f"INFO    daily job {name}: last ran {run['last_day']} "
                  f"({run['result']} in {run['seconds']:.1f} s)")
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
    _doctor_inbox(settings, line, serving=state == "ok")
    _doctor_native_host(settings, line)
    print("All good." if not problems else f"{problems} problem(s) found.")
    return 0 if not problems else 1


def _job_runs(db) -> dict:
    from companion.jobs import last_runs
    return last_runs(db)


def _doctor_inbox(settings: Settings, line, serving: bool) -> None:
    """The inbox folder (services/inbox.py): where, whether watched now, what it holds."""
    from companion.services import inbox

    folder = inbox.inbox_folder(settings)
    if folder is None:
        print("NOTE    inbox: off (GOEN_INBOX_DIR=off); `goen import PATH` imports by hand")
        return
    if not folder.exists():
        print(f"NOTE    inbox: {folder} does not exist yet (`goen serve` creates it)")
        return
    reason = inbox.unusable_reason(folder, settings)
    if reason:
        line(False, "inbox", f"not watched: {reason} (GOEN_INBOX_DIR, or `off`)")
        return
    if not (folder.is_dir() and os.access(folder, os.W_OK)):
        line(False, "inbox", f"{folder} is not a writable folder (set GOEN_INBOX_DIR, or "
                             "`off`)")
        return
    found = inbox.counts(folder)
    watched = ("watched (the companion is running)" if serving else
               "not watched now (the companion is not running; `goen serve`)")
    line(True, "inbox", f"{folder}, {watched}; {found.waiting} waiting, {found.processed} "
                        f"imported (processed/), {found.failed} failed (failed/, see the "
                        ".report.txt beside each)")


def _doctor_native_host(settings: Settings, line) -> None:
    """One line per manifest `goen install` wrote: does it lead to a host that answers?"""
    from native_host import install as nm

    if not nm.record_path(settings.data_dir).exists():
        print("NOTE    native host: not installed for any browser (`goen install` lets the "
              "extension pair and start the companion; `goen pair --show` pairs by hand)")
        return
    try:
        record = nm.read_record(settings.data_dir)
    except nm.InstallError as exc:
        line(False, "native host", str(exc))
        return
    if not record["files"]:
        line(False, "native host", "the install record lists no manifest (`goen install`)")
    for name in record["files"]:
        ok, text = nm.check_manifest(Path(name), settings.extension_ids)
        line(ok, "native host", text)


def _labels(names: Sequence[str]) -> str:
    from native_host.install import BY_NAME

    return ", ".join(BY_NAME[n].label if n in BY_NAME else n for n in names)


def cmd_install(args: argparse.Namespace) -> int:
    from native_host import install as nm

    settings = _settings()
    system = nm.current_system()
    home, env = Path.home(), os.environ
    user_data_dir = Path(args.user_data_dir).expanduser() if args.user_data_dir else None
    browsers: list = []
    if args.browser:
        browsers = [nm.BY_NAME[name] for name in dict.fromkeys(args.browser)]
    elif user_data_dir is None:
        browsers, missing = nm.detect(system, home, env)
        for browser, folder in missing:
            print(f"Skipped {browser.label}: {folder} not found "
                  f"(`--browser {browser.name}` installs it anyway)")
        if not browsers:
            print("goen: no browser folder found; name one with --browser, or a profile with "
                  "--user-data-dir", file=sys.stderr)
            return 1
    try:
        host = nm.find_host_executable(system)
    except nm.InstallError as exc:
        print(f"goen: {exc}", file=sys.stderr)
        return 1
    targets = nm.plan(browsers, system=system, home=home, env=env,
                      data_dir=settings.data_dir, user_data_dir=user_data_dir)
    if args.dry_run:
        for target in targets:
            print(f"Would write {target.path} ({_labels(target.browsers)}):")
            print(json.dumps(nm.manifest(target.family, host, settings.extension_ids),
                             indent=2, ensure_ascii=False))
            if target.key:
                print(f"Would set HKEY_CURRENT_USER\\{target.key} to {target.path}")
        print("Nothing was written (--dry-run).")
        return 0
    try:
        nm.install(targets, host_path=host, extension_ids=settings.extension_ids,
                   data_dir=settings.data_dir)
    except (OSError, nm.InstallError) as exc:
        print(f"goen: {exc}", file=sys.stderr)
        return 1
    for target in targets:
        print(f"Wrote {target.path} ({_labels(target.browsers)})")
        if target.key:
            print(f"Set HKEY_CURRENT_USER\\{target.key}")
    print(f"Host: {host}")
    print(f"Recorded in {nm.record_path(settings.data_dir)}; `goen uninstall` removes exactly "
          "this. Restart the browser if the extension was already running.")
    return 0


def cmd_uninstall(args: argparse.Namespace) -> int:
    from native_host import install as nm

    settings = _settings()
    if not nm.record_path(settings.data_dir).exists():
        print(f"Nothing to remove: `goen install` has recorded nothing in {settings.data_dir}.")
        return 0
    try:
        lines = nm.uninstall(settings.data_dir)
    except (OSError, nm.InstallError) as exc:
        print(f"goen: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines) if lines else "Nothing was left to remove.")
    return 0


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


class LaunchError(RuntimeError):
    """No launch link could be had from the running companion."""


OPEN_REASONS = {
    "not_listening": "the companion is not running on port {port}; start it with `goen serve`",
    "timeout": "the program on port {port} does not answer",
    "error": "the program on port {port} does not answer HTTP",
    "unauthorized": ("port {port} is held by a companion that does not know this token "
                     "(another data folder or token backend?)"),
    "unexpected_answer": "port {port} is taken by another program; set GOEN_PORT",
}


def request_launch_url(port: int, token: str, next_path: str = "/",
                       timeout: float = 5.0) -> str:
    """A one-time web view link from the companion on ``port`` (POST /api/v1/launch). The token
    goes only to a program that first proves it knows it (the handshake, SECURITY.md)."""
    from native_host.dispatch import verify_port

    reason = verify_port(port, token, timeout)
    if reason:
        raise LaunchError(OPEN_REASONS.get(reason, "{port}: " + reason).format(port=port))
    body = json.dumps({"next": next_path}).encode("ascii")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/api/v1/launch", body=body, headers={
            "Host": f"127.0.0.1:{port}", "Authorization": f"Bearer {token}",
            "Content-Type": "application/json", "Content-Length": str(len(body))})
        response = conn.getresponse()
        raw = response.read(64 * 1024)
    except (OSError, http.client.HTTPException) as exc:
        raise LaunchError(f"the companion on port {port} did not answer ({exc})") from None
    finally:
        conn.close()
    if response.status != 200:
        raise LaunchError(f"the companion refused a launch link ({response.status})")
    url = json.loads(raw).get("url")
    if not isinstance(url, str) or not url.startswith(f"http://127.0.0.1:{port}/launch/"):
        raise LaunchError("the companion's answer held no launch link")
    return url


def _show(url: str, print_only: bool) -> None:
    """Open the link in the default browser, or print it (also when no browser opens)."""
    import webbrowser

    if print_only:
        print(url, flush=True)
        return
    if webbrowser.open(url):
        print("Opened the web view in your browser (the link works once, for 60 seconds).",
              flush=True)
    else:
        print("No browser could be opened; open this link (once, within 60 seconds):")
        print(url, flush=True)


def cmd_open(args: argparse.Namespace) -> int:
    from companion.token_store import TokenError, TokenStore

    settings = _settings()
    try:
        token = TokenStore(settings.data_dir, settings.token_backend).peek()
    except TokenError as exc:
        print(f"goen: {exc}", file=sys.stderr)
        return 1
    if token is None:
        print("goen: no token yet: the companion has not run with this data folder; start it "
              "with `goen serve`", file=sys.stderr)
        return 1
    try:
        url = request_launch_url(settings.port, token, args.next)
    except LaunchError as exc:
        print(f"goen: {exc}", file=sys.stderr)
        return 1
    _show(url, args.print)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from companion import demo
    from companion.app import create_app
    from companion.server import BindError, bound_port, make_server
    from companion.web.launch import SESSIONS_KEY

    settings = _settings()
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else \
        demo.demo_data_dir(settings.data_dir)
    os.umask(0o077)
    logging.basicConfig(level="WARNING", stream=sys.stderr)
    print(f"Demo data folder: {data_dir} (made-up people; your own data is not touched)",
          flush=True)
    try:
        counts = demo.ensure_demo(data_dir, contacts=args.contacts,
                                  log=lambda m: print(m, file=sys.stderr, flush=True))
    except demo.DemoUnavailable as exc:
        print(f"goen: {exc}", file=sys.stderr)
        return 1
    print(f"Demo network: {counts.get('contacts')} people, {counts.get('interactions', 0)} "
          f"messages, {counts.get('facts', 0)} facts", flush=True)
    # its own token file (never the keyring) and its own port: the real companion may be
    # running on the usual one
    app = create_app({"data_dir": str(data_dir), "port": args.port, "token_backend": "file",
                      "extension_ids": settings.extension_ids})
    try:
        server = make_server(app, args.port, threads=settings.threads,
                             max_body_bytes=settings.max_body_bytes)
    except BindError as exc:
        print(f"goen: {exc}; choose another with --port", file=sys.stderr)
        return 1
    port = bound_port(server)
    app.extensions["goen.guard"].set_port(port)
    url = (f"http://127.0.0.1:{port}/launch/"
           f"{app.extensions[SESSIONS_KEY].new_launch_token('/')}")
    print(f"Demo web view on http://127.0.0.1:{port}/ . Stop with Ctrl+C.", flush=True)
    _show(url, args.print)
    return _run(app, server)


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

    doctor = sub.add_parser("doctor", help="check the data folder, database, token, port "
                                           "and the native messaging host")
    doctor.set_defaults(func=cmd_doctor)

    from native_host.install import BY_NAME
    install = sub.add_parser(
        "install", help="register the native messaging host with your browsers (per user)")
    where = install.add_mutually_exclusive_group()
    where.add_argument("--browser", action="append", choices=list(BY_NAME), metavar="NAME",
                       help=f"only this browser (repeatable): {', '.join(BY_NAME)}; default: "
                            "every browser whose folder exists")
    where.add_argument("--user-data-dir", metavar="DIR",
                       help="a Chromium-family profile folder: writes DIR/NativeMessagingHosts")
    install.add_argument("--dry-run", action="store_true",
                         help="print what would be written, write nothing")
    install.set_defaults(func=cmd_install)

    uninstall = sub.add_parser("uninstall",
                               help="remove everything `goen install` wrote, and nothing else")
    uninstall.set_defaults(func=cmd_uninstall)

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

    web = sub.add_parser("open", help="open the web view in your browser (one-time link)")
    web.add_argument("--print", action="store_true",
                     help="print the one-time link instead of opening a browser")
    web.add_argument("--next", default="/", metavar="PATH",
                     help="the page to open, e.g. /contacts/12 (default: Today)")
    web.set_defaults(func=cmd_open)

    from companion.demo import DEMO_CONTACTS
    demo_cmd = sub.add_parser("demo", help="the web view on a made-up network (its own data "
                                           "folder and port)")
    demo_cmd.add_argument("--print", action="store_true",
                          help="print the one-time link instead of opening a browser")
    demo_cmd.add_argument("--port", type=int, default=0,
                          help="port for the demo (default: any free one)")
    demo_cmd.add_argument("--contacts", type=int, default=DEMO_CONTACTS,
                          help=f"people in a new demo network (default {DEMO_CONTACTS})")
    demo_cmd.add_argument("--data-dir", metavar="DIR",
                          help="the demo's data folder (default: <data folder>-demo)")
    demo_cmd.set_defaults(func=cmd_demo)

    settings = sub.add_parser("settings", help="print the settings in force")
    settings.add_argument("--markdown", action="store_true",
                          help="print the settings table as Markdown (docs/SETTINGS.md)")
    settings.set_defaults(func=cmd_settings)
    from companion.services.followup.cli import add_analyze_command
    add_analyze_command(sub)
    from companion import cli_data, cli_import   # backup, restore, export; import
    cli_data.register(sub)
    cli_import.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
