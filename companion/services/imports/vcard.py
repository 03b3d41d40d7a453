"""vCard files (.vcf) of versions 2.1, 3.0 and 4.0: a phone's or an address book's export
(iPhone/iCloud, Android, Google Contacts' "vCard" export, Outlook, Japanese feature phones), as
one file, a folder or a zip of them.

Reading happens in two steps. First the file's bytes are cut into cards and cleaned: the text
encoding is UTF-8 (with or without BOM; UTF-16 with a BOM also), else Shift_JIS (cp932) as
Japanese phones write it, decided for the whole file, else card by card; vCard 2.1's
QUOTED-PRINTABLE values are decoded with their CHARSET (SHIFT_JIS, UTF-8, …) across their soft
line breaks, and a raw value with a CHARSET other than the file's is decoded with it; folded
lines are unfolded, and iOS's ``\\r\\r\\n`` line ends read as one. Then each card is parsed
with vobject (``readComponents``): a card it cannot parse, a card cut off before ``END:VCARD``
or a card whose bytes are in no known encoding is skipped with its line and reason, and the
rest are imported.

What becomes what (cards.py finds or creates the person, see there for the matching):

* FN → display name (a Japanese FN is kept as written; with no FN, N's parts, family first for
  Japanese names); N → family and given name. A name written whole in one part of N, as
  Japanese phones do, is split as a captured name is (adapters/names.py).
* The reading, family first (``やまだ たろう``): X-PHONETIC-LAST-NAME / -FIRST-NAME /
  -MIDDLE-NAME (iPhone, Android, Google), else SOUND;X-IRMC-N (Japanese phones' 2.1), else N's
  SORT-AS parameter (4.0), else SORT-STRING (3.0).
* ORG (its first part) → organisation; TITLE (else ROLE) → title; NOTE → a note;
  CATEGORIES → tags; EMAIL, TEL, URL, ADR, BDAY, IMPP (and X-AIM, X-SKYPE, …) → contact
  details, labelled from TYPE (or an iPhone X-ABLabel); a URL of a person's profile on a known
  site (and X-SOCIALPROFILE) also becomes an identity.
* UID → the import key that finds the card's person again; a card without UID gets a hash of
  its FN, N, ORG, TITLE, e-mail addresses and phone numbers (numbered when one file
  holds the same card twice).
* Not read: PHOTO and LOGO (not stored), KEY, SOUND other than the reading, GEO, TZ, RELATED,
  nicknames, anniversaries, departments. KIND:group cards (a list of members) are skipped.
"""

from __future__ import annotations

import binascii
import codecs
import re
from dataclasses import dataclass, field
from typing import Iterator

import vobject
from vobject.base import ContentLine, VObjectError

from companion.db import Database, utc_now
from companion.services.details import Detail
from companion.services.imports.base import ImportFailed, ImportSummary, Skipped, Source, register
from companion.services.imports.cards import (SKIP_NO_NAME, Card, CardWriter, advance,
                                              birthday_of, clean, content_key, full_name,
                                              reading_of, tags_from, write_cards)

SUFFIXES = ("*.vcf", "*.vcard")

SKIP_TRUNCATED = ("カードが END:VCARD の前で切れています（ファイルが途中まで?） / The card ends "
                  "before END:VCARD (a truncated file?)")
SKIP_ENCODING = ("カードの文字コードを読めません（UTF-8 でも Shift_JIS でもありません） / The "
                 "card's text is in no known encoding (neither UTF-8 nor Shift_JIS)")
SKIP_UNPARSABLE = "vCard として読めません / Not a readable vCard"
SKIP_GROUP = "グループのカードで、人ではありません / A group card (KIND:group), not a person"

_LINE = re.compile(rb"\r*\n|\r")
_BEGIN = re.compile(rb"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(rb"^\s*END\s*:\s*VCARD\s*$", re.IGNORECASE)
_CHARSETS = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
             "windows-31j": "cp932", "ms932": "cp932", "utf8": "utf-8"}
