"""Are two records one person? ``compare(a, b)`` answers with a score, a verdict and its reasons.

Verdicts:

* ``same`` (score 1.0) — certain evidence only: the same e-mail address, the same canonical
  profile URL (a rel=me or profile link of one record naming the other's profile counts: both
  are in ``urls``), or the same personal website. Such a pair may be merged without asking.
* ``likely`` — a proposal for the user, never merged by itself: a name match (same spelling in
  any order, the same reading across kanji / kana / romaji, a close Latin spelling, a nickname,
  an initial) together with corroboration (the same organisation, location or photo), scored
  by the weights below. Names alone, however equal, are never enough: 佐藤健 and John Smith are
  many people. Certain evidence contradicted by two different profiles on one platform is only
  ``likely`` too.
* ``different`` — everything else.

The score of an uncertain pair is the sum of its reasons' weights, kept within 0..MAX_UNCERTAIN;
``LIKELY_THRESHOLD`` and the weights were chosen on the ``dev`` split of
tests/eval/identity_pairs.jsonl (tests/eval/identity_eval.py prints both splits).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from companion.services.details import normalise as detail_form
from companion.services.identity import canonical_or_none
from companion.services.matching import names
from companion.services.matching.names import NameKey, name_key

# -- weights and thresholds (chosen on the dev split) -----------------------------------------

LIKELY_THRESHOLD = 0.75     # an uncertain pair at or above this is proposed
MAX_UNCERTAIN = 0.95        # no uncertain pair scores like a certain one
CERTAIN_WITH_CONFLICT = 0.8  # certain evidence but two different profiles on one platform

W_NAME_SAME = 0.6           # the same name as written, in any order (山田 太郎 / 山田太郎)
W_NAME_READING = 0.6        # the same reading (山田太郎 / やまだ たろう)
W_NAME_READING_OTHER_KANJI = 0.3   # … of two names written in different kanji (上田 / 植田)
W_NAME_ROMAJI = 0.6         # the same folded romaji (やまだ たろう / YAMADA Taro / Tarou Yamada)
W_NAME_POSSIBLE = 0.5       # a next-best reading of the kanji matches (中島 なかしま)
W_NAME_SIMILAR = 0.45       # same family name, given name a near spelling or a nickname
W_NAME_INITIAL = 0.35       # same family name, given name shortened to its initial
W_NAME_FAMILY = 0.4         # family reads the same, a one-kanji given name by another reading
W_NAME_FAMILY_PREFIX = 0.3  # … longer given name only starts the same (山田 悠人 / Yuto Yamada)
W_GENERATION = -0.4         # Jr. on one side and not the other, or Jr. against Sr.
W_NAME_DIFFERENT = -0.3     # both names known and none of the above
COMMON_NAME_PENALTY = 0.1   # a name match on a very common family name says less
W_SAME_ORGANISATION = 0.35
W_DIFFERENT_ORGANISATION = -0.15   # both given, same script, different: people change jobs
W_SAME_LOCATION = 0.15
W_SAME_TITLE = 0.05
W_SAME_PHOTO = 0.4
W_ORG_WEBSITE = 0.25        # the same website, but it is the organisation's
W_ROLE_EMAIL = 0.2          # the same info@ / contact@ address: a shared mailbox
W_PROFILE_CONFLICT = -0.7   # two different profiles on one platform

GIVEN_FUZZ = 88             # rapidfuzz ratio for two Latin given names to be near spellings
ORG_FUZZ = 92               # … and for two organisation names

# Platforms where one person has one profile: two different ones speak against a match.
# Mastodon (many servers) and plain websites are left out.
ONE_PROFILE_PLATFORMS = frozenset({"linkedin", "x", "facebook", "instagram", "github",
                                   "bluesky", "wantedly", "eight"})

# Shared mailboxes: the same one is a hint, not a person. Also as one part of a longer name
# (info-jp@, jp.sales@, yamada.family@): see is_role_mailbox.
ROLE_MAILBOXES = frozenset("""info contact contacts hello support sales admin office team jobs
career careers recruit recruiting saiyo hr press pr media noreply no-reply mail webmaster
inquiry inquiries enquiry enquiries toiawase otoiawase marketing billing help desk eigyo eigyou
soumu somu jinji kouhou koho family home kazoku shop store""".split())
_LOCAL_PARTS = re.compile(r"[-._+]")


def is_role_mailbox(address: str) -> bool:
    """A mailbox several people read: info@, info-jp@, jp.sales@, yamada.family@, noreply@."""
    local = address.split("@", 1)[0].lower()
    return local in ROLE_MAILBOXES or any(
        part in ROLE_MAILBOXES for part in _LOCAL_PARTS.split(local) if part)

# Very common family names (romaji, folded): a name match on one of these is a weaker hint.
# Written for Goen from general knowledge of the most frequent Japanese and English surnames.
COMMON_FAMILY = frozenset(names.fold_romaji(w) for w in """
sato suzuki takahashi tanaka ito watanabe yamamoto nakamura kobayashi kato yoshida yamada
sasaki yamaguchi matsumoto inoue kimura hayashi saito shimizu yamazaki mori abe ikeda hashimoto
smith johnson williams brown jones garcia miller davis wilson taylor lee anderson thomas
martin moore jackson white harris clark lewis wang chen kim park
""".split())

# Legal forms dropped from organisation names before comparing.
_LEGAL_FORMS = re.compile(
    r"株式会社|\(株\)|有限会社|\(有\)|合同会社|合資会社|一般社団法人|一般財団法人|公益社団法人|"
    r"特定非営利活動法人|npo法人|\b(?:inc|incorporated|ltd|limited|llc|llp|plc|corp|corporation|"
    r"co|company|gmbh|ag|sa|bv|kk|k\.k|pte|pty|the)\b\.?")
_LOCATION_STOP = frozenset("""japan nihon nippon to fu ken shi ku gun cho machi mura city ward
prefecture metropolis metropolitan greater area region usa us uk united states kingdom of
the""".split())


# -- records ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """One record as matching sees it: a contact, an import row, or a side of the API's body."""

    name: str
    reading: str | None = None
    organisation: str | None = None
    title: str | None = None
    location: str | None = None
    urls: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    photo: str | None = None      # an avatar URL or a hash of the image


