"""The group rule every importer shares (imports/groups.py), case by case. Each conversation is
a list of senders in time order, "me" for the user; the expected value is, for each of the
user's messages, whom it is with."""

from __future__ import annotations

import pytest

from companion.services.imports.groups import MAX_ANSWERED, GroupConversation

BIG = [f"m{i}" for i in range(MAX_ANSWERED + 2)]   # more members than a small group has

CASES = {
    "a small group: my first message is with everyone": (
        ["a", "b", "c"], ["me"], [["a", "b", "c"]]),
    "a reply is with those who wrote since, most recent first": (
        ["a", "b", "c"], ["me", "b", "a", "me"], [["a", "b", "c"], ["a", "b"]]),
    "someone writing twice counts once, at their latest": (
        BIG, ["m1", "m2", "m1", "me"], [["m1", "m2"]]),
    "a second message in a row continues with the last who wrote": (
        BIG, ["m3", "me", "me"], [["m3"], ["m3"]]),
    "a large group: my first message is with nobody": (
        BIG, ["me", "m0", "me"], [[], ["m0"]]),
    "at most MAX_ANSWERED answered": (
        BIG, [*BIG, "me"], [BIG[::-1][:MAX_ANSWERED]]),
    "only what came after my previous message": (
        BIG, ["m0", "m1", "me", "m2", "me"], [["m1", "m0"], ["m2"]]),
    "a member missing from the list still counts when they write": (
        ["a"], ["late", "me"], [["late"]]),
}


@pytest.mark.parametrize("others, senders, expected", CASES.values(), ids=CASES.keys())
def test_whom_my_messages_are_with(others, senders, expected):
    group = GroupConversation(others)
    got = []
    for sender in senders:
        if sender == "me":
            got.append(group.my_message_to())
        else:
            group.heard_from(sender)
    assert got == expected


def test_members_nobody_can_be_attached_to_still_make_a_group_large():
    # three members left, four deleted accounts: a group of seven, not a small one
    assert GroupConversation(["a", "b", "c"], size=7).my_message_to() == []
    assert GroupConversation(["a", "b", "c"], size=5).my_message_to() == ["a", "b", "c"]