# Binary or unused properties, dropped before parsing (a photo is most of a card's bytes).
_DROPPED = {"PHOTO", "LOGO", "KEY"}
# Properties whose raw value is split by this module (structured, or lists in 3.0/4.0); every
# other value is one text, whose stray commas are escaped so that vobject does not cut it there.
_STRUCTURED = {"N", "ADR", "ORG", "CATEGORIES", "NICKNAME", "GEO", "SOUND"}
_IM = {"X-AIM": "aim", "X-ICQ": "icq", "X-JABBER": "jabber", "X-MSN": "msn", "X-YAHOO": "yahoo",
       "X-SKYPE": "skype", "X-SKYPE-USERNAME": "skype", "X-GTALK": "gtalk", "X-QQ": "qq",
       "X-GADUGADU": "gadugadu", "X-GOOGLE-TALK": "gtalk", "X-LINE": "line"}
_IGNORED_TYPES = {"internet", "pref", "x400", "voice", "msg", "postal", "parcel", "dom", "intl",
                  "text", "video", "other"}


class _Unreadable(Exception):
    """A card that cannot be read; args: (reason, detail)."""


# -- cutting a file into cards --------------------------------------------------------------------

@dataclass
class RawCard:
    line: int                                   # line of BEGIN:VCARD, from 1
    lines: list[tuple[int, bytes]] = field(default_factory=list)   # between BEGIN and END
    closed: bool = False
    size: int = 0                               # bytes, for the progress bar


