"""English drafts: one or two sentences about the specific thing, never a greeting alone.

Each function returns None when the facts do not give it anything specific to say; the
suggestion then says what is missing instead.
"""

from __future__ import annotations

from companion.services.followup import drafts_things as things
from companion.services.followup.drafts_input import DraftInput, capitalise, join_en
from companion.services.followup.suggest_intro import need_of, need_phrase
from companion.services.followup.reasons import EVENT_NAMES, as_date, fmt_date, offer_clause
from companion.services.followup.reasons import quote as _quote


def quote(text: str, limit: int = 120) -> str:
    """Drafts quote longer than the why-now sentences: a cut quote reads oddly in a message."""
    return _quote(text, limit)


_DELIVER = {"send", "share", "forward", "email", "e-mail", "mail", "bring", "lend", "pass along",
            "pass on", "get", "put together", "pull together", "write up", "draft", "prepare",
            "dig up", "dig out", "find"}
_DONE_VERBS = {"check": "I've checked", "review": "I've reviewed", "look into": "I looked into",
               "look over": "I looked over", "finish": "I've finished",
               "follow up on": "Following up on", "update you on": "An update on",
               "circle back on": "Coming back to"}


def _greeting(i: DraftInput) -> str:
    return i.pick("greeting", [f"Hi {i.name},\n", f"{i.name},\n", f"Hello {i.name},\n",
                               f"Dear {i.name},\n"])


def _be(thing: str) -> str:
    """"is" or "are" for "here is the deck" / "here are the slides"."""
    last = thing.split()[-1].lower() if thing.split() else ""
    if " of " in thing or " from " in thing or " for " in thing:
        last = thing.split(" of ")[0].split(" from ")[0].split(" for ")[0].split()[-1].lower()
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    return "are" if plural else "is"


def _said(i: DraftInput, fact=None) -> str:
    fact = fact or i.fact
    return fmt_date(fact.stated_at, "en", i.today)


def _overdue(i: DraftInput) -> bool:
    due = as_date(i.fact.due) if i.fact else None
    return due is not None and due < i.today


def _touch(i: DraftInput) -> str | None:
    """The further specific things, each in a short sentence of its own."""
    return join_en(*(_one_touch(i, t, k) for k, t in enumerate(i.touches))) or None


def _one_touch(i: DraftInput, touch, k: int) -> str | None:
    value = touch.value
    if touch.kind == "interest":
        return i.pick(f"touch{k}", [f"I'd also love to hear where {value} has taken you lately.",
                                    f"And how's the {value} going?", f"Still into {value}?",
                                    f"P.S. I keep meaning to ask you more about {value}.",
                                    f"Tell me more about {value} sometime!",
                                    f"Any new {value} adventures?"])
    if touch.kind == "thing":
        return i.pick(f"touch{k}", [f"How's {value} coming along?", f"Any news on {value}?",
                                    f"Hope {value} {_be(value)} on track.",
                                    f"Curious where {value} stands now."])
    if touch.kind == "org":
        return i.pick(f"touch{k}", [f"Say hello to the team at {value} for me.",
                                    f"Any news from {value}?",
                                    f"Best to everyone at {value}.",
                                    f"Hope the work at {value} is treating you well.",
                                    f"What's new at {value}?",
                                    f"Hope {value} keeps you busy in a good way.",
                                    f"Greetings to your colleagues at {value}."])
    return None


