"""Comparison keys of a person's name, across kanji, kana, romaji and either order.

``name_key(name, reading=None)`` turns ``山田 太郎``, ``山田太郎さん``, ``やまだ たろう``, ``ﾔﾏﾀﾞ ﾀﾛｳ``,
``Taro Yamada``, ``YAMADA Taro``, ``Ｙａｍａｄａ　Ｔａｒｏｕ`` and ``Mr. Taro Yamada`` into keys
that meet:

* ``compact``   — the name as written, NFKC (half-width kana and full-width Latin become the
                  ordinary forms), case-folded, honorifics and titles dropped, variant kanji
                  folded (髙 → 高, 﨑 → 崎, 邊 → 辺…), spaces removed;
* ``tokens``    — the words as written (folded romaji for Latin words), order-free;
* ``readings``  — hiragana readings: the one the record states, kana written as the name, and
                  for kanji the shared MeCab tagger's best reading (``readings``) plus its
                  next-best ones (``alt_readings``: 中島 is ナカジマ or ナカシマ, 陽菜 ハルナ or ヒナ);
* ``romaji``    — folded romaji of the whole name, family-first and given-first: every reading
                  and every Latin spelling gives one or two of them.

Folded romaji (``fold_romaji``) lets the spellings of one kana name meet: macrons dropped
(Ōno → ono), long vowels collapsed (ou, oo, oh, uu, ー → one vowel: Satou, Satoh, Satō → sato),
Kunrei and word-processor spellings turned into Hepburn (si → shi, tu → tsu, ti → chi, hu → fu,
zi → ji, sya → sha), m before b/m/p written n (Homma = Honma, Namba = Nanba), apostrophes and
hyphens dropped (Ken'ichi = Kenichi). The fold is applied to both sides alike, so it may merge
spellings a Japanese reader would keep apart (おの / おおの); a key only proposes, it never
merges by itself.

Why readings from MeCab and not a name dictionary: the companion already maps UniDic for facts
(services/followup/morph.py); a second tagger would map the dictionary again. This module uses
that module's one tagger under its lock.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from companion.services.followup import morph

# -- normalising ------------------------------------------------------------------------------

# Honorifics after a Japanese name, longest first (さま before ま-ending names is not an issue:
# they are only stripped as a whole suffix).
HONORIFICS_JA = ("先生", "さま", "さん", "くん", "ちゃん", "様", "氏", "殿", "君")
# Titles and suffixes around a Latin name (compared after case-folding and without dots).
TITLES_EN = frozenset("mr mrs ms miss mx dr prof professor sir dame rev".split())
SUFFIXES_EN = frozenset("phd md mba esq cpa pe".split())
# Generational suffixes are kept apart from the name: John Hartley Jr. and John Hartley are
# often father and son.
GENERATIONS = frozenset("jr sr ii iii iv".split())

# Variant kanji written in names for the common form (itaiji). NFKC keeps them apart, and MeCab
# often has no reading for the variant (髙橋 has none), so they are folded before both.
KANJI_VARIANTS = str.maketrans({
    "髙": "高", "﨑": "崎", "嵜": "崎", "邊": "辺", "邉": "辺", "澤": "沢", "濱": "浜", "齋": "斎",
    "齊": "斉", "廣": "広", "德": "徳", "眞": "真", "國": "国", "櫻": "桜", "嶋": "島", "嶌": "島",
    "冨": "富", "槇": "槙", "桒": "桑", "瀨": "瀬", "惠": "恵", "藏": "蔵", "實": "実", "榮": "栄",
    "來": "来", "壽": "寿", "髮": "髪", "龍": "竜", "峯": "峰", "曻": "昇", "淺": "浅", "檜": "桧",
    "關": "関", "黑": "黒", "增": "増", "晉": "晋",
})

_BRACKETED = re.compile(r"[(\[【「『〈《{]([^()\[\]【】「」『』〈〉《》{}]*)[)\]】」』〉》}]")
_SEGMENT_CUT = re.compile(r"\s*[/|@¦／]\s*")
_NON_NAME = re.compile(r"[^\w\s'’ʼ・=\-]+")


def _is_han(c: str) -> bool:
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F or c in "々〆")


def _is_kana(c: str) -> bool:
    o = ord(c)
    return 0x3041 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF


def _is_latin(c: str) -> bool:
    return c.isascii() and c.isalpha()


def script_of(text: str) -> str:
    """``kanji`` (kanji, maybe with kana), ``kana``, ``latin``, ``mixed`` or ``other``."""
    han = any(_is_han(c) for c in text)
    kana = any(_is_kana(c) for c in text)
    latin = any(_is_latin(c) for c in text)
    if latin and (han or kana):
        return "mixed"
    if han:
        return "kanji"
    if kana:
        return "kana"
    if latin:
        return "latin"
    return "other"


def strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """NFKC, case-folded, variant kanji folded, one space between words."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(KANJI_VARIANTS)
    text = text.replace("\u3000", " ")
    return re.sub(r"\s+", " ", text).strip()


