"""Framing: round trips, EOF, truncation, caps on both sides, decode errors. In-memory only."""

from __future__ import annotations

import io
import json
import struct

import pytest

from native_host import framing
from native_host.framing import (MAX_INCOMING_BYTES, MAX_OUTGOING_BYTES, FrameDecodeError,
                                 FrameEncodeError, FrameTooLargeError, ReplyTooLargeError,
                                 TruncatedFrameError, read_frame, write_frame)


class RecordingStream(io.BytesIO):
    """Remembers every size asked of read(), so a test can see what was (not) requested."""

    def __init__(self, data: bytes = b""):
        super().__init__(data)
        self.requested: list[int] = []
        self.flushes = 0

    def read(self, size=-1):
        self.requested.append(size)
        return super().read(size)

    def flush(self):
        self.flushes += 1
        super().flush()


class TrickleStream(io.BytesIO):
    """Returns one byte per read(), like a slow pipe."""

    def read(self, size=-1):
        return super().read(min(size, 1) if size and size > 0 else size)


def frame(body: bytes) -> bytes:
    return struct.pack("=I", len(body)) + body


def test_round_trip_with_japanese_text():
    message = {"type": "pair", "name": "山田 太郎", "note": "ご縁を大切に",
               "n": [1, 2.5, None, True]}
    stream = io.BytesIO()
    write_frame(stream, message)
    raw = stream.getvalue()
    (length,) = struct.unpack("=I", raw[:4])
    assert length == len(raw) - 4
    assert "山田".encode("utf-8") in raw  # UTF-8 on the wire, not \u escapes
    stream.seek(0)
    assert read_frame(stream) == message
    assert read_frame(stream) is None


def test_several_frames_then_eof():
    stream = io.BytesIO()
    for i in range(3):
        write_frame(stream, {"type": "ping", "id": i})
    stream.seek(0)
    assert [read_frame(stream)["id"] for _ in range(3)] == [0, 1, 2]
    assert read_frame(stream) is None


def test_header_is_native_byte_order():
    stream = io.BytesIO()
    write_frame(stream, {})
    assert stream.getvalue() == struct.pack("=I", 2) + b"{}"


def test_short_reads_are_completed():
    data = frame(json.dumps({"type": "ping", "text": "縁" * 50}).encode())
    assert read_frame(TrickleStream(data)) == {"type": "ping", "text": "縁" * 50}


def test_empty_stream_is_clean_eof():
    assert read_frame(io.BytesIO(b"")) is None


@pytest.mark.parametrize("partial", [b"\x05", b"\x05\x00", b"\x05\x00\x00"])
def test_truncated_header(partial):
    with pytest.raises(TruncatedFrameError):
        read_frame(io.BytesIO(partial))


def test_truncated_body():
    with pytest.raises(TruncatedFrameError):
        read_frame(io.BytesIO(struct.pack("=I", 10) + b'{"a"'))


def test_huge_length_refused_without_reading_the_body():
    stream = RecordingStream(struct.pack("=I", 0xFFFFFFFF) + b'{"type":"ping"}')
    with pytest.raises(FrameTooLargeError) as info:
        read_frame(stream)
    assert info.value.length == 0xFFFFFFFF
    assert stream.tell() == 4  # nothing read past the header
    assert max(stream.requested) <= 4  # and no 4 GiB read asked for
    assert not info.value.stream_usable


def test_incoming_cap_boundary():
    at_cap = json.dumps("x" * (MAX_INCOMING_BYTES - 2)).encode()
    assert len(at_cap) == MAX_INCOMING_BYTES
    assert read_frame(io.BytesIO(frame(at_cap))) == "x" * (MAX_INCOMING_BYTES - 2)
    over = frame(b" " + at_cap)
    with pytest.raises(FrameTooLargeError):
        read_frame(io.BytesIO(over))


def test_custom_incoming_cap():
    data = frame(b'{"type":"ping"}')
    with pytest.raises(FrameTooLargeError):
        read_frame(io.BytesIO(data), max_incoming=8)
    assert read_frame(io.BytesIO(data), max_incoming=15) == {"type": "ping"}


def test_reply_over_1_mib_never_written():
    stream = RecordingStream()
    with pytest.raises(ReplyTooLargeError):
        write_frame(stream, "x" * MAX_OUTGOING_BYTES)  # + 2 quotes: 1 MiB + 2 bytes
    assert stream.getvalue() == b""


def test_reply_limit_counts_bytes_not_characters():
    text = "あ" * 350_000  # 350,000 characters, 1,050,000 UTF-8 bytes
    stream = io.BytesIO()
    with pytest.raises(ReplyTooLargeError):
        write_frame(stream, text)
    assert stream.getvalue() == b""


def test_reply_of_exactly_1_mib_is_written_and_flushed():
    stream = RecordingStream()
    write_frame(stream, "x" * (MAX_OUTGOING_BYTES - 2))
    assert len(stream.getvalue()) == 4 + MAX_OUTGOING_BYTES
    assert stream.flushes == 1


@pytest.mark.parametrize("obj", [{"s": {1, 2}}, {"n": float("nan")}, {"s": "\ud800"}])
def test_unencodable_reply_writes_nothing(obj):
    stream = io.BytesIO()
    with pytest.raises(FrameEncodeError):
        write_frame(stream, obj)
    assert stream.getvalue() == b""


@pytest.mark.parametrize("body", [
    b'{"type": "ping"',                       # cut JSON
    b"",                                       # empty body
    b"NaN",                                    # not JSON, though Python accepts it
    b'{"type": "ping"} trailing',
    '{"type": "ping"}'.encode("utf-16"),       # json.loads(bytes) would accept UTF-16
    b"\xef\xbb\xbf{}",                         # UTF-8 BOM
    b"[" * 100_000 + b"]" * 100_000,           # nesting deep enough to hit RecursionError
])
def test_invalid_json_raises_decode_error(body):
    with pytest.raises(FrameDecodeError):
        read_frame(io.BytesIO(frame(body)))


def test_invalid_utf8_raises_decode_error():
    with pytest.raises(FrameDecodeError):
        read_frame(io.BytesIO(frame(b'{"name": "\xff\xfe"}')))


def test_stream_usable_after_decode_error():
    stream = io.BytesIO(frame(b"{oops") + frame(b'{"type":"ping"}'))
    with pytest.raises(FrameDecodeError) as info:
        read_frame(stream)
    assert info.value.stream_usable
    assert read_frame(stream) == {"type": "ping"}


def test_error_types_share_a_base():
    for error in (TruncatedFrameError, FrameTooLargeError, FrameDecodeError,
                  ReplyTooLargeError, FrameEncodeError):
        assert issubclass(error, framing.FramingError)