def file_text_bytes(data: bytes) -> tuple[bytes, bool]:
    """(the bytes, whether they are all UTF-8). UTF-16 (BOM, or the NULs of ``B\\0E\\0G``) is
    turned into UTF-8 first; a UTF-8 BOM is dropped."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", "replace").encode("utf-8")
    elif data[:2000].count(b"\0") > 10:
        encoding = "utf-16-le" if b"B\0E\0G\0I\0N\0" in data[:2000] else "utf-16-be"
        data = data.decode(encoding, "replace").encode("utf-8")
    try:
        data.decode("utf-8")
        return data, True
    except UnicodeDecodeError:
        return data, False


def split_cards(data: bytes) -> list[RawCard]:
    """The cards of a file by BEGIN/END lines. A card nested in another (vCard 2.1's AGENT)
    stays inside its card; a BEGIN:VCARD that comes while a card is open without an AGENT line
    before it means the open card was cut off: it is kept as not closed."""
    cards: list[RawCard] = []
    current: RawCard | None = None
    depth = 0
    previous = b""
    for number, line in enumerate(_LINE.split(data), start=1):
        if _BEGIN.match(line):
            if current is not None and not previous.upper().lstrip().startswith(b"AGENT"):
                cards.append(current)           # not closed
                current, depth = None, 0
            if current is None:
                current = RawCard(number)
                depth = 1
                current.size += len(line) + 1
                previous = line
                continue
            depth += 1
        if current is None:
            continue
        current.size += len(line) + 1
        if _END.match(line):
            depth -= 1
            if depth == 0:
                current.closed = True
                cards.append(current)
                current = None
                continue
        current.lines.append((number, line))
        if line.strip():
            previous = line
    if current is not None:
        cards.append(current)
    return cards


def _split_head(line: bytes) -> tuple[bytes, bytes] | None:
    """(name and parameters, value) at the first colon outside double quotes."""
    quoted = False
    for i, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return line[:i], line[i + 1:]
    return None


def _params(head: bytes) -> list[bytes]:
    parts, start, quoted = [], 0, False
    for i, byte in enumerate(head):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3B and not quoted:
            parts.append(head[start:i])
            start = i + 1
    parts.append(head[start:])
    return parts


def _is_qp(param: bytes) -> bool:
    return param.strip().upper() in (b"ENCODING=QUOTED-PRINTABLE", b"QUOTED-PRINTABLE")


def _is_base64(param: bytes) -> bool:
    return param.strip().upper() in (b"ENCODING=BASE64", b"ENCODING=B", b"BASE64")


def _charset(params: list[bytes]) -> str | None:
    for param in params:
        if param.strip().upper().startswith(b"CHARSET="):
            name = param.split(b"=", 1)[1].strip(b' "').decode("ascii", "replace").lower()
            name = _CHARSETS.get(name, name)
            try:
                return codecs.lookup(name).name
            except LookupError:
                return None
    return None


def _names_charset(line: bytes) -> bool:
    split = _split_head(line)
    return bool(split) and _charset(_params(split[0])[1:]) is not None


def _logical_lines(lines: list[tuple[int, bytes]]) -> list[list]:
    """Unfold: a line starting with a space or tab continues the one before (vCard 3.0/4.0 and
    2.1), a QUOTED-PRINTABLE value ending in ``=`` goes on in the next line (soft line break),
    and the lines of a 2.1 base64 value without leading spaces run to the next blank line."""
    out: list[list] = []
    qp_open = base64_open = False
    for number, line in lines:
        if qp_open:
            out[-1][1] += line
        elif not line.strip():
            base64_open = False
            continue
        elif line[:1] in (b" ", b"\t") and out:
            out[-1][1] += line[1:]
        elif base64_open and b":" not in line:
            out[-1][1] += line.strip()
        else:
            out.append([number, line])
            split = _split_head(line)
            base64_open = bool(split) and any(_is_base64(p) for p in _params(split[0])[1:])
        qp_open = False
        current = out[-1][1]
        if current.endswith(b"="):
            split = _split_head(current)
            if split and any(_is_qp(p) for p in _params(split[0])[1:]):
                out[-1][1] = current[:-1]
                qp_open = True
    return out


def _decode(raw: bytes, encodings: list[str | None]) -> str | None:
    for encoding in encodings:
        if encoding:
            try:
                return raw.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    return None


def _escape_commas(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if char == "," and not escaped:
            out.append("\\,")
        else:
            out.append(char)
        escaped = char == "\\" and not escaped
    return "".join(out)


def card_text(card: RawCard, file_is_utf8: bool) -> str:
    """The card as clean Unicode vCard text for vobject: QUOTED-PRINTABLE decoded, every value
    in its charset, binary properties dropped. Raises _Unreadable for bytes in no known
    encoding."""
    logical = _logical_lines(card.lines)
    # The card's own encoding, from the values that do not name one: the whole file's when it
    # is all UTF-8 (a CHARSET=SHIFT_JIS label on UTF-8 bytes is a re-saved file's leftover).
    plain = b"\n".join(line for _, line in logical if not _names_charset(line))
    card_encoding = "utf-8" if file_is_utf8 else next(
        (e for e in ("utf-8", "cp932") if _decode(plain, [e]) is not None), None)
    out = ["BEGIN:VCARD"]
    for number, line in logical:
        split = _split_head(line)
        if split is None:
            out.append(_decode(line, [card_encoding, "utf-8"]) or line.decode("utf-8", "replace"))
            continue                            # vobject says why it is no property line
        head, value = split
        params = _params(head)
        name = params[0].split(b".")[-1].strip().upper().decode("ascii", "replace")
        rest = params[1:]
        if name in _DROPPED or any(_is_base64(p) for p in rest):
            continue
        charset = _charset(rest)
        if any(_is_qp(p) for p in rest):
            raw = binascii.a2b_qp(value)
            # the bytes of a QUOTED-PRINTABLE value are what its CHARSET says; a wrong label
            # falls back to the others, and a stray byte is replaced rather than losing the card
            text = (_decode(raw, [charset, card_encoding, "utf-8", "cp932"])
                    or raw.decode(charset or card_encoding or "utf-8", "replace"))
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        else:
            text = _decode(value, [card_encoding, "ascii"] if file_is_utf8 or not charset
                           else [charset, card_encoding, "ascii"])
            if text is None:
                raise _Unreadable(SKIP_ENCODING, f"line {number}")
        if name not in _STRUCTURED:
            text = _escape_commas(text)
        kept = [p for p in rest if not _is_qp(p) and not p.strip().upper().startswith(b"CHARSET=")]
        head_text = b";".join([params[0], *kept])
        out.append((_decode(head_text, [card_encoding, "utf-8", "cp932"])
                    or head_text.decode("utf-8", "replace")) + ":" + text)
    out.append("END:VCARD")
    return "\r\n".join(out) + "\r\n"


# -- reading a parsed card ------------------------------------------------------------------------

def _split(text: str, separators: str = ";") -> list[str]:
    """Split at unescaped separators, then unescape each part."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return [_unescape(p) for p in parts]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1)
                  if m.group(1) in ",;:\\" else m.group(0), text)


