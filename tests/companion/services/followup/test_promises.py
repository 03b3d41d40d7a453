"""Promises: first-person commitments and joint proposals, and what is deliberately not one."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, label", [
    ("資料を送ります。", "commitment"),
    ("また連絡します。", "commitment"),
    ("後で送っておきます。", "commitment"),
    ("確認して折り返します。", "commitment"),
    ("明後日までにお送りいたします。", "commitment"),
    ("担当者に確認してみます。", "commitment"),
    ("その件は私の方で調整しておきますね。", "commitment"),
    ("前向きに検討させてください。", "commitment"),
    ("検討させていただきます。", "commitment"),
    ("金曜日に御社に伺います。", "commitment"),
    ("来週送る予定です。", "commitment"),
    ("ご連絡しようと思います。", "commitment"),
    ("来週中にはお返事できるかと思います。", "commitment"),
    ("あとで送るね", "commitment"),
    ("落ち着いたらまたご連絡しますね。", "commitment"),   # a condition on time is still a promise
    ("来月飲みに行きましょう！", "proposal"),
    ("そのうち、ゆっくりお話ししましょう。", "proposal"),
    ("来月飲みに行きませんか？", "proposal"),
    ("来週どこかでランチでもいかがですか？", "proposal"),
    ("I'll send you the deck.", "commitment"),
    ("I will review the term sheet tonight.", "commitment"),
    ("We'll circle back once legal has reviewed it.", "commitment"),
    ("Let me check with legal and get back to you.", "commitment"),
    ("I'm going to put together a short summary.", "commitment"),
    ("I plan to share the results with the team.", "commitment"),
    ("I can send the signed NDA by tomorrow.", "commitment"),
    ("Will do, thanks!", "commitment"),
    ("I'll be there at 9.", "commitment"),
    ("I'll be in touch.", "commitment"),
    ("I'll try to send the revised quote by the 5th.", "commitment"),
    ("Let's get coffee next month.", "proposal"),
    ("We should grab lunch sometime soon.", "proposal"),
    ("Would you like to grab lunch next week?", "proposal"),
    ("Do you have 30 minutes on Thursday to chat?", "proposal"),
    ("I'd love to meet up when you're in town.", "proposal"),
])
def test_promises(analyze, text, label):
    [promise] = analyze(text, kind="promise")
    assert promise.label == label
    assert promise.whose == "me"
    assert promise.span.text in text


@pytest.mark.parametrize("text", [
    "資料をお送りしました。",                       # past
    "先ほどお送りした議事録に誤りがありました。",
    "すみません、明日は伺えません。",               # negative
    "お待ちしております。",                         # a state
    "年内は12月28日まで営業しております。",
    "必要でしたら、過去の事例もお送りします。",     # an offer on their wish
    "よろしければ資料をお送りします。",
    "資料を送っていただけますか？",                 # a request of them
    "ぜひ一度、弊社のメンバーともお会いいただけませんか。",
    "「資料を送ります」とだけ返信が来ました。",     # quoted
    "よろしくお願いいたします。",
    "本日の会議資料を添付いたします。",             # done now, not promised
    "先日お話しした本、お貸しできますよ。",         # an ability, offered
    "新サービスを来月リリースします。",             # an event, not a promise
    "来月から育休を取る予定です。",
    "頑張りましょう！",
    "I sent the deck yesterday.",
    "I've attached the agenda.",
    "I will never forget how helpful you were.",
    "Sorry, I won't be able to make it tomorrow.",
    "I'll be in Singapore next week.",
    "I'm going to be out of office until Monday.",
    "I'm going to Kyoto for vacation next week.",
    "If it helps, I'm happy to introduce you to our head of data.",
    "Happy to share our playbook if that would be useful.",
    "Will you send the deck?",
    "Can you send me the final headcount by Thursday?",
    'She said "I\'ll send it tomorrow" but nothing arrived.',
    "> I'll send the final numbers tomorrow\n\nGot it, thanks.",
    "Let me know if you have any questions.",
    "Let's see how the pilot goes first.",
    "I can send it.",                                  # an ability without a time
    "I would have sent it earlier but the file was too large.",
    "Can we push our call to next Tuesday?",
])
def test_not_promises(analyze, text):
    assert analyze(text, kind="promise") == []


def test_whose_follows_the_direction(analyze):
    [mine] = analyze("資料は明日お送りします。", direction="out", kind="promise")
    [theirs] = analyze("資料は明日お送りします。", direction="in", kind="promise")
    assert (mine.whose, theirs.whose) == ("me", "them")
    [proposal] = analyze("Let's get coffee next month.", direction="in", kind="promise")
    assert proposal.whose == "them"      # the proposer owns a joint plan


def test_the_span_is_the_sentence_or_english_clause(analyze):
    text = "Thanks for the call. I can't commit to a date yet, but I'll let you know by Friday."
    [promise] = analyze(text, kind="promise")
    assert promise.span.text == "I'll let you know by Friday."
    assert promise.due == "2026-11-20"
    text = "田中様\n\nお世話になっております。\n資料は金曜日までにお送りいたします。\nよろしくお願いいたします。"
    [promise] = analyze(text, kind="promise")
    assert promise.span.text == "資料は金曜日までにお送りいたします。"
    assert promise.span.start == text.index("資料")


def test_a_date_in_another_english_clause_is_not_the_promises(analyze):
    facts = analyze("We're relocating to Berlin in January, so let's meet before then!",
                    direction="in", sent_at="2026-11-27T16:05:00Z")
    [promise] = [f for f in facts if f.kind == "promise"]
    [event] = [f for f in facts if f.kind == "event"]
    assert promise.due is None
    assert event.event_date == "2027-01-01"


def test_two_promises_in_one_message(analyze):
    facts = analyze("I'll send the deck tomorrow. Let's also get lunch next week.", kind="promise")
    assert [(f.label, f.due) for f in facts] == [("commitment", "2026-11-19"),
                                                 ("proposal", "2026-11-27")]
