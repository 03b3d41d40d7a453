"""The working copy (same length, quotes and URLs blanked) and sentence offsets."""

from __future__ import annotations

from companion.services.followup.lang import detect_lang
from companion.services.followup.text import en_clauses, sentences, working_copy


def test_the_working_copy_keeps_every_offset():
    text = "Ｉ’ll send it ＴＯＭＯＲＲＯＷ？\ud800\x00 「資料を送ります」 https://x.com/a?b=1 “quoted?”"
    work = working_copy(text)
    assert len(work) == len(text)
    assert work.startswith("I'll send it TOMORROW?")
    assert "資料" not in work and "?b=1" not in work and "quoted" not in work
    assert "「" in work and "」" in work          # the marks stay, their inside goes


def test_quoted_email_lines_are_blanked():
    text = "> I'll send the numbers tomorrow\n> Thanks\n\nGot it."
    work = working_copy(text)
    assert work.split("\n")[0].strip() == "" and work.endswith("Got it.")


def test_an_unclosed_quote_is_left_alone():
    text = 'He said "maybe. I\'ll send it tomorrow.'
    assert working_copy(text) == text


def test_sentences_carry_offsets_into_the_text():
    text = "Dr. Smith will call.  Thanks!\n\n田中様\nお世話になっております。資料をお送りします！"
    work = working_copy(text)
    found = sentences(work)
    assert [text[s.start:s.end] for s in found] == [
        "Dr. Smith will call.", "Thanks!", "田中様", "お世話になっております。", "資料をお送りします！"]
    assert [s.lang for s in found] == ["en", "en", "ja", "ja", "ja"]
    for s in found:
        assert work[s.start:s.end] == s.text     # the working copy's slice (！ read as !)


def test_english_clauses_split_at_conjunctions_not_plain_commas():
    [sentence] = sentences("On Friday, I'll send it, but I can't promise more — sorry.")
    clauses = [sentence.text[a - sentence.start:b - sentence.start]
               for a, b in en_clauses(sentence)]
    assert clauses == ["On Friday, I'll send it", "I can't promise more", "sorry."]


def test_language_by_script():
    assert detect_lang("資料を送ります") == "ja"
    assert detect_lang("Rust と Python") == "ja"
    assert detect_lang("東京") == "ja"
    assert detect_lang("I'll send it to 東京 office tomorrow") == "en"
    assert detect_lang("") == "en"


def test_a_forwarded_message_is_someone_elses_text():
    text = "ご参考までに、ヤマブキ商事さんからの案内を転送します。\n---\n弊社は2月1日より新オフィスへ移転いたします。"
    work = working_copy(text)
    assert "転送します" in work and "移転" not in work and len(work) == len(text)
    english = "FYI, see below.\n-----Original Message-----\nWe're moving to Berlin in May."
    assert "Berlin" not in working_copy(english)
    # a separator with no forwarding said before it is the writer's own layout
    own = "Agenda\n---\nI'll send the deck tomorrow."
    assert working_copy(own) == own


def test_many_short_lines_are_read_in_linear_time():
    """A note of thousands of short lines (an e-mail pasted with blank lines): the forward
    check reads it line by line. One regular expression spanning lines took 48 s on 4,800
    characters of this; at the 20,000-character limit this finishes at once."""
    text = "fyi\n" * 1000 + "\n" * 16_000
    assert len(working_copy(text)) == len(text)


# -- the translate-table working copy equals the character-by-character one it replaced ---------

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from companion.services.followup import text as text_module  # noqa: E402


def _reference_working_copy(text: str, *, mask_quotes: bool = True) -> str:
    """The earlier implementation, one character at a time, kept as the specification."""
    chars = [text_module._clean_char(ch) for ch in text]
    cleaned = "".join(chars).translate(str.maketrans({"’": "'", "‘": "'", "＇": "'"}))
    chars = list(cleaned)
    for match in text_module._URL.finditer(cleaned):
        text_module._blank(chars, match.start(), match.end())
    if mask_quotes:
        for match in text_module._QUOTED_LINE.finditer(cleaned):
            text_module._blank(chars, match.start(), match.end())
        forwarded = text_module._forwarded_from(cleaned)
        if forwarded is not None:
            text_module._blank(chars, forwarded, len(chars))
        i = 0
        while i < len(chars):
            close = text_module._QUOTES.get(chars[i])
            if close is not None:
                j = "".join(chars[i + 1:i + 1 + text_module._MAX_QUOTE]).find(close)
                if j >= 0:
                    text_module._blank(chars, i + 1, i + 1 + j)
                    i += j + 2
                    continue
            i += 1
    return "".join(chars)


_PIECES = st.sampled_from([
    "I'll send it", "“quoted”", '"a', 'b"', "「資料」", "『本』", "「開いたまま", "https://x.example/a",
    "www.demo.example", "\n> quoted line\n", "\nFYI forwarding\n---\n", "転送します\n以下転送\n",
    "ＡＢＣ１２３", "\u3000", "\x07", "\x85", "’s", "‘", "＇", "\ud800", "\n", " ", "明日送ります。",
    "x" * 30])


@hsettings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40), st.booleans())
def test_working_copy_equals_the_reference(parts, mask_quotes):
    text = "".join(parts)
    assert (working_copy(text, mask_quotes=mask_quotes)
            == _reference_working_copy(text, mask_quotes=mask_quotes))


def test_a_long_unclosed_quote_is_no_quote_in_both():
    text = "「" + "あ" * 500 + "」 and “ok”"
    assert working_copy(text) == _reference_working_copy(text)
    assert working_copy(text).endswith("“  ”")
