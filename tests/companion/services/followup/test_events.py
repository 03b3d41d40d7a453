"""Life and work events, their subtype, whose they are, and what is not one."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, label", [
    ("来月から新しい会社に転職することになりました。", "new_job"),
    ("来年から京都の大学で教えることになりました。", "new_job"),
    ("1月5日が初出社です。", "new_job"),
    ("3月末で退職します。", "leaving"),
    ("来年1月に独立して、自分の会社を立ち上げます。", "founded"),
    ("実は私、3月から大阪に引っ越すことになりました。", "move"),
    ("10月から本社が渋谷に移転しました。", "move"),
    ("新サービスを来月リリースします。", "launch"),
    ("弊社の新製品が本日発売となりました！", "launch"),
    ("12月3日のカンファレンスで登壇することになりました。", "talk"),
    ("著書が3月に出版されることになりました！", "book"),
    ("来年、本を出すことになりました！", "book"),
    ("おかげさまで、先日無事に第一子が生まれました。", "birth"),
    ("来月、育休に入る予定です。", "birth"),
    ("このたび結婚いたしました。", "wedding"),
    ("2月1日付で部長に昇進いたしました。", "promotion"),
    ("シリーズAで3億円の資金調達を実施しました。", "funding"),
    ("I've accepted an offer at Northwind and start on December 7.", "new_job"),
    ("I'm joining Harbor Analytics as Head of Product next month.", "new_job"),
    ("My last day at Finch & Co is December 31.", "leaving"),
    ("We're moving our office to Austin next month.", "move"),
    ("We're relocating to Berlin in January.", "move"),
    ("We launched our public beta today.", "launch"),
    ("I'm speaking at DataConf in Lisbon on October 22.", "talk"),
    ("My book on platform engineering comes out in March!", "book"),
    ("Our baby girl was born on Tuesday.", "birth"),
    ("Just got engaged!!", "wedding"),
    ("I got promoted to Director of Engineering last week!", "promotion"),
    ("We just closed our Series A.", "funding"),
])
def test_events(analyze, text, label):
    events = analyze(text, direction="in", kind="event")
    assert label in {e.label for e in events}
    assert all(e.whose == "them" for e in events)


@pytest.mark.parametrize("text", [
    "今度、弊社のイベントでご登壇いただけないでしょうか。",   # a request
    "転職を考えています。",                                    # not decided
    "東京生まれです。",
    "お誕生日おめでとうございます！",
    "「転職の教科書」という本が面白かったです。",              # a title, quoted
    "I'm thinking of switching jobs later this year.",
    "Could we move our sync to Thursday afternoon?",
    "I will never forget how helpful you were during the launch.",
    "Let's talk next week.",
    "Can I book a room for Tuesday?",
    "I read the book you recommended.",
    "Wondering if you'd be up for a panel at our summit",
    "I'm heading to Osaka on Dec 3 for a client visit.",
])
def test_not_events(analyze, text):
    assert analyze(text, direction="in", kind="event") == []


def test_congratulations_are_about_the_reader(analyze):
    [event] = analyze("ご転職おめでとうございます！", direction="out", kind="event")
    assert (event.label, event.whose) == ("new_job", "them")
    [event] = analyze("先週の勉強会で登壇された内容、大変勉強になりました。", direction="out",
                      kind="event")
    assert (event.label, event.whose) == ("talk", "them")
    [event] = analyze("Congrats on your new role!", direction="in", kind="event")
    assert (event.label, event.whose) == ("new_job", "me")
    [event] = analyze("I'm speaking at DataConf on October 22.", direction="out", kind="event")
    assert event.whose == "me"


def test_the_event_span_and_date(analyze):
    text = ("Hi Alex,\nAlso — we're moving to a new office in Brooklyn next month, "
            "so our address will change.")
    [event] = analyze(text, direction="in", sent_at="2026-11-18T09:40:00-05:00", kind="event")
    assert event.span.text == "we're moving to a new office in Brooklyn next month"
    assert event.event_date == "2026-12-01"
    assert event.period.span.text == "next month"