def promise(i: DraftInput) -> str | None:
    fact = i.fact
    said = _said(i)
    if fact.label == "proposal":
        return _proposal(i, said)
    found = things.en_object_verb(fact.span) if fact.lang != "ja" else None
    sorry = i.pick("sorry", ["Sorry it took longer than I said.", "Apologies for the delay.",
                             "Sorry this is later than promised.", "Later than I hoped, sorry!"]
                   ) if _overdue(i) else None
    if found and found[0] in _DELIVER:
        thing = found[1]
        core = i.pick("core", [f"here {_be(thing)} {thing} I promised on {said}.",
                               f"as promised on {said}, {thing} {_be(thing)} attached.",
                               f"following through on {said}: {thing} {_be(thing)} attached.",
                               f"{thing}, as promised ({said}).",
                               f"attached: {thing} from my {said} message.",
                               f"{thing} — done, as I said on {said}.",
                               f"{thing} is ready; I said {said}, and here it is.",
                               f"keeping my word from {said}: {thing}, attached.",
                               f"you'll find {thing} attached (promised {said}).",
                               f"sending over {thing}, per my note of {said}."])
        return join_en(_greeting(i), capitalise(core), sorry, _touch(i))
    if found and found[0] in _DONE_VERBS:
        core = i.pick("core", [
            f"{_DONE_VERBS[found[0]]} {found[1]}, as I said I would on {said}: [details].",
            f"{_DONE_VERBS[found[0]]} {found[1]} ({said}). Short version: [details].",
            f"re {found[1]} ({said}): [details].",
            f"the word on {found[1]}, as promised {said}: [details].",
            f"{found[1]} — I've looked, as I said I would on {said}. [details]"])
        return join_en(_greeting(i), core, sorry, _touch(i))
    if i.is_stock(fact):   # a sentence sent to many: what it was about is in [details]
        core = i.pick("core", [f"picking up what I promised on {said}: [details].",
                               f"an update on what I said I'd do on {said}: [details].",
                               f"following up on my note of {said} — [details].",
                               f"as I said on {said}, here it is: [details].",
                               f"closing the loop on {said}: [details].",
                               f"here's what I owed you since {said}: [details]."])
        return join_en(_greeting(i), capitalise(core), sorry, _touch(i))
    q = quote(fact.span)
    core = i.pick("core", [f"on {said} I wrote “{q}” Here is where that stands: [details].",
                           f"picking up what I promised on {said} (“{q}”): [details].",
                           f"about my “{q}” from {said}: [details]."])
    return join_en(_greeting(i), capitalise(core), sorry, _touch(i))


def _proposal(i: DraftInput, said: str) -> str | None:
    fact = i.fact
    activity = things.en_activity(fact.span)
    if activity:
        act, place = activity
        where = f" at {place}" if place else ""
        if fact.whose == "them":
            core = i.pick("core", [
                f"you suggested {act}{where} on {said} — I'd love to. Would [day] work?",
                f"I'd like to take you up on {act}{where} (your idea on {said}). Are you free "
                "[day]?",
                f"{act}{where}, as you suggested on {said}, sounds great. How does [day] look?"])
        else:
            core = i.pick("core", [
                f"on {said} I suggested {act}{where} — still up for it? I'm free [day].",
                f"my offer of {act}{where} from {said} still stands. Would [day] suit you?",
                f"shall we finally do {act}{where}? I floated it on {said}; [day] is open for me.",
                f"{act}{where} — my idea from {said}. Is [day] any good for you?"])
        return join_en(_greeting(i), capitalise(core), _touch(i))
    if i.is_stock(fact):
        core = (f"you suggested getting together on {said} — yes, let's. Would [day] work?"
                if fact.whose == "them" else
                f"on {said} I suggested we get together — still up for it? I'm free [day].")
        return join_en(_greeting(i), capitalise(core), _touch(i))
    q = quote(fact.span)
    if fact.whose == "them":
        core = i.pick("core", [f"on {said} you wrote “{q}” Yes, let's. Would [day] work?",
                               f"about your “{q}” from {said}: count me in. When suits you?"])
    else:
        core = i.pick("core", [f"on {said} I suggested “{q}” Still up for it? I'm free [day].",
                               f"my “{q}” from {said} still stands — does [day] suit you?",
                               f"picking up my own idea of {said} (“{q}”): shall we say [day]?",
                               f"“{q}”, I asked on {said}. I'd still like that; [day] works for me."])
    return join_en(_greeting(i), capitalise(core), _touch(i))


def question(i: DraftInput) -> str | None:
    said = _said(i)
    asked = things.en_asked_object(i.fact.span)
    if asked:
        core = i.pick("core", [f"sorry for the slow reply. Here {_be(asked)} {asked} you asked "
                               f"about on {said}.",
                               f"you asked for {asked} on {said} — here "
                               f"{'they are' if _be(asked) == 'are' else 'it is'}.",
                               f"here {_be(asked)} {asked}, as you asked on {said}.",
                               f"{asked}: attached.", f"re your {said} note, {asked} attached."])
        return join_en(_greeting(i), capitalise(core), "[attach]", _touch(i))
    if i.is_stock(i.fact):
        core = i.pick("core", [f"sorry for the wait on your question from {said}: [your answer]",
                               f"about what you asked me on {said}: [your answer]",
                               f"you asked on {said}, and here is my answer: [your answer]",
                               f"back to your question of {said} — [your answer]",
                               f"I owe you an answer since {said}: [your answer]"])
        return join_en(_greeting(i), capitalise(core), _touch(i))
    q = quote(i.fact.span)
    core = i.pick("core", [f"sorry for the wait on your question from {said}: “{q}” "
                           "[your answer]",
                           f"about your question on {said} (“{q}”): [your answer]",
                           f"you asked me on {said}, “{q}” My answer: [your answer]",
                           f"“{q}” — [your answer]"])
    return join_en(_greeting(i), capitalise(core), _touch(i))


