"""The whole path in Debian's headless Chromium: `goen install --user-data-dir` registers the
host for a profile, the extension's service worker calls chrome.runtime.sendNativeMessage, the
browser starts goen-native-host with the extension's origin, the host starts the companion
(which outlives the host: Chromium ends the host after each one-off message) and hands out a
launch link that logs a tab in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from companion import __version__
from tests.extension.browser import EXTENSION_DIR, EXTENSION_ID, chromium_path, launch_args

SEND = ("(m) => chrome.runtime.sendNativeMessage('jp.goen.companion', m)"
        ".catch((e) => ({failed: String(e)}))")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def env(tmp_path, reap_companions) -> dict:
    data_dir = tmp_path / "data"
    reap_companions(data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOEN_")}
    env.update(GOEN_DATA_DIR=str(data_dir), GOEN_TOKEN_BACKEND="file",
               GOEN_PORT=str(free_port()), GOEN_LOG_LEVEL="warning")
    return env


def test_the_extension_reaches_the_installed_host_and_opens_the_web_view(env, tmp_path):
    from playwright.sync_api import sync_playwright

    profile = tmp_path / "profile"
    install = subprocess.run([sys.executable, "-m", "companion", "install", "--user-data-dir",
                              str(profile)], env=env, capture_output=True, text=True, timeout=60)
    assert install.returncode == 0, install.stderr
    port = int(env["GOEN_PORT"])
    with sync_playwright() as playwright:
        # The browser's environment is what the host (and the companion it starts) sees.
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_path(), headless=False, env=env,
            args=launch_args(EXTENSION_DIR, [], 1, None))
        try:
            worker = (context.service_workers[0] if context.service_workers
                      else context.wait_for_event("serviceworker"))
            assert worker.url.startswith(f"chrome-extension://{EXTENSION_ID}/")
            assert worker.evaluate(SEND, {"type": "ping"}) == {"type": "pong"}
            assert worker.evaluate(SEND, {"type": "start"}) == {
                "type": "start", "running": True, "version": __version__,
                "port": port, "started": True}
            opened = worker.evaluate(SEND, {"type": "open", "path": "/contacts/1"})
            assert opened["url"].startswith(f"http://127.0.0.1:{port}/launch/"), opened
            page = context.new_page()
            page.goto(opened["url"])
            assert page.url == f"http://127.0.0.1:{port}/contacts/1"
            [cookie] = context.cookies(f"http://127.0.0.1:{port}/")
            assert cookie["name"] == f"goen_session_{port}"
            assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
            # The link was spent on the way in.
            assert page.goto(opened["url"]).status == 403
        finally:
            context.close()
