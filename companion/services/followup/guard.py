"""The template guard (issue 6): is this draft written to this person, or to anyone?

``check_draft(db, contact_id, text)`` flags

* ``generic_phrase``: phrases from the English and Japanese lists (guard_phrases.GENERIC) in a
  draft that is mostly template: after taking out those phrases, greetings, sign-offs,
  placeholders and the person's name, fewer than ``MIN_CONTENT_WORDS`` English content words
  (``MIN_CONTENT_CHARS`` Japanese characters) are left, or template makes up at least
  ``MOSTLY_TEMPLATE`` of the text. A greeting followed by something specific passes.
* ``nothing_specific``: the draft shares no term with what Goen knows about the person: facts,
  bio, headline, title, organisation, location, career, notes and recent messages. Their name
  alone does not count (a mail merge adds the name).
* ``near_duplicate``: shingle Jaccard >= 0.6 with messages the user already sent to other
  people (guard_shingles): "you sent almost this to 7 people".

The engine's own drafts go through the same checks (drafts.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from companion.db import Database
from companion.errors import bad_request, not_found
from companion.services.followup import guard_shingles
from companion.services.followup.drafts_things import norm
from companion.services.followup.guard_phrases import (EMPTY_EN, EMPTY_JA, formula_matches,
                                                       generic_matches)
from companion.services.followup.lang import detect_lang
from companion.services.followup.morph import tokens
from companion.services.followup.suggest_load import (Profile, memory_facts, note_texts,
                                                      profile, recent_texts)

MIN_CONTENT_WORDS = 4
MIN_CONTENT_CHARS = 12
MOSTLY_TEMPLATE = 0.6
MAX_TEXT_CHARS = 5_000
RECENT_MESSAGES = 30
KNOWN_FACTS = 200

_JA_CONTENT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaffA-Za-z0-9\uff10-\uff5a]")
_EN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9'+#.-]*[A-Za-z0-9+#]|[A-Za-z]")


@dataclass
class Flag:
    kind: str                      # generic_phrase | nothing_specific | near_duplicate
    message: dict                  # {"ja", "en"}
    span: dict | None = None       # {"start", "end", "text"} in the checked text
    others: int | None = None      # near_duplicate: how many other people got it


@dataclass
class GuardResult:
    ok: bool
    flags: list[Flag] = field(default_factory=list)


# -- what is known about a person -----------------------------------------------------------------

@dataclass
class Knowledge:
    """Everything the draft may share a term with, normalised, and the names to ignore."""

    text: str                      # one normalised blob, names masked
    names: list[str]
    _words: frozenset[str] | None = None

    def has_word(self, word: str) -> bool:
        """An English word in the blob, as a whole word, singular or plural."""
        if self._words is None:
            self._words = frozenset(re.findall(r"[a-z0-9][a-z0-9'+#.-]*[a-z0-9+#]|[a-z0-9]",
                                               self.text))
        stem = _stem(word)
        forms = {stem, stem + "s", stem + "es", stem + "'s"}
        if stem.endswith("y"):
            forms.add(stem[:-1] + "ies")
        return not forms.isdisjoint(self._words)


def _stem(word: str) -> str:
    word = word.lower().strip("'")
    for suffix in ("'s", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _career_text(career: dict | None) -> list[str]:
    if not career:
        return []
    parts: list[str] = []
    for key in ("positions", "education"):
        for item in career.get(key) or []:
            if isinstance(item, dict):
                parts += [str(v) for v in item.values() if isinstance(v, str)]
    parts += [s for s in career.get("skills") or [] if isinstance(s, str)]
    return parts


def knowledge(db: Database, person: Profile, facts: list | None = None) -> Knowledge:
    """What is known about ``person``; ``facts``: their newest facts, when already read."""
    parts = [person.headline, person.organisation, person.title, person.location, person.bio,
             *_career_text(person.career)]
    for fact in facts if facts is not None else memory_facts(db, person.id, limit=KNOWN_FACTS):
        parts.append(fact.span)
        parts += fact.terms
        for key in ("new", "old"):
            if isinstance(fact.detail.get(key), str):
                parts.append(fact.detail[key])
    parts += note_texts(db, person.id)
    parts += recent_texts(db, person.id, None, RECENT_MESSAGES)
    names = person.names()
    blob = guard_shingles.mask_names(" \n ".join(p for p in parts if p), names)
    return Knowledge(blob, names)


# -- the checks ------------------------------------------------------------------------------------

def _template_share(text: str, names: list[str]) -> tuple[float, int, str]:
    """(share of the content that is template, content units left, language)."""
    lang = detect_lang(text)
    masked = [False] * len(text)
    for m in generic_matches(text) + formula_matches(text):
        for i in range(m.start(), m.end()):
            masked[i] = True
    low = norm(text)
    for name in names:
        key = norm(name)
        start = low.find(key)
        while key and start >= 0:
            for i in range(start, min(len(text), start + len(key))):
                masked[i] = True
            start = low.find(key, start + 1)
    kept = "".join(" " if masked[i] else c for i, c in enumerate(text))
    gone = "".join(c for i, c in enumerate(text) if masked[i])
    if lang == "ja":
        left = len(_JA_CONTENT.findall(kept))
        template = len(_JA_CONTENT.findall(gone))
        share = template / (template + left) if template + left else 1.0
        return share, left, lang
    left_words = [w for w in _EN_WORDS.findall(kept) if w.lower() not in EMPTY_EN]
    all_left = _EN_WORDS.findall(kept)
    template = len(_EN_WORDS.findall(gone))
    share = template / (template + len(all_left)) if template + len(all_left) else 1.0
    return share, len(left_words), lang


def check_generic(text: str, names: list[str]) -> list[Flag]:
    found = generic_matches(text)
    if not found:
        return []
    share, left, lang = _template_share(text, names)
    enough = MIN_CONTENT_CHARS if lang == "ja" else MIN_CONTENT_WORDS
    if left >= enough and share < MOSTLY_TEMPLATE:
        return []
    return [Flag("generic_phrase",
                 {"ja": f"「{m.group(0)}」は誰にでも送れる定型文です。この人との具体的な話題を書き足しましょう。",
                  "en": f"“{m.group(0)}” could be sent to anyone; add something specific to "
                        "this person."},
                 {"start": m.start(), "end": m.end(), "text": m.group(0)}) for m in found]


def draft_terms(text: str, names: list[str]) -> list[str]:
    """The terms of a draft that could be specific: nouns (Japanese) and content words
    (English), without template phrases and the person's names."""
    masked = guard_shingles.mask_names(text, names).replace(guard_shingles.MASK, " ")
    for m in generic_matches(masked) + formula_matches(masked):
        masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
    terms: list[str] = []
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", masked):
        for t in tokens(masked):
            if (t.pos1 == "名詞" and t.pos2 in ("普通名詞", "固有名詞")
                    and t.pos3 not in ("副詞可能", "助数詞可能") and t.surface not in EMPTY_JA
                    and t.base not in EMPTY_JA and len(t.surface) >= 2
                    and not t.surface.isdigit()):
                terms.append(t.surface)
    for word in _EN_WORDS.findall(masked):
        if len(word) >= 3 and word.lower() not in EMPTY_EN:
            terms.append(word)
    return terms