def _strip_honorifics(segment: str) -> str:
    """``山田太郎さん`` → ``山田太郎``; ``Dr. Jane Doe, PhD`` → ``jane doe``."""
    segment = segment.strip()
    for suffix in HONORIFICS_JA:
        if segment.endswith(suffix) and len(segment) > len(suffix) + 1:
            segment = segment[: -len(suffix)].rstrip()
            break
    words = [w for w in re.split(r"[\s,]+", segment) if w]
    while words and words[0].rstrip(".") in TITLES_EN and len(words) > 1:
        words.pop(0)
    while words and words[-1].rstrip(".") in SUFFIXES_EN and len(words) > 1:
        words.pop()
    return " ".join(words)


def _segments(text: str) -> list[str]:
    """A display name cut into the names it may hold: ``山田太郎 (Taro Yamada)``,
    ``山田太郎 / やまだたろう``; the text outside brackets first."""
    inside = [m.group(1) for m in _BRACKETED.finditer(text)]
    outside = _BRACKETED.sub(" ", text)
    out = []
    for piece in [outside, *inside]:
        for part in _SEGMENT_CUT.split(piece):
            part = _strip_honorifics(_NON_NAME.sub(" ", part))
            part = re.sub(r"\s+", " ", part.replace("・", " ").replace("=", " ")).strip(" -'’")
            if part:
                out.append(part)
    return out


# -- kana → romaji ------------------------------------------------------------------------------

_KANA = dict(zip(
    "あいうえおかきくけこがぎぐげごさしすせそざじずぜぞたちつてとだぢづでどなにぬねの"
    "はひふへほばびぶべぼぱぴぷぺぽまみむめもやゆよらりるれろわゐゑをんゔ",
    "a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo ta chi tsu te to "
    "da ji zu de do na ni nu ne no ha hi fu he ho ba bi bu be bo pa pi pu pe po ma mi mu me mo "
    "ya yu yo ra ri ru re ro wa i e o n vu".split()))
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWEL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o", "ゎ": "a"}