@dataclass(frozen=True)
class Reason:
    code: str
    weight: float
    en: str
    ja: str


@dataclass(frozen=True)
class Comparison:
    score: float                  # 0..1; 1.0 only for certain evidence
    verdict: str                  # same | likely | different
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Prepared:
    """A Side with its comparison keys worked out once (``prepare``)."""

    side: Side
    name: NameKey
    organisation: str | None
    organisation_script: str
    organisation_romaji: str | None       # folded romaji of the organisation, any script
    location: frozenset[str]
    title: str | None
    emails: frozenset[str]
    role_emails: frozenset[str]
    profiles: frozenset[tuple[str, str]]          # (platform, canonical URL), with a handle
    websites: frozenset[str]                      # canonical URLs of personal sites
    site_labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    photo: str | None = None


def organisation_key(text: str | None) -> str | None:
    """An organisation name without legal forms, case, punctuation or spaces:
    ``株式会社ひかりシステムズ`` and ``ひかりシステムズ(株)`` meet, ``Acme Labs, Inc.`` and ``ACME LABS``."""
    if not text:
        return None
    key = names.normalise(text)
    key = _LEGAL_FORMS.sub(" ", key)
    key = re.sub(r"&|＆|\band\b|\bund\b|\bet\b", " ", key)   # Ellery & Finch = Ellery and Finch
    key = re.sub(r"[\W_]+", "", key)
    return key or None


@functools.lru_cache(maxsize=4096)
def location_tokens(text: str | None) -> frozenset[str]:
    """Place words in folded romaji, so ``東京都渋谷区`` and ``Shibuya, Tokyo`` share ``tokyo``."""
    if not text:
        return frozenset()
    norm = names.normalise(text)
    words: list[str] = []
    for run in re.findall(r"[a-z]+|[^\x00-\x7f]+", norm):
        if run.isascii():
            words.append(names.fold_romaji(run))
        else:
            for options in names.kanji_readings(run) or ():
                words.append(names.fold_romaji(names.kana_to_romaji(options[0]).replace(" ", "")))
    return frozenset(w for w in words if len(w) >= 3 and w not in _LOCATION_STOP)