def _text(line: ContentLine) -> str:
    value = line.value
    if isinstance(value, list):
        value = ",".join(value)
    return (value or "").replace("\\:", ":").strip()


def _types(line: ContentLine) -> list[str]:
    found = []
    for value in [*line.params.get("TYPE", []), *line.singletonparams]:
        for part in str(value).split(","):
            part = part.strip().lower()
            if part and part not in found:
                found.append(part)
    return found


def _label(line: ContentLine, group_labels: dict[str, str]) -> str | None:
    if line.group and line.group.lower() in group_labels:
        return group_labels[line.group.lower()]
    types = [t for t in _types(line) if t not in _IGNORED_TYPES]
    return clean(" ".join(types), 60)


def _apple_label(text: str) -> str | None:
    # iPhone's standard labels are written _$!<HomePage>!$_; custom ones as typed
    found = re.fullmatch(r"_\$!<(.*)>!\$_", text.strip())
    return clean((found.group(1).lower() if found else text), 60)


def _address(parts: list[str]) -> str | None:
    parts = [" ".join(p.split()) for p in (parts + [""] * 7)[:7]]
    box, extended, street, city, region, code, country = parts
    if any(map(_has_cjk, parts)):
        # Japanese order, large to small: 〒150-8512 東京都渋谷区…
        head = f"〒{code}" if code else ""
        return clean(" ".join(p for p in (head, country, region + city + street,
                                          extended, box) if p))
    return clean(", ".join(p for p in (box, extended, street, city,
                                       " ".join(x for x in (region, code) if x), country) if p))


def _has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text))


def _phone(text: str) -> str:
    text = text.strip()
    if text.lower().startswith("tel:"):
        number, *params = text[4:].split(";")
        ext = next((p[4:] for p in params if p.lower().startswith("ext=")), None)
        text = number + (f" ext. {ext}" if ext else "")
    return text


def _pick(lines: list[ContentLine]) -> ContentLine | None:
    """Of several FN or N (4.0's ALTID variants), the Japanese one, else the first."""
    for line in lines:
        if any(str(v).lower().startswith("ja") for v in line.params.get("LANGUAGE", [])):
            return line
    return lines[0] if lines else None