def to_hiragana(text: str) -> str:
    """Katakana (after NFKC, so half-width too) as hiragana; everything else as it is."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def kana_to_romaji(kana: str) -> str:
    """Hepburn romaji of kana (katakana or hiragana); other characters become spaces.
    ``ー`` repeats the vowel before it, ``っ`` doubles the next consonant (っち → tchi)."""
    text = to_hiragana(kana)
    out: list[str] = []
    double_next = False
    for c in text:
        if c in _KANA:
            syllable = _KANA[c]
            if double_next:
                syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
                double_next = False
            out.append(syllable)
        elif c in _SMALL_Y and out and out[-1].endswith("i") and len(out[-1]) > 1:
            prev = out.pop()
            stem = prev[:-1]
            out.append(stem + _SMALL_Y[c] if stem.endswith(("sh", "ch", "j"))
                       else stem + "y" + _SMALL_Y[c])
        elif c in _SMALL_Y:
            out.append("y" + _SMALL_Y[c])
        elif c in _SMALL_VOWEL and out:
            prev = out.pop()
            stem = prev.rstrip("aiueo") or "w"
            out.append(stem + _SMALL_VOWEL[c])
        elif c in _SMALL_VOWEL:
            out.append(_SMALL_VOWEL[c])
        elif c == "っ":
            double_next = True
        elif c == "ー":
            if out and out[-1] and out[-1][-1] in "aiueo":
                out.append(out[-1][-1])
        else:
            out.append(" ")
    return re.sub(r" +", " ", "".join(out)).strip()


# Kunrei-shiki and word-processor spellings → Hepburn, applied in order.
_FOLDS = (
    (re.compile(r"[’'`\-.]"), ""),
    (re.compile(r"sy([auo])"), r"sh\1"),
    (re.compile(r"si"), "shi"),
    (re.compile(r"(?:ty|cy)([auo])"), r"ch\1"),
    (re.compile(r"ti"), "chi"),
    (re.compile(r"(?:zy|jy)([auo])"), r"j\1"),
    (re.compile(r"(?:zi|di)"), "ji"),
    (re.compile(r"du"), "zu"),
    (re.compile(r"tu"), "tsu"),
    (re.compile(r"hu"), "fu"),
    (re.compile(r"cch"), "tch"),
    (re.compile(r"m(?=[bmp])"), "n"),
    (re.compile(r"nn(?![aiueoy])"), "n"),
    (re.compile(r"oh(?![aiueoy])"), "o"),
    (re.compile(r"ou"), "o"),
    (re.compile(r"([aiueo])\1+"), r"\1"),
)


@functools.lru_cache(maxsize=1 << 16)
def fold_romaji(word: str) -> str:
    """One spelling for the romaji of one kana name: ``Satō``, ``Satou``, ``SATOH`` → ``sato``;
    ``Shinbashi``/``Simbasi`` → ``shinbashi``; ``Ken'ichi`` → ``kenichi``."""
    word = strip_diacritics(word.casefold())
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


# -- kanji readings (the shared tagger) ---------------------------------------------------------

NBEST = 3   # readings kept for one kanji word: the best and up to two alternatives
MAX_ALTERNATIVES = 8    # combinations of the words' readings kept as possible readings


def _path_reading(path) -> tuple[tuple[str, str], ...] | None:
    """(surface, hiragana reading) of each word on one MeCab path; None when a word has none."""
    words = []
    for node in path:
        if not node.surface:
            continue
        kana = getattr(node.feature, "kana", None)
        if (not kana or kana == "*") and all(_is_kana(c) for c in node.surface):
            kana = node.surface
        if not kana or kana == "*":
            return None
        words.append((node.surface, to_hiragana(kana)))
    return tuple(words)


def kanji_readings(text: str) -> tuple[tuple[str, ...], ...]:
    """The readings of ``kanji_words`` without the words."""
    return tuple(options for _, options in kanji_words(text))


