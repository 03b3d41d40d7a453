"""Life and work events: a new job, a move, a launch, a talk, a book, a birth, a wedding, a
promotion (and leaving a job, founding a company, funding, an award, a graduation, retiring).

Each subtype is a list of trigger patterns per language. A trigger counts only when the
sentence states the event, not when it asks for it or muses about it: ご登壇いただけないでしょうか
(a request), 転職を考えています / "thinking of switching jobs" (not decided), "would you be up for a
panel" (an invitation) are not events. Words that are also ordinary nouns or verbs need context:
"book" only as "my/your/our book", "publishing a book", "book comes out"; "move" only as moving
somewhere, relocating, a new office, or "the move went…"; "talk" only as someone's talk,
"speaking at", "keynote"; "launch" with a subject or object ("we launched", "the launch of X").

Whose: the writer's, unless the sentence speaks to the reader about it (ご転職おめでとう, ご出版,
登壇された, "your keynote", "congrats on the new role"): then the reader's.
"""

from __future__ import annotations

import re

# Each subtype: alternatives, joined with "|" below.
JA_EVENTS: dict[str, list[str]] = {
    "new_job": [r"転職", r"入社", r"就職", r"新天地", r"着任", r"赴任", r"初出社", r"異動",
                r"(?:で|に)(?:働く|勤める|勤務する|教える)ことに"],
    "leaving": [r"退職", r"退社", r"最終出社", r"卒業します", r"(?:会社|仕事|職|今の職場)を辞め",
                r"辞めることに"],
    "founded": [r"独立", r"起業", r"創業", r"会社を(?:立ち上げ|設立|作り|つくり)", r"法人(?:を)?設立"],
    "move": [r"引っ?越", r"転居", r"移住", r"移転"],
    "launch": [r"リリース(?!ノート)", r"ローンチ", r"発売", r"提供開始", r"サービス開始", r"正式公開",
               r"一般公開", r"β版", r"ベータ版"],
    "talk": [r"登壇(?!者)", r"講演", r"基調講演", r"発表させていただ", r"セッションを担当",
             r"トークします"],
    "book": [r"出版", r"刊行", r"上梓", r"著書", r"新刊", r"新著", r"本を(?:出し|出す|書き|書く|出版)"],
    "birth": [r"出産", r"誕生しました", r"生まれました", r"が生まれ", r"第[一二三四1-4]子", r"育休",
              r"産休", r"育児休業", r"(?:パパ|ママ|父親|母親)に"],
    "wedding": [r"結婚", r"入籍", r"挙式", r"婚約"],
    "promotion": [r"昇進", r"昇格", r"就任", r"拝命",
                  r"(?:部長|課長|役員|執行役員|取締役|マネージャー|CTO|CEO|COO|CFO)に(?:なり|昇|就)"],
    "funding": [r"資金調達", r"シリーズ[A-Ea-eＡ-Ｅ]", r"調達を(?:実施|完了)"],
    "award": [r"受賞", r"表彰"],
    "graduation": [r"(?<!を)卒業(?!します)", r"学位", r"修了"],
    "retirement": [r"定年"],
    "school": [r"大学院に(?:通|進|入)", r"(?:大学院|大学|MBA|博士課程|修士課程)(?:に|へ)(?:進学|入学)", r"進学",
              r"入学", r"留学", r"社会人大学院", r"MBAを取"],
}
_JA_NOT_STATED = re.compile(
    r"^(?:[^。]{0,6})(?:いただけ|いただき|頂け|頂き|ください|下さい|を考え|を検討|に迷|したい|したく|"
    r"かもしれ|の予定はな|についてご相談|のご相談|の相談|活動中|の件)")
_JA_OTHER = re.compile(r"おめでとう|ご(?:転職|入社|就職|退職|独立|起業|引っ?越|移転|登壇|講演|出版|"
                       r"出産|結婚|入籍|昇進|昇格|就任|受賞|卒業)")