@functools.lru_cache(maxsize=4096)
def _organisation_romaji(key: str | None) -> str | None:
    """``ききょう`` → ``kikyo``, ``kikyo`` → ``kikyo``: organisations compared across scripts.
    Katakana loanwords (ノースゲートフーズ) stay apart from their English spelling."""
    if not key:
        return None
    if key.isascii():
        return names.fold_romaji(key)
    words = names.kanji_readings(key)
    if not words:
        return None
    return names.fold_romaji(names.kana_to_romaji("".join(o[0] for o in words)).replace(" ", ""))


def email_key(value: str) -> str | None:
    """The form contact_details compares addresses in (details.normalise: lower case, full
    width folded, ``mailto:`` dropped), also without a ``mailto:`` query and a ``+tag``; None
    when it is not an address."""
    key = detail_form("email", value.strip().split("?")[0])
    if key is None:
        return None
    local, _, domain = key.rpartition("@")
    local = local.split("+")[0]
    return f"{local}@{domain}" if local else None


def _host_label(url: str) -> str:
    """``https://www.acme-robotics.co.jp/x`` → ``acmerobotics``: the name part of the host."""
    host = re.sub(r"^[a-z]+://", "", url).split("/")[0].split(":")[0]
    parts = [p for p in host.split(".") if p not in ("www", "co", "or", "ne", "ac", "go", "com",
                                                     "jp", "net", "org", "io", "dev", "me")]
    return re.sub(r"[\W_]+", "", parts[-1] if parts else host)


def prepare(side: Side | Prepared) -> Prepared:
    if isinstance(side, Prepared):
        return side
    return _prepare(side)


def _prepare(side: Side) -> Prepared:
    emails, roles = set(), set()
    profiles, websites, labels = set(), set(), {}
    for raw in side.emails:
        key = email_key(raw)
        if key:
            (roles if is_role_mailbox(key) else emails).add(key)
    for raw in side.urls:
        if raw.strip().lower().startswith("mailto:"):
            key = email_key(raw)
            if key:
                (roles if is_role_mailbox(key) else emails).add(key)
            continue
        canonical = canonical_or_none(raw)
        if canonical is None:
            continue
        if canonical.platform == "web":
            websites.add(canonical.url)
            labels[canonical.url] = _host_label(canonical.url)
        elif canonical.handle:
            profiles.add((canonical.platform, canonical.url))
    org = organisation_key(side.organisation)
    return Prepared(
        side=side, name=name_key(side.name or "", side.reading or None), organisation=org,
        organisation_script=names.script_of(org or ""),
        organisation_romaji=_organisation_romaji(org),
        location=location_tokens(side.location), title=organisation_key(side.title),
        emails=frozenset(emails), role_emails=frozenset(roles), profiles=frozenset(profiles),
        websites=frozenset(websites), site_labels=labels,
        photo=(side.photo or "").strip() or None)


# -- names --------------------------------------------------------------------------------------

def _reason(code: str, weight: float, en: str, ja: str) -> Reason:
    return Reason(code, round(weight, 3), en, ja)


