"""One person, one contact (issue 9): the matching core.

* ``names``    — comparison keys of a name: NFKC, honorifics dropped, kanji → kana readings
                 (the shared MeCab tagger), kana → folded Hepburn romaji, either order.
* ``compare``  — ``compare(a, b)``: certain evidence (same e-mail, profile URL, personal site)
                 says *same*; a name match with corroboration says *likely*; reasons for both.
* ``blocking`` — candidate pairs of many records by shared keys (never all pairs), and
                 ``propose(records)``: the likely and certain pairs among them.

Nothing here touches the database: callers pass plain ``Side`` records.
"""