_CONGRATS = {
    "new_job": ("congratulations on joining {x}!", "congratulations on the new job!"),
    "promotion": ("congratulations on the promotion at {x}!", "congratulations on the promotion!"),
    "founded": ("congratulations on starting {x}!", "congratulations on starting your company!"),
    "launch": ("congratulations on the launch of {x}!", "congratulations on the launch!"),
    "book": ("congratulations on your book, “{x}”!", "congratulations on the book!"),
    "funding": ("congratulations on the funding round for {x}!",
                "congratulations on the funding round!"),
    "award": ("congratulations on the {x} award!", "congratulations on the award!"),
    "birth": ("congratulations on the new baby!", "congratulations on the new baby!"),
    "wedding": ("congratulations on the wedding!", "congratulations on the wedding!"),
    "graduation": ("congratulations on graduating from {x}!", "congratulations on graduating!"),
    "move": ("hope the move to {x} has gone smoothly!", "hope the move has gone smoothly!"),
    "leaving": ("all the best with what comes after {x}!", "all the best with what comes next!"),
    "retirement": ("congratulations on your retirement!", "congratulations on your retirement!"),
    "talk": ("how did your talk at {x} go?", "how did your talk go?"),
    "school": ("how are your studies at {x} going?", "how are your studies going?"),
}


def news_phrase(i: DraftInput, fact) -> tuple[str, bool]:
    """A congratulation for a change or an event, and whether it names the specific thing."""
    if fact.kind == "change":
        field = fact.detail.get("field") or fact.label
        new = quote(str(fact.detail.get("new") or ""), 60)
        if field == "location" and new:
            return f"I saw you're now based in {new} — how are you settling in?", True
        if new:
            return i.pick("news", [f"I saw you're now {new} — congratulations!",
                                   f"congratulations on the new role: {new}!",
                                   f"just saw your update, {new}. Congratulations!"]), True
        return "congratulations on the new role!", False
    named = things.en_named_thing(fact.span) if fact.lang != "ja" else None
    with_name, plain = _CONGRATS.get(fact.label, ("congratulations on {x}!",
                                                  "congratulations on the news!"))
    return (with_name.format(x=named), True) if named else (plain, False)


def change(i: DraftInput) -> str | None:
    phrase, specific = news_phrase(i, i.fact)
    said = _said(i)
    if i.fact.kind == "change" or specific:
        follow = i.pick("follow", [f"Seeing it on {said} made my day.",
                                   f"Great news to come across on {said}.", None])
        return join_en(_greeting(i), capitalise(phrase), follow, _touch(i))
    if i.is_stock(i.fact):
        return join_en(_greeting(i), capitalise(phrase), _touch(i))
    q = quote(i.fact.span)
    return join_en(_greeting(i), capitalise(phrase),
                   i.pick("quote", [f"Your message on {said} — “{q}” — made my day.",
                                    f"“{q}”: great news to read on {said}."]), _touch(i))


_UPCOMING = {
    "talk": ("good luck with your talk at {x}{d}!", "good luck with your talk{d}!"),
    "launch": ("fingers crossed for the launch of {x}{d}!", "fingers crossed for the launch{d}!"),
    "move": ("all the best with the move to {x}{d}!", "all the best with the move{d}!"),
    "new_job": ("all the best for your start at {x}{d}!", "all the best for the new job{d}!"),
    "book": ("can't wait for “{x}” to come out{d}!", "can't wait for the book{d}!"),
    "wedding": ("wishing you a wonderful wedding{d}!", "wishing you a wonderful wedding{d}!"),
}
# the same wishes said another way (a frame used for thousands of people is a template)
_UPCOMING_ALSO = {
    "talk": ("{x}{d} — I hope the room is full and the questions are good.",
             "your talk{d} — I hope the room is full and the questions are good."),
    "launch": ("{x} goes out{d}: may the first users love it.",
               "the launch{d}: may the first users love it."),
    "move": ("{x}{d} — a new city, a new chapter. Safe travels!",
             "the move{d} — a new chapter. Safe travels!"),
    "new_job": ("your first day at {x}{d} is close — they're lucky to have you.",
                "your first day{d} is close — they're lucky to have you."),
    "book": ("“{x}”{d} — I've a spot on my shelf waiting for it.",
             "your book{d} — I've a spot on my shelf waiting for it."),
    "wedding": ("all my best wishes for the big day{d}!", "all my best wishes for the big day{d}!"),
}