def to_card(component) -> Card | str:
    """A parsed vCard as a Card, or the reason (a SKIP_ text) it is no person."""
    by_name: dict[str, list[ContentLine]] = {}
    group_labels: dict[str, str] = {}
    for child in component.getChildren():
        if isinstance(child, ContentLine):
            by_name.setdefault(child.name.upper(), []).append(child)
            if child.name.upper() == "X-ABLABEL" and child.group:
                label = _apple_label(_text(child))
                if label:
                    group_labels[child.group.lower()] = label

    def first(name: str) -> str | None:
        return next((t for t in (_text(line) for line in by_name.get(name, [])) if t), None)

    version = first("VERSION") or "3.0"
    if (first("KIND") or "").lower() == "group":
        return SKIP_GROUP
    fn_line = _pick(by_name.get("FN", []))
    fn = clean(_text(fn_line)) if fn_line else None
    n_lines = by_name.get("N", [])
    n_line = None
    if fn_line is not None and "ALTID" in fn_line.params:
        n_line = next((n for n in n_lines if n.params.get("ALTID") == fn_line.params["ALTID"]
                       and n.params.get("LANGUAGE") == fn_line.params.get("LANGUAGE")), None)
    n_line = n_line or _pick(n_lines)
    n_parts = [clean(p) for p in (_split(n_line.value) if n_line else [])] + [None] * 5
    family, given, middle = n_parts[0], n_parts[1], n_parts[2]
    card = Card(display_name=fn or full_name(family, given, middle) or "")
    if family and given:
        card.family_name, card.given_name = family, given
    elif (family or given) and (family or given) != card.display_name:
        card.family_name, card.given_name = family, given
    # a name written whole in one part (安藤ロイド;;;;): names.py splits it when creating

    reading = reading_of(first("X-PHONETIC-LAST-NAME"), first("X-PHONETIC-FIRST-NAME"),
                         first("X-PHONETIC-MIDDLE-NAME"))
    if not reading:
        for line in by_name.get("SOUND", []):
            if "X-IRMC-N" in [*line.singletonparams, *line.params]:
                parts = _split(_text(line)) + [None, None, None]
                reading = reading_of(parts[0], parts[1], parts[2])
                break
    if not reading and n_line is not None and n_line.params.get("SORT-AS"):
        parts = re.split(r"[,;]", ",".join(n_line.params["SORT-AS"])) + [None]
        reading = reading_of(parts[0], parts[1])
    card.reading = reading or reading_of(first("SORT-STRING"), None)

    org = next((line for line in by_name.get("ORG", []) if _text(line)), None)
    card.organisation = clean(_split(org.value)[0]) if org else None
    card.title = clean(first("TITLE") or first("ROLE"))

    emails = []
    for line in by_name.get("EMAIL", []):
        value = re.sub(r"^mailto:", "", _text(line), flags=re.IGNORECASE)
        card.details.append(Detail("email", value, _label(line, group_labels)))
        emails.append(value)
    for line in by_name.get("TEL", []):
        card.details.append(Detail("phone", _phone(_text(line)), _label(line, group_labels)))
    for line in by_name.get("URL", []):
        card.details.append(Detail("url", _text(line), _label(line, group_labels)))
    for line in by_name.get("X-SOCIALPROFILE", []):
        value = _text(line)
        if re.match(r"^(https?://|www\.)", value, re.IGNORECASE):
            card.details.append(Detail("url", value, _label(line, group_labels)))
    for line in by_name.get("ADR", []):
        formatted = _address(_split(line.value))
        if formatted:
            card.details.append(Detail("address", formatted, _label(line, group_labels)))
    birthday = birthday_of(first("BDAY") or "")
    if birthday:
        card.details.append(Detail("birthday", birthday))
    for line in by_name.get("IMPP", []):
        value = _text(line)
        scheme = value.split(":", 1)[0].lower() if ":" in value else None
        card.details.append(Detail("im", value, _label(line, group_labels) or scheme))
    for name, service in _IM.items():
        for line in by_name.get(name, []):
            card.details.append(Detail("im", _text(line), service))

    card.notes = [_text(line) for line in by_name.get("NOTE", []) if _text(line)]
    categories: list[str] = []
    for line in by_name.get("CATEGORIES", []):
        values = line.value if isinstance(line.value, list) else [line.value]
        for value in values:
            categories += _split(value, ";,") if version.startswith("2") else [_unescape(value)]
    card.tags = tags_from(categories)

    if not card.display_name:
        nickname = clean(_split(by_name["NICKNAME"][0].value, ",")[0]) if "NICKNAME" in by_name \
            else None
        card.display_name = nickname or card.organisation or (emails[0] if emails else "")
    if not card.display_name:
        return SKIP_NO_NAME
    uid = clean(first("UID"))
    card.import_key = ("vcard-uid:" + uid) if uid else content_key(
        "vcard-sha:", card, n_parts[:5])
    card.key_is_id = bool(uid)
    return card