@functools.lru_cache(maxsize=1 << 15)
def kanji_words(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The words of ``text`` on MeCab's best path with their hiragana readings, each word's best
    reading first, then up to ``NBEST - 1`` others MeCab finds for that word alone: ``中島裕子`` →
    ((中島, (なかじま, なかしま)), (裕子, (ゆうこ, ひろこ))). Empty when the best path has a word
    the dictionary cannot read."""
    with morph._LOCK:   # the process's one tagger (morph.py says why one)
        tagger = morph._tagger()
        best = _path_reading(tagger.parseToNodeList(text))
        if not best:
            return ()
        out = []
        for surface, reading in best:
            options = [reading]
            if any(_is_han(c) for c in surface):
                for path in tagger.nbestToNodeList(surface, NBEST + 1):
                    words = _path_reading(path)
                    if words:
                        option = "".join(r for _, r in words)
                        if option not in options:
                            options.append(option)
                    if len(options) >= NBEST:
                        break
            out.append((surface, tuple(options)))
    return tuple(out)


def release_tagger_pages() -> None:
    """After a batch of names (propose over a whole network), give the dictionary's pages back
    as other batches do (morph.release_pages)."""
    morph.release_pages()


# -- the key ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NameKey:
    text: str                          # normalised, honorifics dropped (for reasons)
    script: str                        # of the main segment: kanji, kana, latin, mixed, other
    compact: frozenset[str]            # each segment without spaces
    tokens: frozenset[str]             # words: kanji/kana as written, Latin folded
    latin: tuple[tuple[str, ...], ...]  # Latin segments as plain lower-case words, in order
    readings: frozenset[str]           # stated, written or best-guess hiragana, no spaces
    alt_readings: frozenset[str]       # MeCab's next-best readings of kanji
    romaji: frozenset[str]             # folded romaji of the whole name, both orders
    alt_romaji: frozenset[str]         # the same from alt_readings
    romaji_tokens: frozenset[str]      # folded romaji words (for blocking and partial matches)
    # the name as words in Latin letters, one tuple per spelling: Latin segments as written
    # (lower case), and the romaji of the best reading; True where the words were Latin
    word_lists: tuple[tuple[tuple[str, ...], bool], ...]
    generation: str | None             # jr, sr, ii, iii, iv when the name carries one
    # a kanji name without a stated reading: (family romaji, what the given name's romaji
    # may start with, or be when ``whole``), for 山田 悠人 / Yuto Yamada across scripts
    family_given: tuple[str, frozenset[str], bool] | None
    stated_reading: bool               # a reading was given or written, not guessed

    @property
    def empty(self) -> bool:
        return not (self.compact or self.romaji)


def _orders(words: tuple[str, ...]) -> set[str]:
    """Folded compact romaji of ``words`` in every rotation: family/given either way, and
    ``Brown Mary Ann`` beside ``Mary Ann Brown`` (a rotation, never a shuffle)."""
    words = tuple(w for w in words if w)
    return {fold_romaji("".join(words[k:] + words[:k])) for k in range(len(words))}


def _kana_words(text: str) -> tuple[str, ...]:
    return tuple(kana_to_romaji(w).replace(" ", "") for w in text.split())


@functools.lru_cache(maxsize=1 << 15)
def name_key(name: str, reading: str | None = None) -> NameKey:
    """The comparison keys of a name and its optional reading (see the module's doc)."""
    text = normalise(name or "")
    segments = _segments(text)
    compact: set[str] = set()
    tokens: set[str] = set()
    latin: list[tuple[str, ...]] = []
    readings: set[str] = set()
    alt_readings: set[str] = set()
    romaji: set[str] = set()
    alt_romaji: set[str] = set()
    romaji_tokens: set[str] = set()
    word_lists: list[tuple[tuple[str, ...], bool]] = []
    stated = False
    generation: str | None = None
    family_given: tuple[str, frozenset[str], bool] | None = None

    def add_kana(kana_text: str, alt: bool = False) -> None:
        hira = to_hiragana(kana_text)
        words = _kana_words(hira)
        (alt_readings if alt else readings).add(hira.replace(" ", ""))
        (alt_romaji if alt else romaji).update(_orders(words))
        if not alt:
            romaji_tokens.update(fold_romaji(w) for w in words if w)
            if words and (words, False) not in word_lists:
                word_lists.append((words, False))

    # A reading the record states (the reading field, or kana written beside kanji) is the
    # reading; MeCab's guesses for the kanji then only count as possible readings.
    rtext = re.sub(r"[・=]", " ", normalise(reading)) if reading else ""
    kana_beside = any(script_of(s) == "kana" for s in segments) and any(
        script_of(s) in ("kanji", "mixed") for s in segments)
    has_stated = (bool(rtext) and script_of(rtext) == "kana") or kana_beside

    for segment in segments:
        seg_script = script_of(segment)
        compact.add(segment.replace(" ", ""))
        if seg_script == "latin":
            words = tuple(strip_diacritics(w) for w in re.findall(r"[a-z\u00c0-\u024f'’ʼ]+",
                                                                  segment))
            words = tuple(re.sub("['’ʼ]", "", w) for w in words if w)
            generation = next((w for w in words if w in GENERATIONS), generation)
            words = tuple(w for w in words if w not in GENERATIONS) or words
            if words:
                latin.append(words)
                word_lists.append((words, True))
                romaji.update(_orders(words))
                folded = [fold_romaji(w) for w in words]
                romaji_tokens.update(folded)
                tokens.update(folded)
        elif seg_script == "kana":
            stated = True
            add_kana(segment)
            tokens.update(to_hiragana(segment).split())
        elif seg_script in ("kanji", "mixed"):
            tokens.update(segment.split())
            han = "".join(c for c in segment if _is_han(c) or _is_kana(c) or c == " ")
            found = [w for part in han.split() for w in (kanji_words(part) or [None])]
            if found and all(found):
                words = [options for _, options in found]
                # the best reading of each word, then the combinations of the others
                best = [options[0] for options in words]
                add_kana(" ".join(best), alt=has_stated)
                combos = itertools.islice(itertools.product(*words), 1, MAX_ALTERNATIVES + 1)
                for combo in combos:
                    add_kana(" ".join(combo), alt=True)
                if len(found) >= 2 and not has_stated and family_given is None:
                    # 山田 悠人: family ``yamada``; the given name's reading is often a guess
                    # (MeCab reads 悠人 ゆうにん), so keep what its first kanji may start with
                    # one-kanji given names (健, 翔, 誠) read reliably: the whole reading must
                    # match; longer ones by the first kanji's reading as a prefix
                    given = "".join(surface for surface, _ in found[1:])
                    whole = len(given) == 1
                    starts = {fold_romaji(kana_to_romaji(o))
                              for options in kanji_readings(given[0])[:1] for o in options}
                    if not whole:
                        starts |= {fold_romaji(kana_to_romaji(o))[:2] for o in found[1][1]}
                    family_given = (fold_romaji(kana_to_romaji(best[0])),
                                    frozenset(x for x in starts if len(x) >= 2), whole)
            if seg_script == "mixed":
                words = tuple(re.findall(r"[a-z]+", segment))
                if words:
                    latin.append(words)
                    romaji.update(_orders(words))
    if rtext and script_of(rtext) == "kana":
        stated = True
        add_kana(rtext)
    elif rtext and script_of(rtext) == "latin":
        words = tuple(re.findall(r"[a-z]+", strip_diacritics(rtext)))
        romaji.update(_orders(words))
        romaji_tokens.update(fold_romaji(w) for w in words)
    alt_readings -= readings
    alt_romaji -= romaji
    script = script_of(segments[0]) if segments else "other"
    return NameKey(text=" ".join(segments[:1]), script=script, compact=frozenset(compact),
                   tokens=frozenset(tokens), latin=tuple(latin), readings=frozenset(readings),
                   alt_readings=frozenset(alt_readings), romaji=frozenset(romaji),
                   alt_romaji=frozenset(alt_romaji), romaji_tokens=frozenset(romaji_tokens),
                   word_lists=tuple(word_lists), stated_reading=stated,
                   generation=generation, family_given=family_given)


# -- English given-name variants ------------------------------------------------------------------

# Short forms of English given names, written for Goen from general knowledge. Each line: the
# formal name, then its common short forms.
_NICKNAMES_TEXT = """
robert rob bob bobby robbie
william will bill billy liam
richard rick rich dick
james jim jimmy jamie
john jon johnny jack
jonathan jon jonny
michael mike mick mikey
thomas tom tommy
christopher chris kit
christine chris chrissy
christina chris tina
katherine kate katie kathy cathy kat
catherine kate katie cathy cat
elizabeth liz lizzie beth betty eliza
margaret maggie meg peggy
jennifer jen jenny
rebecca becky becca
alexander alex al sandy
alexandra alex sandra
samuel sam sammy
samantha sam sammy
benjamin ben benny
nicholas nick nicky
matthew matt
anthony tony
steven steve
stephen steve
andrew andy drew
daniel dan danny
david dave davey
joseph joe joey
edward ed eddie ted
patricia pat patty trish
susan sue susie
deborah deb debbie
jessica jess jessie
victoria vicky tori
gregory greg
timothy tim timmy
kenneth ken kenny
charles charlie chuck
olivia liv
emily em emmy
abigail abby
""".strip()


def _nicknames() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for line in _NICKNAMES_TEXT.splitlines():
        names = line.split()
        for name in names:
            groups.setdefault(name, set()).update(names)
    return {k: frozenset(v) for k, v in groups.items()}


NICKNAMES = _nicknames()


def same_given_name(a: str, b: str) -> bool:
    """``bob`` and ``robert``, ``jon`` and ``john``: a formal name and a short form of it."""
    return a == b or b in NICKNAMES.get(a, ())