def event(i: DraftInput) -> str | None:
    fact = i.fact
    day = as_date(fact.event_date)
    if day is not None and day < i.today:
        return change(i)     # it happened: congratulate or ask how it went
    d = f" on {fmt_date(day, 'en', i.today)}" if day else ""
    named = things.en_named_thing(fact.span) if fact.lang != "ja" else None
    noun = EVENT_NAMES.get(fact.label, {"en": "plans"})["en"]
    forms = [f[fact.label] for f in (_UPCOMING, _UPCOMING_ALSO) if fact.label in f] or [
        ("best of luck with {x}{d}!", f"best of luck with the {noun}{{d}}!")]
    with_name, plain = forms[int(i.pick("form", [str(k) for k in range(len(forms))]))]
    core = with_name.format(x=named, d=d) if named else plain.format(d=d)
    help_line = i.pick("help", ["If it helps, I'm happy to share it with people who'd be "
                                "interested.", "Anything I can do to help spread the word?",
                                None]) if fact.label in ("talk", "launch", "book") else None
    q, said = quote(fact.span, 60), _said(i)
    quoted = None if named or i.is_stock(fact) else i.pick("quoted", [
        f"(You mentioned it on {said}: “{q}”)",
        f"Ever since you wrote “{q}” on {said}, I've wanted to hear how it goes.",
        f"“{q}” — noted on {said}, and not forgotten."])
    lead = i.pick("lead", ["It's nearly here:", "Almost time!", "A quick note before the day:",
                           None, None])
    return join_en(_greeting(i), lead, capitalise(core), quoted, help_line, _touch(i))


def _memory_line(i: DraftInput, fact) -> str | None:
    """Recall one fact in a sentence: what they care about, their news, a thing exchanged."""
    said = fmt_date(fact.stated_at, "en", i.today)
    if fact.kind == "interest" and things.first_topic(fact):
        term = things.first_topic(fact)
        return i.pick("memory", [
            f"you mentioned {term} on {said}, and I came across this — thought you'd like it: "
            "[link]",
            f"[link] — a {term} read I think you'll enjoy.",
            f"this made me think of you and {term}: [link]",
            f"I saw this piece on {term} and remembered our conversation on {said}: [link]",
            f"since you told me about {term} on {said}, this might interest you: [link]",
            f"{term} came up when we talked on {said}; here's something on it: [link]",
            f"remember our {term} chat ({said})? This seemed right up your street: [link]",
            f"a friend passed me this, and {term} made me think of you: [link]",
            f"[link] — found while reading about {term}. You were the first person I thought of.",
            f"knowing you and {term} (since {said}), I had to send this: [link]"])
    if fact.kind in ("event", "change"):
        phrase, specific = news_phrase(i, fact)
        noun = EVENT_NAMES.get(fact.label, {"en": "news"})["en"]
        named = things.en_named_thing(fact.span) if fact.lang != "ja" else None
        what = f"your {noun} ({named})" if named else f"your {noun}"
        if fact.kind == "change":
            return f"I was thinking of your move to {quote(str(fact.detail.get('new')), 50)} " \
                   f"(I saw it on {said}) — how has it turned out?"
        opener = i.pick("opener", ["I was remembering", "I often think of",
                                   "I keep coming back to", "I was just thinking about",
                                   "I've been meaning to ask about", "Something reminded me of"])
        when = i.pick("when", [f"from {said}", f"(you told me on {said})",
                               f"— you mentioned it on {said}", f"that you shared on {said}"])
        ask = i.pick("ask", ["How has it turned out?", "How is it going?",
                             "Where does it stand now?", "Has it been what you hoped?",
                             "What has it been like?", "How did it all go?"])
        return f"{opener} {what} {when}. {ask}"
    found = things.en_object_verb(fact.span) if fact.lang != "ja" else None
    if fact.kind == "promise" and found:
        if fact.whose == "me":
            return i.pick("memory", [f"did {found[1]} I sent around {said} turn out to be useful?",
                                     f"I sent you {found[1]} around {said}. Was it any help?",
                                     f"did you end up using {found[1]} from {said}?"])
        return i.pick("memory", [f"how did {found[1]} you were working on around {said} turn out?",
                                 f"around {said} you had {found[1]} on your plate. Where did it land?",
                                 f"whatever became of {found[1]} (you mentioned it {said})?"])
    if fact.kind == "question":
        asked = things.en_asked_object(fact.span)
        if asked:
            return i.pick("memory", [
                f"I was thinking back to {asked} you asked about on {said} — how did it "
                "work out?",
                f"you asked me about {asked} on {said}. Did it get sorted?",
                f"on {said} {asked} came up; did it all work out in the end?"])
    need = need_of(fact)
    if need:   # "We're looking for a DevOps engineer": did they find one?
        who = need_phrase(need, "en")
        return i.pick("memory", [f"did you find {who} in the end? You were looking on {said}.",
                                 f"on {said} you were after {who} — did that work out?",
                                 f"I've wondered whether the search for {who} ({said}) "
                                 "went well."])
    if fact.span and not i.is_stock(fact):
        q = quote(fact.span, 60)
        return i.pick("memory", [f"I was thinking of what you wrote on {said}: “{q}” How did "
                                 "it go?",
                                 f"“{q}” — your words from {said}. Where are things now?",
                                 f"something brought back your note of {said} (“{q}”). Any "
                                 "news since?"])
    return None