def _latin_match(a: tuple[str, ...], a_latin: bool, b: tuple[str, ...], b_latin: bool,
                 ) -> tuple[str, float] | None:
    """Two names as words: one family word the same, the given words close. Near spellings
    and nicknames only between words written in Latin letters (``Katherine``/``Catherine``,
    ``Bob``/``Robert``); an initial wherever (``T. Yamada`` / 山田太郎)."""
    if len(a) < 2 or len(b) < 2:
        return None
    fa = [names.fold_romaji(w) for w in a]
    fb = [names.fold_romaji(w) for w in b]
    best: tuple[str, float] | None = None
    for i, family in enumerate(fa):
        if len(family) < 2 or family not in fb:
            continue
        j = fb.index(family)
        rest_a = [w for k, w in enumerate(a) if k != i]
        rest_b = [w for k, w in enumerate(b) if k != j]
        ga, gb = rest_a[0], rest_b[0]
        fga, fgb = names.fold_romaji(ga), names.fold_romaji(gb)
        found: tuple[str, float] | None = None
        if fga == fgb:
            # the same first and family names, other words differ (a middle name)
            found = ("name_similar", W_NAME_SIMILAR)
        elif len(fga) == 1 or len(fgb) == 1:
            if fga[0] == fgb[0]:
                found = ("name_initial", W_NAME_INITIAL)
        elif a_latin and b_latin:
            if names.same_given_name(ga, gb) or names.same_given_name(gb, ga):
                found = ("name_nickname", W_NAME_SIMILAR)
            elif (min(len(fga), len(fgb)) >= 4 and not fga.startswith(fgb)
                  and not fgb.startswith(fga) and fuzz.ratio(fga, fgb) >= GIVEN_FUZZ):
                # a near spelling, but not a name inside a longer one: Paul / Paula and
                # Daniel / Danielle are two names (short forms are in the nickname table)
                found = ("name_similar", W_NAME_SIMILAR)
        if found and (best is None or found[1] > best[1]):
            best = found
    return best


def _family_given_match(kanji: NameKey, other: NameKey) -> str | None:
    """山田 悠人 and Yuto Yamada: the family name reads the same and the romaji given name
    starts the way the given name's first kanji may be read. Kanji against kanji never: two
    written given names that differ are two names."""
    if kanji.family_given is None or other.script in ("kanji", "mixed"):
        return None
    family, starts, whole = kanji.family_given
    for words, _latin in other.word_lists:
        folded = [names.fold_romaji(w) for w in words]
        if family in folded and len(folded) >= 2:
            rest = [w for w in folded if w != family]
            if not rest:
                continue
            given = rest[0]
            if whole and given in starts:
                return "whole"
            if not whole and any(given.startswith(x) and len(given) > len(x) for x in starts):
                return "prefix"
    return None


def _common(a: NameKey, b: NameKey) -> bool:
    return bool((a.romaji_tokens & b.romaji_tokens) & COMMON_FAMILY)


def name_reason(a: NameKey, b: NameKey, shown: str | None = None) -> Reason | None:
    """The strongest name evidence between two name keys, or a ``name_different`` reason;
    ``shown`` is how the reason's text names the two (the keys' normalised text by default)."""
    if a.empty or b.empty:
        return None
    shown = shown or f"{a.text} / {b.text}"
    penalty = COMMON_NAME_PENALTY if _common(a, b) else 0.0
    if (a.stated_reading and b.stated_reading and not a.readings & b.readings
            and not a.romaji & b.romaji):
        # both records say how the name is read, and they disagree: 中島裕子 (なかじま ゆうこ)
        # and 中島裕子 (なかしま ひろこ) are two people
        return _reason("name_reading_conflict", W_NAME_DIFFERENT,
                       f"The names are read differently ({shown})",
                       f"名前の読みが異なる（{shown}）")
    if a.compact & b.compact or (a.tokens and a.tokens == b.tokens):
        return _reason("name_same", W_NAME_SAME - penalty,
                       f"Same name ({shown})", f"同じ名前（{shown}）")
    both_kanji = a.script in ("kanji", "mixed") and b.script in ("kanji", "mixed")
    if a.readings & b.readings:
        # two names written in different kanji that read alike (上田 / 植田 直人) are more
        # often two people than a typo: variant forms (髙 / 高) were already folded
        weight = W_NAME_READING_OTHER_KANJI if both_kanji else W_NAME_READING
        return _reason("name_reading_match", weight - penalty,
                       f"Names read the same ({shown})", f"名前の読みが同じ（{shown}）")
    if a.romaji & b.romaji:
        return _reason("name_romaji_match", W_NAME_ROMAJI - penalty,
                       f"Names match in romaji ({shown})", f"名前がローマ字で一致（{shown}）")
    if not both_kanji and ((a.romaji & b.alt_romaji) or (a.alt_romaji & b.romaji)):
        # MeCab's other readings bridge a script gap (中島 裕子 / Hiroko Nakashima); between
        # two names written in kanji they would only make 由紀 and 由香 meet
        return _reason("name_reading_possible", W_NAME_POSSIBLE - penalty,
                       f"Names may read the same ({shown})",
                       f"名前の読みが一致する可能性（{shown}）")
    best: tuple[str, float] | None = None
    family = _family_given_match(a, b) or _family_given_match(b, a)
    if family:
        best = ("name_family_match", W_NAME_FAMILY if family == "whole" else W_NAME_FAMILY_PREFIX)
    for wa, la in a.word_lists:
        for wb, lb in b.word_lists:
            found = _latin_match(wa, la, wb, lb)
            if found and (best is None or found[1] > best[1]):
                best = found
    if best:
        code, weight = best
        en, ja = {
            "name_similar": (f"Similar names ({shown})", f"似た名前（{shown}）"),
            "name_nickname": (f"A name and its short form ({shown})",
                              f"名前と愛称（{shown}）"),
            "name_initial": (f"Same family name and initial ({shown})",
                             f"同じ姓とイニシャル（{shown}）"),
            "name_family_match": (f"Same family name; the given name may read the same "
                                  f"({shown})", f"同じ姓、名の読みも一致する可能性（{shown}）"),
        }[code]
        return _reason(code, weight - penalty, en, ja)
    return _reason("name_different", W_NAME_DIFFERENT,
                   f"Different names ({shown})", f"名前が異なる（{shown}）")