def shared_terms(text: str, known: Knowledge) -> list[str]:
    shared = []
    for term in draft_terms(text, known.names):
        key = norm(term)
        if re.fullmatch(r"[a-z0-9'+#.-]+", key):
            if known.has_word(key):
                shared.append(term)
        elif key in known.text:
            shared.append(term)
    return shared


def check_specific(text: str, known: Knowledge, name: str) -> list[Flag]:
    if shared_terms(text, known):
        return []
    return [Flag("nothing_specific",
                 {"ja": f"{name}さんについて分かっていること（メッセージ、メモ、プロフィール、近況）と共通する"
                        "具体的な言葉がありません。",
                  "en": f"Nothing in this draft is specific to {name}: it shares no term with "
                        "their messages, notes, profile or news."})]


def check_near_duplicate(db: Database, contact_id: int, text: str, names: list[str]
                         ) -> list[Flag]:
    index = guard_shingles.sent_index(db)
    found = index.similar(guard_shingles.shingles(text, names), contact_id)
    people = {contact for _, contact, _ in found}
    if people:   # contacts deleted since the index read their messages do not count
        marks = ",".join("?" * len(people))
        people = {r[0] for r in db.query_all(
            f"SELECT id FROM contacts WHERE id IN ({marks})", tuple(people))}
    if not people:
        return []
    n = len(people)
    return [Flag("near_duplicate",
                 {"ja": f"ほぼ同じ文面をすでに{n}人に送っています。",
                  "en": f"You sent almost this to {n} {'person' if n == 1 else 'people'}."},
                 others=n)]


def check_draft(db: Database, contact_id: int, text: str, *, near_duplicates: bool = True,
                known: Knowledge | None = None, person: Profile | None = None) -> GuardResult:
    person = person or profile(db, contact_id)
    if person is None:
        raise not_found(f"No contact with id {contact_id}.")
    known = known or knowledge(db, person)
    flags = check_generic(text, known.names)
    flags += check_specific(text, known, person.display_name)
    if near_duplicates:
        flags += check_near_duplicate(db, contact_id, text, known.names)
    return GuardResult(not flags, flags)


def parse_check_request(data: object) -> tuple[int, str]:
    """The checked body of ``POST /api/v1/drafts/check``."""
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.")
    contact_id = data.get("contact_id")
    if not isinstance(contact_id, int) or isinstance(contact_id, bool) or contact_id < 1:
        raise bad_request("contact_id must be a contact's id.", "contact_id")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("text must be a non-empty string.", "text")
    if len(text) > MAX_TEXT_CHARS:
        raise bad_request(f"text is too long ({MAX_TEXT_CHARS} characters at most).", "text")
    return contact_id, text