def reconnect(i: DraftInput) -> str | None:
    """Overdue by cadence, met recently, or dormant: through one specific memory."""
    if i.reason == "met_recently":
        line = _met_line(i)
    elif i.reason == "dormant_with_news":
        phrase, _ = news_phrase(i, i.fact)
        last = f"We last spoke on {fmt_date(i.last, 'en', i.today)}, and" if i.last else "I"
        return join_en(_greeting(i), f"{last} just saw your news: {phrase}",
                       _memory_tail(i))
    else:
        line = _memory_line(i, i.memory) if i.memory else None
    if not line:
        return None
    return join_en(_greeting(i), capitalise(line), _touch(i))


def _memory_tail(i: DraftInput) -> str | None:
    if i.memory is None or i.memory.id == (i.fact.id if i.fact else None):
        return _touch(i)
    if i.memory.kind == "interest" and things.first_topic(i.memory):
        return f"Are you still into {things.first_topic(i.memory)}?"
    return _touch(i)


def _met_line(i: DraftInput) -> str | None:
    fact = i.memory
    if fact is None:
        return None
    met_on = fmt_date(i.met[0], "en", i.today) if i.met else _said(i, fact)
    kind = {"meeting": "meeting", "call": "call", "event": "event"}.get(
        i.met[1] if i.met else "", "conversation")
    if fact.kind == "interest" and things.first_topic(fact):
        term = things.first_topic(fact)
        return i.pick("met", [
            f"thanks again for the {kind} on {met_on}. I've been thinking about what you said "
            f"about {term} — [a thought or a link].",
            f"great to talk on {met_on}. Your point about {term} stayed with me; here is "
            "something related: [link]"])
    line = _memory_line(i, fact)
    return f"thanks again for the {kind} on {met_on}. {capitalise(line)}" if line else None


def introduction(i: DraftInput) -> str | None:
    """Double opt-in: each side is asked first; nobody is connected without both yeses."""
    side = i.intro
    if side is None:
        return None
    said = fmt_date(side.said, "en", i.today)
    at = f" at {side.other_org}" if side.other_org else ""
    if side.role == "need":
        does = offer_clause(side.offer_source, side.offer, "en")
        core = i.pick("core", [
            f"you mentioned on {said} that you're looking for {side.need}. I know "
            f"{side.other_name}{at}, who {does}. Would an introduction help? I'll check with "
            f"{side.other_name} first.",
            f"on {said} you wrote that you need {side.need}. {side.other_name}{at}, who {does}, "
            f"comes to mind. Shall I introduce you? I'd ask {side.other_name} before "
            "connecting you."])
    else:
        yours = offer_clause(side.offer_source, side.offer, "en", second_person=True)
        role = f" ({side.other_title}{at})" if side.other_title else (f" ({side.other_org})"
                                                                      if side.other_org else "")
        core = i.pick("core", [
            f"{side.other_name}{role} is looking for {side.need}, and {yours} came to mind. "
            "Would you be open to an introduction? No pressure either way — I'll only connect "
            "you if you both say yes.",
            f"a contact of mine, {side.other_name}{role}, needs {side.need}. Given {yours}, "
            "may I introduce you? Only if you're both happy to."])
    return join_en(_greeting(i), capitalise(core), _touch(i))


BUILDERS = {
    "promise_due": promise, "question_waiting": question, "change_to_congratulate": change,
    "event_upcoming": event, "met_recently": reconnect, "overdue_by_cadence": reconnect,
    "dormant_with_news": reconnect, "introduction": introduction,
}


def compose(i: DraftInput) -> str | None:
    return BUILDERS[i.reason](i)