# -- the comparison -----------------------------------------------------------------------------

def _same_organisation(a: Prepared, b: Prepared) -> bool | None:
    """True / False when both are known (False only within one script), else None."""
    if not a.organisation or not b.organisation:
        return None
    x, y = a.organisation, b.organisation
    if x == y:
        return True
    shorter, longer = sorted((x, y), key=len)
    if len(shorter) >= 5 and shorter in longer:
        return True
    if min(len(x), len(y)) >= 5 and fuzz.ratio(x, y) >= ORG_FUZZ:
        return True
    same_script = (a.organisation_script == b.organisation_script
                   or {a.organisation_script, b.organisation_script} <= {"kanji", "kana"})
    if same_script:
        return False
    ra, rb = a.organisation_romaji, b.organisation_romaji
    if ra and rb and (ra == rb or (min(len(ra), len(rb)) >= 5 and fuzz.ratio(ra, rb) >= ORG_FUZZ)):
        return True
    return None


def _is_org_site(label: str, *sides: Prepared) -> bool:
    """The site's host names the organisation of either side (``shiokaze.co.jp`` and
    株式会社しおかぜ, through its romaji), so colleagues may both link it."""
    if len(label) < 3:
        return False
    for s in sides:
        for org in (s.organisation, s.organisation_romaji):
            if org and len(org) >= 3 and (label in org or org in label):
                return True
    return False


def _comparable(a: NameKey, b: NameKey) -> bool:
    """Whether two names can be told apart with confidence: both in Latin letters with whole
    words, or both Japanese (family names' readings are reliable). Initials ("J. D."), and
    katakana or kanji against Latin letters (ノラ・ヴァンス / Nora Vance, a given name's kanji
    read wrongly) are no evidence that two people differ."""
    japanese = {"kanji", "kana"}
    if a.script == b.script == "latin":
        return all(len(w.strip(".")) > 1 for words in (*a.latin, *b.latin) for w in words)
    return a.script in japanese and b.script in japanese


def _platform_urls(p: Prepared) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for platform, url in p.profiles:
        if platform in ONE_PROFILE_PLATFORMS:
            out.setdefault(platform, set()).add(url)
    return out