def read_cards(name: str, data: bytes) -> Iterator[tuple[RawCard, Card | Skipped | None]]:
    """Each card of a file with its Card, or the Skipped that says why not (None never)."""
    data, is_utf8 = file_text_bytes(data)
    for raw in split_cards(data):
        where = f"{name}:{raw.line}"
        if not raw.closed:
            yield raw, Skipped(where, SKIP_TRUNCATED)
            continue
        try:
            text = card_text(raw, is_utf8)
            component = next(vobject.readComponents(text, transform=False))
            result = to_card(component)
        except _Unreadable as exc:
            yield raw, Skipped(f"{where} ({exc.args[1]})", exc.args[0])
            continue
        except (VObjectError, ValueError, StopIteration) as exc:
            detail = " ".join(str(exc).split())[:120]
            yield raw, Skipped(f"{where} ({detail})", SKIP_UNPARSABLE)
            continue
        yield raw, Skipped(where, result) if isinstance(result, str) else result


# -- the importer ---------------------------------------------------------------------------------

def _vcard_paths(source: Source) -> list[str]:
    found = []
    for pattern in SUFFIXES:
        found += [p for p in source.paths(pattern) if p not in found]
    return found


def _looks_like_vcard(source: Source, name: str) -> bool:
    try:
        with source._open_binary(name) as raw:
            head = raw.read(4096)
    except ImportFailed:
        return False
    head, _ = file_text_bytes(head)
    return bool(re.match(rb"^\s*BEGIN\s*:\s*VCARD", head, re.IGNORECASE))


class VCardImporter:
    name = "vcard"

    def _paths(self, source: Source) -> list[str]:
        paths = _vcard_paths(source)
        if not paths:
            everything = source.paths()
            # a single file of another name (contacts.txt) is a vCard when it begins as one
            if len(everything) == 1 and _looks_like_vcard(source, everything[0]):
                paths = everything
        return paths

    def detect(self, source: Source) -> bool:
        return bool(self._paths(source))

    def run(self, db: Database, settings, source: Source) -> ImportSummary:
        paths = self._paths(source)
        source.read_bytes = 0
        source.total_bytes = sum(source.size(p) for p in paths)
        summary = ImportSummary(source=f"vcard:{source.path.name}")
        writer = CardWriter(summary, "vcard", utc_now())
        read = {"cards": 0, "encoding": 0}

        def cards() -> Iterator[tuple[str, Card | Skipped]]:
            for path in paths:
                progress, source.progress = source.progress, None
                try:
                    data = source.read(path)
                finally:
                    source.progress = progress
                source.read_bytes -= len(data)     # counted card by card below
                writer.start_file(source.modified_at(path))
                for raw, item in read_cards(path, data):
                    advance(source, raw.size)
                    if isinstance(item, Card):
                        read["cards"] += 1
                    elif item.reason == SKIP_ENCODING:
                        read["encoding"] += 1
                    yield item.where if isinstance(item, Skipped) else path, item

        write_cards(db, writer, cards())
        if read["cards"] == 0 and not summary.skipped:
            raise ImportFailed("vCard が見つかりません（空のファイル?） / No vCard in the file "
                               f"(is it empty?): {source.path.name}")
        if read["cards"] == 0 and read["encoding"] == len(summary.skipped):
            raise ImportFailed("ファイルの文字コードを読めません（UTF-8 でも Shift_JIS でもあり"
                               "ません） / The file's text is in no known encoding (neither "
                               f"UTF-8 nor Shift_JIS): {source.path.name}")
        return summary


register(VCardImporter())
