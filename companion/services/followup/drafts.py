"""Drafts for suggestions: in the language the person writes in, built from the facts the
suggestion rests on, and checked by the same template guard the user's own drafts go through.

* Language: the script of their newest incoming messages; else the language of the facts;
  else the script of their headline and bio (or a name in kana or kanji); else the user's
  language.
* No fact, no draft: when the facts give nothing specific to say, or every wording fails the
  guard, the suggestion gets ``missing`` (what to add) instead of a draft.
* Not a template: no two drafts to different people in one computation share more than
  ``BATCH_MAX_JACCARD`` of their shingles (names masked); a draft that cannot be worded apart
  from the others is not written (``missing`` again). tests/eval/README.md measures it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from companion.db import Database
from companion.services.followup import drafts_en, drafts_ja, guard, guard_shingles, reasons
from companion.services.followup import drafts_things as things
from companion.services.followup.drafts_input import DraftInput, IntroSide, Touch
from companion.services.followup import common, shared
from companion.services.followup.drafts_things import first_topic, norm
from companion.services.followup.lang import detect_lang
from companion.services.followup.suggest_intro import need_of, need_phrase
from companion.services.followup.suggest_load import (Profile, fact_by_id, memory_facts,
                                                      profile, recent_texts)
from companion.services.followup.suggest_model import Draft, FactRef, Suggestion

WORDINGS_TRIED = 20       # per memory, while another memory may still be reached for
WORDINGS_TRIED_LAST = 80  # for a draft with no other way out
MEMORIES_TRIED = 5        # memories a reconnecting draft may reach for before settling
MEMORY_FOR_CONTEXT = 30   # the newest facts searched for a matter to mention in passing
# Two drafts to different people in one list may share at most this much (shingle Jaccard,
# names masked): the measure of drafts written to a person rather than to anyone.
BATCH_MAX_JACCARD = 0.3
_CJK = ("\u3040", "\u9fff")


def _has_cjk(text: str | None) -> bool:
    return bool(text) and any(_CJK[0] <= c <= _CJK[1] for c in text)


@dataclass
class Person:
    """One person, read once per computation however many suggestions they have."""

    profile: Profile
    lang: str
    memory: list[FactRef] = field(default_factory=list)
    shared: frozenset[str] = frozenset()    # interest terms the user shares (shared.py)
    _known: guard.Knowledge | None = None

    def known(self, db: Database) -> guard.Knowledge:
        if self._known is None:
            self._known = guard.knowledge(db, self.profile, self.memory)
        return self._known


def contact_lang(db: Database, person: Profile, memory: list[FactRef], user_lang: str) -> str:
    texts = recent_texts(db, person.id, "in", 3)
    if texts:
        return detect_lang(" ".join(texts))
    for fact in memory:
        if fact.lang in ("ja", "en"):
            return fact.lang
    about = " ".join(t for t in (person.headline, person.bio) if t)
    if _has_cjk(about + person.display_name) or len(about.strip()) >= 20:
        return detect_lang(about + " " + person.display_name)
    return user_lang   # a name in Latin letters says nothing: 佐藤さん may sign as Sato


def address(person: Profile, lang: str) -> str:
    """How a draft addresses them: family name (Japanese names) or given name."""
    first = (person.display_name or "").split()[0] if person.display_name.split() else \
        person.display_name
    if lang == "ja":
        if person.family_name and _has_cjk(person.family_name):
            return person.family_name
        if _has_cjk(person.display_name):
            return first
        return person.given_name or first
    if person.given_name and not _has_cjk(person.given_name):
        return person.given_name
    return first if not _has_cjk(first) else person.display_name


class People:
    """A per-computation cache of Person, and the drafts written so far in this computation
    (so that no two people on one list get almost the same text: see ``_guarded``)."""

    def __init__(self, db: Database, user_lang: str, my_profiles=()):
        self.db, self.user_lang, self._cache = db, user_lang, {}
        self.stock = common.stock_spans(db)
        self.my_profiles = my_profiles
        self._mine: dict[str, str] | None = None   # the user's interests, read once
        # drafts written so far, by language (two languages share no shingles; the touches
        # and closing lines are shared by every reason, so reasons are not kept apart)
        self.written: dict[tuple[str, ...], list[tuple[int, frozenset[int]]]] = {}

    def remember(self, group: tuple[str, ...], contact_id: int, hashes: frozenset[int]
                 ) -> None:
        self.written.setdefault(group, []).append((contact_id, hashes))

    def likeness(self, group: tuple[str, ...], contact_id: int, hashes: frozenset[int]
                 ) -> float:
        """The highest Jaccard with a draft to someone else in the group, stopping at the
        first above the limit (one is enough to try another wording)."""
        worst = 0.0
        size = len(hashes)
        for other, theirs in self.written.get(group, ()):
            if other == contact_id:
                continue
            inter = len(hashes & theirs)
            if inter:
                score = inter / (size + len(theirs) - inter)
                if score > worst:
                    worst = score
                    if worst > BATCH_MAX_JACCARD:
                        break
        return worst

    def get(self, contact_id: int) -> Person | None:
        if contact_id not in self._cache:
            found = profile(self.db, contact_id)
            if found is None:
                self._cache[contact_id] = None
            else:
                memory = memory_facts(self.db, contact_id)
                if self._mine is None:
                    self._mine = shared.my_interests(self.db, self.my_profiles)
                both = frozenset(norm(t) for f in memory if f.kind == "interest"
                                 and f.whose == "them" for t in f.terms) & self._mine.keys()
                self._cache[contact_id] = Person(
                    found, contact_lang(self.db, found, memory, self.user_lang), memory, both)
        return self._cache[contact_id]


# -- choosing what to recall -----------------------------------------------------------------

def _thing_of(fact: FactRef) -> str | None:
    """The matter a fact is about, when it names one: the deck, the summit, the project."""
    if fact.kind in ("promise", "question"):
        return things.ja_object(fact.span) if fact.lang == "ja" else (
            things.en_object(fact.span) if fact.kind == "promise"
            else things.en_asked_object(fact.span))
    if fact.kind == "event":
        return (things.ja_quoted_title(fact.span) or things.ja_place_before_de(fact.span)
                or things.ja_joined(fact.span)) if fact.lang == "ja" else \
            things.en_named_thing(fact.span)
    return None


def _touches(person: Person, used: set[int], main: FactRef | None, org: bool = True,
             most: int = 2, stock: frozenset[str] = frozenset()) -> list[Touch]:
    """Further specific things to mention, each from a fact not used yet: an interest of
    theirs, and the matter of another recent exchange; else their organisation."""
    span = (main.span if main else "") or ""
    found: list[Touch] = []
    interest = next((Touch("interest", term, f) for f in person.memory
                     if f.kind == "interest" and f.whose == "them" and f.id not in used
                     and (term := first_topic(f)) and term not in span), None)
    if interest:
        found.append(interest)
    taken = {t.value for t in found}
    for fact in person.memory[:MEMORY_FOR_CONTEXT]:
        if len(found) >= most or fact.id in used or fact.kind not in ("promise", "question",
                                                                        "event"):
            continue
        if need_of(fact) or fact.span in stock:   # a need; a sentence said to many people
            continue
        thing = _thing_of(fact)
        # a matter with a name of its own ("the pricing sheet for the Osaka rollout",
        # 「高松の自治体新サービスの議事録」), not just "the deck"
        if thing and not _overlaps(thing, span, fact.lang) and thing not in taken and \
                len(thing) >= 3 and \
                (len(thing) >= 6 if fact.lang == "ja" else len(thing.split()) >= 3):
            found.append(Touch("thing", thing, fact))
            break
    if org and len(found) < most and person.profile.organisation and \
            person.profile.organisation not in span:
        found.append(Touch("org", person.profile.organisation))
    return found[:most]


def _shares(person: Person, fact: FactRef) -> bool:
    return fact.kind == "interest" and bool(person.shared) and \
        any(norm(t) in person.shared for t in fact.terms)


def _overlaps(thing: str, span: str, lang: str | None) -> bool:
    """Does the main fact already name this matter, or the project it belongs to? ("the
    proposal for the Osaka rollout" after "the pricing sheet for the Osaka rollout"): the draft
    would say the same name twice."""
    if not span:
        return False
    if lang == "ja":
        return any(thing[k:k + 5] in span for k in range(max(1, len(thing) - 4)))
    words, low = thing.lower().split(), span.lower()
    return any(" ".join(words[k:k + 3]) in low for k in range(max(1, len(words) - 2)))


_MEMORY_ORDER = {"interest": 0, "event": 1, "change": 2, "promise": 3, "question": 4}


def pick_memory(person: Person, since: str | None = None, exclude: set[int] = frozenset(),
                stock: frozenset[str] = frozenset()) -> FactRef | None:
    """The fact a reconnecting draft recalls: theirs before mine, an interest the user
    shares before any other, an interest before news before a promise or question, the
    newest first. ``since``: only facts said from then on
    (what came up at a recent meeting)."""
    found = [f for f in person.memory if f.id not in exclude and f.status != "dismissed"
             and (since is None or f.stated_at >= since)
             and (f.kind != "interest" or first_topic(f) is not None)
             and (f.span or f.kind == "change")]
    if not found:
        return None
    found.sort(key=lambda f: f.stated_at, reverse=True)
    found.sort(key=lambda f: (f.whose != "them", not _shares(person, f), f.span in stock,
                              _MEMORY_ORDER.get(f.kind, 9)))
    return found[0]


# -- writing --------------------------------------------------------------------------------------

def _compose(inp: DraftInput) -> str | None:
    return (drafts_ja if inp.lang == "ja" else drafts_en).compose(inp)


QUOTE_CHARS = 12   # a quoted span at least this long may carry a sent message's words


def _near_sent(db: Database, person: Person, inp: DraftInput, text: str) -> bool:
    """Is the draft almost a message the user already sent to someone else? The engine's own
    wording never is (it is checked against the generic list and varied per person); a draft
    can only come near a sent message through the words it quotes, so only a draft quoting a
    fact's sentence is looked up (the lookup is the dearest check: a few ms)."""
    quoted = any(f is not None and len(f.span) >= QUOTE_CHARS and f.span[:QUOTE_CHARS] in text
                 for f in (inp.fact, inp.memory))
    return quoted and bool(guard.check_near_duplicate(db, person.profile.id, text,
                                                      person.known(db).names))


def _guarded(db: Database, people: People, person: Person, inp: DraftInput,
             names: list[str], tries: int = WORDINGS_TRIED_LAST) -> str | None:
    """The first of ``tries`` wordings that passes the guard's generic and specific checks and
    is not almost the text already written for someone else in this computation (shingle
    Jaccard above ``BATCH_MAX_JACCARD``, names masked), nor almost a message the user sent to
    others. None when no wording is: a draft nearly the same as someone else's is the
    template Goen must not write, so the suggestion then says what to add instead (or the
    caller reaches for another memory)."""
    for variant in range(tries):
        inp.variant = variant
        text = _compose(inp)
        if not text:
            return None
        result = guard.check_draft(db, person.profile.id, text, near_duplicates=False,
                                   known=person.known(db), person=person.profile)
        if not result.ok:
            continue
        hashes = guard_shingles.shingles(text, names, inp.lang)
        group = (inp.lang,)   # touches are shared across reasons: compare with every draft
        if people.likeness(group, person.profile.id, hashes) <= BATCH_MAX_JACCARD and \
                not _near_sent(db, person, inp, text):
            people.remember(group, person.profile.id, hashes)
            return text
    return None


def write(db: Database, people: People, s: Suggestion, today: date,
          context: dict) -> None:
    """Fill ``s.drafts`` (and ``s.facts`` / ``s.action`` for recalled facts) or
    ``s.missing``. ``context``: the reason's own data (met, last, intro sides)."""
    person = people.get(s.contact.id)
    if person is None:
        return
    name = address(person.profile, person.lang)
    main = s.facts[0] if s.facts and s.reason not in ("met_recently", "overdue_by_cadence") \
        else None
    inp = DraftInput(s.key, s.reason, s.action, person.lang, today, name, fact=main,
                     last=context.get("last"), met=context.get("met"))
    if s.reason == "introduction":
        _write_intro(db, people, s, today, context)
        return
    inp.stock = people.stock
    if s.reason in ("met_recently", "overdue_by_cadence", "dormant_with_news"):
        text = _write_reconnect(db, people, person, s, inp, main, context)
    else:
        _set_touches(person, s, inp, people.stock)
        text = _guarded(db, people, person, inp, person.profile.names())
    if text:
        s.drafts = [Draft(s.contact.id, person.lang, text, _cite(s, inp))]
        s.missing = None
    else:
        s.drafts = []
        s.missing = _missing(s, today, context, person)


def _set_touches(person: Person, s: Suggestion, inp: DraftInput, stock: frozenset[str]
                 ) -> None:
    used = {f.id for f in s.facts} | ({inp.memory.id} if inp.memory else set())
    # a stock sentence says nothing of this person: say more of what is theirs instead
    most = 3 if inp.is_stock(inp.fact) else 2
    inp.touches = _touches(person, used, inp.fact or inp.memory, most=most, stock=stock)


def _write_reconnect(db: Database, people: People, person: Person, s: Suggestion,
                     inp: DraftInput, main: FactRef | None, context: dict) -> str | None:
    """Reconnect through one specific memory: the first one (pick_memory's order, up to
    ``MEMORIES_TRIED``) whose draft is not almost another's on the list; the last one tried
    gets the most wordings. The memory chosen joins the suggestion's facts."""
    since = None
    if s.reason == "met_recently" and context.get("met"):
        met_day = reasons.as_date(context["met"][0])
        since = (met_day - timedelta(days=2)).isoformat()
    exclude = {main.id} if main else set()
    memories: list[FactRef] = []
    for _ in range(MEMORIES_TRIED):
        memory = pick_memory(person, since, exclude=exclude, stock=people.stock)
        if memory is None:
            break
        memories.append(memory)
        exclude = exclude | {memory.id}
    text, chosen = None, None
    for k, memory in enumerate(memories or [None]):
        inp.memory = memory
        _set_touches(person, s, inp, people.stock)
        last = k == max(len(memories), 1) - 1
        text = _guarded(db, people, person, inp, person.profile.names(),
                        tries=WORDINGS_TRIED_LAST if last else WORDINGS_TRIED)
        if text:
            chosen = memory
            break
    if chosen is None:
        inp.memory = memories[0] if memories else None   # what "missing" speaks of
        chosen = inp.memory
    if chosen is not None and chosen.id not in {f.id for f in s.facts}:
        s.facts.append(chosen)
    if chosen is not None and chosen.kind == "interest" and s.reason != "dormant_with_news":
        s.action = "share_interest"
    return text


def _cite(s: Suggestion, inp: DraftInput) -> list[int]:
    """The facts a draft is built from; an interest it mentions in passing joins the
    suggestion's facts, so its source is shown too."""
    for touch in inp.touches:
        if touch.fact is not None and touch.fact.id not in {f.id for f in s.facts}:
            s.facts.append(touch.fact)
    return [f.id for f in s.facts]


def _missing(s: Suggestion, today: date, context: dict, person: Person) -> dict:
    if s.reason == "met_recently" and context.get("met"):
        return reasons.missing_for_meeting(*context["met"], today)
    if s.reason in ("overdue_by_cadence", "met_recently") or not s.facts:
        return reasons.missing_memory(person.profile.display_name, context.get("last"), today)
    return reasons.missing_for_fact(s.facts[0], today)


def _write_intro(db: Database, people: People, s: Suggestion, today: date,
                 context: dict) -> None:
    need_person = people.get(s.contact.id)
    offer_person = people.get(s.other.id) if s.other else None
    if need_person is None or offer_person is None:
        s.missing = reasons.missing_for_fact(s.facts[0], today)
        return
    drafts = []
    need_fact = s.facts[0]
    sides = ((need_person, offer_person, "need"), (offer_person, need_person, "offer"))
    for to, other, role in sides:
        side = IntroSide(role, need_phrase(context["need"], to.lang), context["offer"],
                         context["offer_source"], other.profile.display_name,
                         other.profile.title, other.profile.organisation, need_fact.stated_at)
        inp = DraftInput(f"{s.key}:{role}", s.reason, s.action, to.lang, today,
                         address(to.profile, to.lang), fact=need_fact, intro=side)
        # the one asked to help hears what Goen knows of them: the interest that makes them
        # the one to ask, or another interest of theirs
        if role == "offer" and context.get("offer_fact") is not None:
            offer_fact = next((f for f in to.memory if f.id == context["offer_fact"]),
                              None) or fact_by_id(db, context["offer_fact"])
            if offer_fact is not None and offer_fact.id not in {f.id for f in s.facts}:
                s.facts.append(offer_fact)
        elif role == "offer":
            inp.touches = _touches(to, {need_fact.id}, None, org=False, most=1,
                                   stock=people.stock)
        text = _guarded(db, people, to, inp, to.profile.names() + other.profile.names())
        if text:
            cited = [need_fact.id] if role == "need" else []
            for touch in inp.touches:
                if touch.fact is not None:
                    cited.append(touch.fact.id)
                    if touch.fact.id not in {f.id for f in s.facts}:
                        s.facts.append(touch.fact)
            if context.get("offer_fact") is not None and role == "offer":
                cited.append(context["offer_fact"])
            if cited:   # each side's draft rests on at least one fact about that side
                drafts.append(Draft(to.profile.id, to.lang, text, cited))
    if len(drafts) == 2:
        s.drafts, s.missing = drafts, None
    else:
        s.drafts, s.missing = [], reasons.missing_for_fact(s.facts[0], today)