# 登壇された / 転職された: honorific, so the reader's. (出版される / 発売された are plain passives.)
_JA_HONORIFIC_AFTER = re.compile(r"^(?:され(?:た|まし)|なさ(?:った|いまし))")
_HONORIFIC_LABELS = ("new_job", "leaving", "founded", "move", "talk", "wedding", "promotion",
                     "award")

# "move our sync to Thursday" reschedules; it is not a move.
_WHEN_WORDS = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February"
               r"|March|April|May|June|July|August|September|October|November|December|Next"
               r"|Tomorrow)\b")
_POSSESSIVE = r"(?:my|your|our|his|her|their)"

# Case-blind, except [A-Z], which marks a name ("joined Northwind", "moving to Berlin").
EN_EVENTS: dict[str, list[str]] = {
    "new_job": [r"\bnew\s+(?:role|job|position|gig|chapter)\b",
                r"\baccepted\s+(?:an|the|a)\s+(?:job\s+)?offer\b",
                r"\b(?:start|starting|started)\s+(?:at|with)\s+[A-Z]", r"\bfirst\s+day\s+at\b",
                r"\b(?:joined|joining|join(?:ed)?\s+the\s+team\s+at)\s+[A-Z]", r"\bhired\s+as\b",
                r"\b(?:switching|switched|changing|changed)\s+jobs\b"],
    "leaving": [r"\blast\s+day\s+(?:at|with)\b", r"\b(?:leaving|left)\s+[A-Z]\w+",
                r"\bstepping\s+down\b", r"\bmoving\s+on\s+from\b"],
    "founded": [r"\b(?:started|founded|launched|launching|starting)\s+(?:my|our|a)\s+own\s+"
                r"(?:company|business|startup|studio|firm|agency|practice)\b",
                r"\bco-?founded\b", r"\bfounded\s+[A-Z]"],
    "move": [r"\b(?:moving|moved|relocating|relocated|relocate|move)\s+(?:our\s+\w+\s+)?to\s+"
             r"(?:a\s+new\s+(?:office|place|apartment|flat|house|home|city)"
             r"|(?!" + _WHEN_WORDS + r")[A-Z][a-z]+)",
             r"\b(?:moving|moved|relocating)\s+our\s+(?:office|hq|headquarters|team)\b",
             r"\bnew\s+office\s+in\b", r"\bthe\s+move\s+(?:went|goes|is\s+going|go)\b",
             r"\bhouse\s+move\b"],
    "launch": [r"\b(?:we|i|they|you)(?:'ve|\s+have|'re|\s+are|\s+just)?\s+"
               r"(?:launched|launching|shipped|released)\b",
               r"\blaunch(?:ed|ing)?\s+(?:our|the\s+new|a\s+new|my|their|your)\b",
               r"\b(?:the|your|our)\s+launch\s+of\b",
               r"\b(?:congrat\w*|congratulations)\s+on\s+the\s+launch\b",
               r"\b(?:went|goes|going|go)\s+live\b", r"\bpublic\s+beta\b", r"\blaunch\s+day\b"],
    "talk": [r"\b(?:speaking|spoke|speak)\s+at\b",
             r"\b(?:give|giving|gave|gives)\s+a\s+(?:talk|keynote|lecture)\b",
             rf"\b{_POSSESSIVE}\s+(?:talk|keynote|presentation|session|lecture)\b", r"\bkeynote\b",
             r"\bgreat\s+talk\b", r"\bpresenting\s+at\b", r"\b(?:on|join(?:ing)?)\s+a\s+panel\b"],
    "book": [rf"\b{_POSSESSIVE}\s+(?:new\s+|first\s+|second\s+|latest\s+)?book\b",
             r"\b(?:publishing|published|wrote|writing|finished)\s+(?:a|my|our|the)\s+"
             r"(?:new\s+)?book\b",
             r"\bbook\s+(?:comes|is\s+coming|came)\s+out\b", r"\bbook\s+(?:launch|deal|tour)\b"],
    "birth": [r"\bbaby\s+(?:girl|boy)\b", r"\b(?:was|were|is)\s+born\b",
              r"\b(?:had|welcomed|welcoming|expecting)\s+(?:a|our|their|her)\s+"
              r"(?:baby|first|second|third|son|daughter|twins)\b",
              r"\bbecame\s+a\s+(?:dad|mom|mum|father|mother|parent)\b",
              r"\b(?:parental|maternity|paternity)\s+leave\b", r"\bnew\s*born\b",
              r"\bnew\s+baby\b"],
    "wedding": [r"\b(?:got|getting|get)\s+married\b", r"\b(?:just\s+)?(?:got\s+)?engaged\b",
                r"\bwedding\b", r"\btied\s+the\s+knot\b"],
    "promotion": [r"\bpromoted\b", r"\bpromotion\b", r"\bnamed\s+(?:the\s+)?new\s+[A-Z]",
                  r"\bappointed\s+(?:as\s+)?[A-Z]"],
    "funding": [r"\bseries\s+[a-e]\b", r"\bseed\s+round\b", r"\bfunding\s+round\b",
                r"\b(?:raised|raising|closed)\s+(?:a\s+|our\s+)?(?:\$|€|£|¥)?\d"],
    "award": [r"\b(?:won|win|received|receiving)\s+(?:the|an|a)\s+[\w\s]{0,30}award\b",
              r"\baward[-\s]winning\b"],
    "graduation": [r"\bgraduated\b", r"\bgraduating\b",
                   r"\bdefended\s+(?:my|her|his)\s+(?:thesis|phd|dissertation)\b"],
    "retirement": [r"\bretiring\b", r"\bretired\b", r"\bretirement\b"],
    "school": [r"\b(?:starting|start|begin|beginning|going\s+back\s+to)\s+(?:an?\s+|my\s+)?"
              r"(?:mba|master's|masters|phd|grad(?:uate)?\s+school|school|degree)\b",
              r"\b(?:enrolled|enrolling)\s+(?:in|at)\b",
              r"\b(?:got|been)\s+(?:accepted|admitted)\s+(?:in)?to\s+(?:an?\s+)?[A-Z]"],
}
_EN_NOT_STATED = re.compile(
    r"\bthinking\s+(?:of|about)\b|\bconsidering\b|\bmight\b|\bmaybe\b|\bhoping\s+to\b"
    r"|\bup\s+for\b|\binterested\s+in\b|\binvite\s+you\b|\bwould\s+you\s+(?:like|be)\b"
    r"|\bif\s+you\b|\bwhether\b", re.I)
