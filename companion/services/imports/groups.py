"""Whom the user's own message in a group conversation is with: one rule for every importer.

A message from someone else in a group is an incoming message from its sender. A message of the
user's is read, for follow-ups, as said to:

1. the members who wrote since the user's previous message there (the people being answered;
   at most ``MAX_ANSWERED``, most recent first);
2. else the member who wrote last before it (a second message in a row continues the same
   exchange);
3. else, when nobody has written yet: every member of a small group (at most
   ``MAX_ANSWERED`` others: a few friends planning something), and nobody in a larger one
   (the importer skips the message with ``SKIP_NOBODY_YET``).

Why not every member: a reply in a 30-person group is no exchange with each of them, and a
promise made there would become thirty open promises. Why not only one: answering two people
at once answers both (their questions count as answered).
"""

from __future__ import annotations

from typing import Generic, Hashable, Sequence, TypeVar

MAX_ANSWERED = 5

SKIP_NOBODY_YET = ("大きなグループへのあなたの最初のメッセージで、まだ誰も書いていません / Your "
                   "message to a large group before anyone else wrote there: nobody to attach "
                   "it to")

Member = TypeVar("Member", bound=Hashable)


class GroupConversation(Generic[Member]):
    """One group conversation, fed its messages in time order."""

    def __init__(self, others: Sequence[Member], size: int | None = None):
        self.others = list(dict.fromkeys(others))   # the members but the user
        # how many others the group has, counting those the importer cannot attach anything
        # to (a deleted account, a hidden "LinkedIn Member"): they still make it large
        self.size = max(size or 0, len(self.others))
        self._since_mine: list[Member] = []        # who wrote since the user's last message
        self._last: Member | None = None

    def heard_from(self, member: Member) -> None:
        """Someone else wrote."""
        if member in self._since_mine:
            self._since_mine.remove(member)
        self._since_mine.append(member)
        self._last = member

    def my_message_to(self) -> list[Member]:
        """The user wrote: whom the message is with (empty: skip it, SKIP_NOBODY_YET)."""
        answered = self._since_mine[::-1][:MAX_ANSWERED]
        self._since_mine = []
        if answered:
            return answered
        if self._last is not None:
            return [self._last]
        return list(self.others) if self.size <= MAX_ANSWERED else []