def compare(a: Side | Prepared, b: Side | Prepared) -> Comparison:
    """Score two records (see the module's doc for the verdicts)."""
    a, b = prepare(a), prepare(b)
    certain: list[Reason] = []
    reasons: list[Reason] = []

    for email in sorted(a.emails & b.emails):
        certain.append(_reason("same_email", 1.0, f"Same e-mail address ({email})",
                               f"同じメールアドレス（{email}）"))
    for platform, url in sorted(a.profiles & b.profiles):
        certain.append(_reason("same_profile_url", 1.0, f"Same profile ({url})",
                               f"同じプロフィール（{url}）"))
    for url in sorted(a.websites & b.websites):
        label = a.site_labels.get(url) or b.site_labels.get(url) or ""
        if _is_org_site(label, a, b):
            reasons.append(_reason("same_org_website", W_ORG_WEBSITE,
                                   f"Same website, of the organisation ({url})",
                                   f"同じウェブサイト（所属先のもの: {url}）"))
        else:
            certain.append(_reason("same_website", 1.0, f"Same personal website ({url})",
                                   f"同じ個人サイト（{url}）"))
    for email in sorted(a.role_emails & b.role_emails):
        reasons.append(_reason("same_role_email", W_ROLE_EMAIL,
                               f"Same shared mailbox ({email})",
                               f"同じ共有メールアドレス（{email}）"))

    conflicts: list[Reason] = []
    pa, pb = _platform_urls(a), _platform_urls(b)
    for platform in sorted(pa.keys() & pb.keys()):
        if not pa[platform] & pb[platform]:
            conflicts.append(_reason(
                "different_profiles", W_PROFILE_CONFLICT,
                f"Two different {platform} profiles", f"{platform} のプロフィールが別々"))
            break   # one conflict is enough to speak against; more would double-count

    name = name_reason(a.name, b.name, f"{a.side.name.strip()} / {b.side.name.strip()}")
    if name is not None:
        reasons.append(name)
        if name.weight > 0 and a.name.generation != b.name.generation:
            reasons.append(_reason(
                "different_generation", W_GENERATION,
                "One name has a generational suffix (Jr., Sr., III) the other lacks",
                "一方の名前にだけ Jr. / Sr. などが付いている（親子の可能性）"))
    same_org = _same_organisation(a, b)
    if same_org is True:
        reasons.append(_reason("same_organisation", W_SAME_ORGANISATION,
                               f"Same organisation ({a.side.organisation})",
                               f"同じ所属（{a.side.organisation}）"))
    elif same_org is False:
        reasons.append(_reason(
            "different_organisation", W_DIFFERENT_ORGANISATION,
            f"Different organisations ({a.side.organisation} / {b.side.organisation})",
            f"所属が異なる（{a.side.organisation} / {b.side.organisation}）"))
    places = a.location & b.location
    if places:
        reasons.append(_reason("same_location", W_SAME_LOCATION,
                               f"Same place ({', '.join(sorted(places))})",
                               f"同じ地域（{a.side.location} / {b.side.location}）"))
    if a.title and a.title == b.title:
        reasons.append(_reason("same_title", W_SAME_TITLE, f"Same title ({a.side.title})",
                               f"同じ肩書き（{a.side.title}）"))
    if a.photo and a.photo == b.photo:
        reasons.append(_reason("same_photo", W_SAME_PHOTO, "Same photo", "同じ写真"))

    # Certain evidence merges by itself only when the names do not say otherwise: two people
    # can share an address, a site or an account (a couple's mailbox, a company home page, a
    # shop's X account) that no list of shared mailboxes foresees. Then it is a proposal.
    names_disagree = name is not None and name.weight <= 0 and _comparable(a.name, b.name)
    if certain and not conflicts and not names_disagree:
        return Comparison(1.0, "same", tuple(certain + reasons))
    if certain:
        return Comparison(CERTAIN_WITH_CONFLICT, "likely", tuple(certain + conflicts + reasons))
    reasons += conflicts
    score = sum(r.weight for r in reasons)
    score = round(min(max(score, 0.0), MAX_UNCERTAIN), 3)
    name_ok = name is not None and name.weight > 0
    verdict = "likely" if name_ok and score >= LIKELY_THRESHOLD else "different"
    return Comparison(score, verdict, tuple(reasons))
