"""Native messaging frames: a 4-byte length in native byte order, then that many bytes of UTF-8
JSON. The same format goes both ways.

https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-protocol
https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_messaging#app_side

This module does no I/O of its own: callers pass binary streams (sys.stdin.buffer in the host,
io.BytesIO in tests).
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

# "=" is native byte order with a standard 4-byte size, unlike "I" alone whose size and
# alignment follow the C compiler. Chrome and Firefox both write the length in native order.
HEADER = struct.Struct("=I")

# Chrome refuses a host→browser message over 1 MB (kMaximumNativeMessageSize = 1024 * 1024 in
# Chromium's native_message_process_host.cc) and closes the port; Firefox caps it at 1 MiB too.
# We refuse it first, so the host can send an error frame instead of being cut off.
MAX_OUTGOING_BYTES = 1024 * 1024

# The browser may send far more to a host (the Chrome docs say up to 64 MiB; older versions of
# the page said 4 GB), but every Goen request is a few hundred bytes. A 1 MiB cap keeps a
# broken or hostile sender from making the host allocate and parse a huge body.
MAX_INCOMING_BYTES = 1024 * 1024


class FramingError(Exception):
    """A frame could not be read or written. ``stream_usable`` says whether the next frame
    can still be found: after a bad header or a short body the stream position is lost."""

    stream_usable = False


class TruncatedFrameError(FramingError):
    """The stream ended inside a header or a body."""


class FrameTooLargeError(FramingError):
    """An incoming length is over the cap; the body was not read, so the stream is lost."""

    def __init__(self, length: int, limit: int):
        super().__init__(f"incoming frame of {length} bytes is over the {limit}-byte limit")
        self.length, self.limit = length, limit


class FrameDecodeError(FramingError):
    """The body was read in full but is not UTF-8 JSON; the next frame can still be read."""

    stream_usable = True


class ReplyTooLargeError(FramingError):
    """An outgoing message would be over Chrome's 1 MiB limit; nothing was written."""

    stream_usable = True

    def __init__(self, length: int, limit: int = MAX_OUTGOING_BYTES):
        super().__init__(f"outgoing frame of {length} bytes is over the {limit}-byte limit")
        self.length, self.limit = length, limit


class FrameEncodeError(FramingError):
    """An outgoing object cannot be written as JSON; nothing was written."""

    stream_usable = True


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes; fewer only at EOF. A pipe's read() may return short."""
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which are not JSON (RFC 8259).
    raise ValueError(f"{name} is not valid JSON")


def decode_body(body: bytes) -> Any:
    """The JSON value in a frame body. Decoded as UTF-8 explicitly: json.loads(bytes) would
    also accept UTF-16 and UTF-32, which the protocol does not allow."""
    try:
        text = body.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise FrameDecodeError(f"frame body is not UTF-8: {exc.reason} at byte {exc.start}"
                               ) from None
    except RecursionError:  # absurdly deep nesting
        raise FrameDecodeError("frame body is nested too deeply") from None
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise FrameDecodeError(f"frame body is not valid JSON: {exc}") from None


def encode_frame(obj: Any) -> bytes:
    """Header and body for ``obj``, checked against Chrome's outgoing limit."""
    try:
        body = json.dumps(obj, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        # TypeError: not serialisable; ValueError: NaN, or a lone surrogate in a str.
        raise FrameEncodeError(f"cannot encode the message as JSON: {exc}") from None
    if len(body) > MAX_OUTGOING_BYTES:
        raise ReplyTooLargeError(len(body))
    return HEADER.pack(len(body)) + body


def read_frame(stream: BinaryIO, max_incoming: int = MAX_INCOMING_BYTES) -> Any:
    """The next message, or None on a clean EOF (no byte before a header).

    The length is checked against ``max_incoming`` before the body is read, so a bogus
    0xFFFFFFFF header never makes us allocate or wait for 4 GiB.
    """
    header = _read_exact(stream, HEADER.size)
    if not header:
        return None
    if len(header) < HEADER.size:
        raise TruncatedFrameError(f"stream ended after {len(header)} of {HEADER.size} "
                                  "header bytes")
    (length,) = HEADER.unpack(header)
    if length > max_incoming:
        raise FrameTooLargeError(length, max_incoming)
    body = _read_exact(stream, length)
    if len(body) < length:
        raise TruncatedFrameError(f"stream ended after {len(body)} of {length} body bytes")
    return decode_body(body)


def write_frame(stream: BinaryIO, obj: Any) -> None:
    """Write one message and flush, or raise and write nothing at all."""
    # One write of the whole frame: a failed size check must not leave a lone header behind.
    stream.write(encode_frame(obj))
    stream.flush()
