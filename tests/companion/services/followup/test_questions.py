"""Questions: theirs in an in message (waiting for my answer), mine in an out message."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, label", [
    ("ご都合はいかがでしょうか。", "question"),
    ("お元気ですか？", "question"),
    ("資料を送っていただけますでしょうか。", "question"),
    ("来週の火曜、15時からでいかがですか", "question"),
    ("大丈夫かな", "question"),
    ("この件、どう思いますかね。", "question"),
    ("今度ランチ行きませんか？", "question"),
    ("ご都合の良い日時を教えてください。", "request"),
    ("Did you get a chance to review the SOW?", "question"),
    ("Any thoughts on the proposal", "question"),
    ("Wondering if you'd be up for a panel at our summit", "question"),
    ("Quick question: when does your team plan to finalize the budget", "question"),
    ("Who should I contact about the partnership program", "question"),
    ("Let me know what you think of the draft.", "request"),
    ("Let me know if that works for you.", "request"),
    ("We shipped it yesterday, would love your thoughts.", "request"),
])
def test_questions(analyze, text, label):
    [question] = analyze(text, direction="in", kind="question")
    assert question.label == label
    assert question.whose == "them"


@pytest.mark.parametrize("text", [
    "来週中にはお返事できるかと思います。",           # か, but not at the end
    "何かご不明点があればお気軽にご連絡ください。",   # the closing formula
    "ご都合いかがですかと聞かれました。"[:0] + "資料の件、承知いたしました。",
    "What a year!",
    "How nice of you.",
    "Let me know if you have any questions.",
    "Let me know if you need anything.",
    "https://example.com/form?ref=abc Here's the signup form.",
    'He asked "are you free tomorrow?" and I said no.',
    "I'd love to hear how the new team is shaping up.",
])
def test_not_questions(analyze, text):
    assert analyze(text, direction="in", kind="question") == []


def test_my_question_is_mine(analyze):
    [question] = analyze("Are you around the week of January 11?", direction="out",
                         kind="question")
    assert question.whose == "me"


def test_each_question_sentence_is_its_own_span(analyze):
    text = ("Hi Jordan,\n\nThanks! Monday works. "
            "Quick question — are you planning to open-source it?")
    [question] = analyze(text, kind="question")
    assert question.span.text == "Quick question — are you planning to open-source it?"
    text = "ご無沙汰しております。お元気ですか？来週の木曜か金曜であれば空いています。"
    [question] = analyze(text, direction="in", kind="question")
    assert question.span.text == "お元気ですか？"


def test_a_question_can_carry_a_deadline(analyze):
    [question] = analyze("Can you send me the final headcount by Thursday?", direction="in",
                         kind="question")
    assert question.due == "2026-11-19"