_EN_OTHER = re.compile(r"\byour\b|\byou(?:'re|'ve|\s+are|\s+have|\s+got|\s+just)\b|\bcongrat"
                       r"|\bthanks\s+for\s+(?:speaking|presenting)", re.I)

_JA_COMPILED = {label: re.compile("|".join(ps)) for label, ps in JA_EVENTS.items()}
_EN_COMPILED = {label: re.compile("|".join(ps).replace("[A-Z]", "(?-i:[A-Z])"), re.I)
                for label, ps in EN_EVENTS.items()}


def ja_events(text: str) -> list[tuple[int, str, bool]]:
    """(offset, label, about the reader) for each event a Japanese sentence states."""
    out = []
    for label, pattern in _JA_COMPILED.items():
        for m in pattern.finditer(text):
            if _JA_NOT_STATED.search(text[m.end():]):
                continue
            other = bool(_JA_OTHER.search(text)) or (
                label in _HONORIFIC_LABELS and bool(_JA_HONORIFIC_AFTER.match(text[m.end():])))
            out.append((m.start(), label, other))
            break
    return out


def en_events(text: str) -> list[tuple[int, str, bool]]:
    """(offset, label, about the reader) for each event an English clause states."""
    if _EN_NOT_STATED.search(text):
        return []
    out = []
    for label, pattern in _EN_COMPILED.items():
        m = pattern.search(text)
        if m:
            out.append((m.start(), label, bool(_EN_OTHER.search(text))))
    return out
