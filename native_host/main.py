"""``goen-native-host``: the process the browser starts for chrome.runtime.connectNative().

The browser passes who is calling on the command line:
- Chrome and the Chromium family: the caller's origin, ``chrome-extension://<id>/`` (on Windows
  a ``--parent-window=<hwnd>`` may follow).
  https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-protocol
- Firefox: the path of the host manifest, then the caller's extension id.
  https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_messaging#app_side

The browser already limits callers through the host manifest (allowed_origins /
allowed_extensions); checking again here keeps a too-broad or stale manifest from handing the
token to another extension. It is not authentication against local programs, which can run
this host with any arguments (and can read the user's token anyway).

stdout carries frames only; every log line goes to stderr, which the browser keeps out of the
protocol (Chrome writes it to its own log).
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from typing import BinaryIO, Sequence

from companion.settings import Settings, SettingsError, load_settings
from native_host import framing
from native_host.dispatch import Context, dispatch, error_reply

log = logging.getLogger("native_host")

# The extension's gecko id (browser_specific_settings.gecko.id in extension/manifest.json,
# docs/EXTENSION.md); the Firefox host manifest allows it alone.
FIREFOX_EXTENSION_ID = "goen@goen.example"

CHROME_ORIGIN = re.compile(r"^chrome-extension://([a-p]{32})/$")


def caller_allowed(argv: Sequence[str], settings: Settings) -> bool:
    """True when the browser says one of our extensions started us."""
    if argv:
        match = CHROME_ORIGIN.match(argv[0])
        if match:
            return match[1] in settings.extension_ids
    # Firefox: argv[0] is the manifest path, argv[1] the extension id.
    return len(argv) >= 2 and argv[1] == FIREFOX_EXTENSION_ID


def serve(reader: BinaryIO, writer: BinaryIO, ctx: Context,
          max_incoming: int = framing.MAX_INCOMING_BYTES) -> int:
    """Answer frames until EOF. Returns the exit code."""
    while True:
        try:
            message = framing.read_frame(reader, max_incoming=max_incoming)
        except framing.FrameDecodeError as exc:
            # The whole body was read, so the next frame starts cleanly: answer and go on.
            log.warning("%s", exc)
            reply = error_reply("invalid_json", "The message is not UTF-8 JSON.")
        except framing.FramingError as exc:
            # A short or oversized frame leaves no way to find the next header.
            log.error("giving up: %s", exc)
            return 1
        else:
            if message is None:
                return 0  # the browser closed the port
            reply = dispatch(message, ctx)
        try:
            _send(writer, reply)
        except BrokenPipeError:
            log.info("the browser stopped reading; exiting")
            return 0


def _send(writer: BinaryIO, reply: dict) -> None:
    try:
        framing.write_frame(writer, reply)
    except (framing.ReplyTooLargeError, framing.FrameEncodeError) as exc:
        log.error("reply not sent: %s", exc)
        error = error_reply("internal_error", "The reply could not be sent.")
        if "id" in reply:
            error["id"] = reply["id"]
        framing.write_frame(writer, error)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"goen-native-host: {exc}", file=sys.stderr)
        return 1
    logging.basicConfig(stream=sys.stderr, level=settings.log_level.upper(),
                        format="goen-native-host %(levelname)s %(name)s: %(message)s")
    if not caller_allowed(argv, settings):
        log.error("refusing caller %r: not an allowed extension", argv[:2])
        return 1
    ctx = Context.from_settings(settings)
    frames_out = sys.stdout.buffer
    # Anything that print()s by mistake would corrupt the frame stream; send it to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        return serve(sys.stdin.buffer, frames_out, ctx)


if __name__ == "__main__":
    sys.exit(main())
