-- Contact search (services/search.py; issue 7): one normalised text per contact in an FTS5 table
-- with the trigram tokenizer, kept in step by triggers on every table it is made of, so that
-- every writer (captures, imports, the API, the CLI, a hand-made SQL session) keeps it right
-- without knowing about it. Filled for the contacts already there near the end of this file.

-- The text, before folding. First the contact's sort_key, on a line of its own: folded with the
-- rest and written back (the folding trigger), so that katakana readings sort with hiragana.
-- (sort_key is not among the columns that wake the trigger on contacts: the write-back would
-- wake it again. Every writer changes it with the name or reading, which do.)
-- Then the text to index: the name (also without spaces, so 山田太郎 finds 山田 太郎), family +
-- given name, the reading (also without spaces), organisation, headline, title, location, each
-- identity's handle and display name, the tags and the notes. Each starts on a new line: a query
-- word never holds a space or a line break, so it cannot match across two fields, and a line
-- break marks the start of a word for one- and two-letter words (services/search.py).
CREATE VIEW contacts_search_raw AS
SELECT c.id AS id,
    replace(c.sort_key, char(10), ' ') || char(10) || c.display_name || char(10)
    || replace(replace(c.display_name, ' ', ''), '　', '') || char(10)
    || COALESCE(c.family_name, '') || COALESCE(c.given_name, '') || char(10)
    || COALESCE(c.reading, '') || char(10)
    || COALESCE(replace(replace(c.reading, ' ', ''), '　', ''), '') || char(10)
    || COALESCE(c.organisation, '') || char(10)
    || COALESCE(c.headline, '') || char(10)
    || COALESCE(c.title, '') || char(10)
    || COALESCE(c.location, '') || char(10)
    || COALESCE((SELECT group_concat(COALESCE(i.handle, '') || ' ' || COALESCE(i.display_name, ''),
                                     char(10))
                 FROM identities i WHERE i.contact_id = c.id), '') || char(10)
    || COALESCE((SELECT group_concat(t.name, char(10)) FROM contact_tags ct
                 JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') || char(10)
    || COALESCE((SELECT group_concat(n.body, char(10)) FROM notes n
                 WHERE n.contact_id = c.id), '') AS t
FROM contacts c;

-- The index. rowid = contacts.id; doc = the folded text (also what one- and two-character words
-- are looked for in, with instr and GLOB: trigrams need three characters).
CREATE VIRTUAL TABLE contacts_fts USING fts5 (doc, tokenize = 'trigram');

-- A contact's text waits here, only while the trigger below folds it: always empty otherwise.
CREATE TABLE contacts_search_queue (id INTEGER PRIMARY KEY, t TEXT NOT NULL);

-- Folding (services/search.py FOLD_LEVELS; the part between the GENERATED marks is what
-- search.fold_trigger_sql() writes, and a test checks it still is): half-width katakana and
-- full-width ASCII as NFKC has them, katakana to hiragana everywhere, combining voiced marks
-- joined, ㈱ ① and the like, capitals to small letters. One UPDATE per 20 replacements, because
-- SQLite's parser cannot nest more replace() calls than that in one expression; each asks GLOB
-- first whether there is anything to replace. The query is folded the same way in Python
-- (search.normalise). The sort_key comes back folded too (only when that changes it).
-- BEGIN GENERATED
CREATE TRIGGER contacts_search_fold AFTER INSERT ON contacts_search_queue
BEGIN
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ｦﾞ', 'ヺ'), 'ｳﾞ', 'ゔ'), 'ｶﾞ', 'が'), 'ｷﾞ', 'ぎ'), 'ｸﾞ', 'ぐ'), 'ｹﾞ', 'げ'), 'ｺﾞ', 'ご'), 'ｻﾞ', 'ざ'), 'ｼﾞ', 'じ'), 'ｽﾞ', 'ず'), 'ｾﾞ', 'ぜ'), 'ｿﾞ', 'ぞ'), 'ﾀﾞ', 'だ'), 'ﾁﾞ', 'ぢ'), 'ﾂﾞ', 'づ'), 'ﾃﾞ', 'で'), 'ﾄﾞ', 'ど'), 'ﾊﾞ', 'ば'), 'ﾊﾟ', 'ぱ'), 'ﾋﾞ', 'び')
        WHERE id = NEW.id AND t GLOB '*[ｦｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(t, 'ﾋﾟ', 'ぴ'), 'ﾌﾞ', 'ぶ'), 'ﾌﾟ', 'ぷ'), 'ﾍﾞ', 'べ'), 'ﾍﾟ', 'ぺ'), 'ﾎﾞ', 'ぼ'), 'ﾎﾟ', 'ぽ'), 'ﾜﾞ', 'ヷ')
        WHERE id = NEW.id AND t GLOB '*[ﾋﾌﾍﾎﾜ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, '｡', '。'), '｢', '「'), '｣', '」'), '､', '、'), '･', '・'), 'ｦ', 'を'), 'ｧ', 'ぁ'), 'ｨ', 'ぃ'), 'ｩ', 'ぅ'), 'ｪ', 'ぇ'), 'ｫ', 'ぉ'), 'ｬ', 'ゃ'), 'ｭ', 'ゅ'), 'ｮ', 'ょ'), 'ｯ', 'っ'), 'ｰ', 'ー'), 'ｱ', 'あ'), 'ｲ', 'い'), 'ｳ', 'う'), 'ｴ', 'え')
        WHERE id = NEW.id AND t GLOB '*[｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ｵ', 'お'), 'ｶ', 'か'), 'ｷ', 'き'), 'ｸ', 'く'), 'ｹ', 'け'), 'ｺ', 'こ'), 'ｻ', 'さ'), 'ｼ', 'し'), 'ｽ', 'す'), 'ｾ', 'せ'), 'ｿ', 'そ'), 'ﾀ', 'た'), 'ﾁ', 'ち'), 'ﾂ', 'つ'), 'ﾃ', 'て'), 'ﾄ', 'と'), 'ﾅ', 'な'), 'ﾆ', 'に'), 'ﾇ', 'ぬ'), 'ﾈ', 'ね')
        WHERE id = NEW.id AND t GLOB '*[ｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ﾉ', 'の'), 'ﾊ', 'は'), 'ﾋ', 'ひ'), 'ﾌ', 'ふ'), 'ﾍ', 'へ'), 'ﾎ', 'ほ'), 'ﾏ', 'ま'), 'ﾐ', 'み'), 'ﾑ', 'む'), 'ﾒ', 'め'), 'ﾓ', 'も'), 'ﾔ', 'や'), 'ﾕ', 'ゆ'), 'ﾖ', 'よ'), 'ﾗ', 'ら'), 'ﾘ', 'り'), 'ﾙ', 'る'), 'ﾚ', 'れ'), 'ﾛ', 'ろ'), 'ﾜ', 'わ')
        WHERE id = NEW.id AND t GLOB '*[ﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(t, 'ﾝ', 'ん'), 'ﾞ', '゙'), 'ﾟ', '゚')
        WHERE id = NEW.id AND t GLOB '*[ﾝﾞﾟ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, '！', '!'), '＂', '"'), '＃', '#'), '＄', '$'), '％', '%'), '＆', '&'), '＇', ''''), '（', '('), '）', ')'), '＊', '*'), '＋', '+'), '，', ','), '－', '-'), '．', '.'), '／', '/'), '０', '0'), '１', '1'), '２', '2'), '３', '3'), '４', '4')
        WHERE id = NEW.id AND t GLOB '*[！＂＃＄％＆＇（）＊＋，－．／０１２３４]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, '５', '5'), '６', '6'), '７', '7'), '８', '8'), '９', '9'), '：', ':'), '；', ';'), '＜', '<'), '＝', '='), '＞', '>'), '？', '?'), '＠', '@'), 'Ａ', 'A'), 'Ｂ', 'B'), 'Ｃ', 'C'), 'Ｄ', 'D'), 'Ｅ', 'E'), 'Ｆ', 'F'), 'Ｇ', 'G'), 'Ｈ', 'H')
        WHERE id = NEW.id AND t GLOB '*[５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'Ｉ', 'I'), 'Ｊ', 'J'), 'Ｋ', 'K'), 'Ｌ', 'L'), 'Ｍ', 'M'), 'Ｎ', 'N'), 'Ｏ', 'O'), 'Ｐ', 'P'), 'Ｑ', 'Q'), 'Ｒ', 'R'), 'Ｓ', 'S'), 'Ｔ', 'T'), 'Ｕ', 'U'), 'Ｖ', 'V'), 'Ｗ', 'W'), 'Ｘ', 'X'), 'Ｙ', 'Y'), 'Ｚ', 'Z'), '［', '['), '＼', '\')
        WHERE id = NEW.id AND t GLOB '*[ＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, '］', ']'), '＾', '^'), '＿', '_'), '｀', '`'), 'ａ', 'a'), 'ｂ', 'b'), 'ｃ', 'c'), 'ｄ', 'd'), 'ｅ', 'e'), 'ｆ', 'f'), 'ｇ', 'g'), 'ｈ', 'h'), 'ｉ', 'i'), 'ｊ', 'j'), 'ｋ', 'k'), 'ｌ', 'l'), 'ｍ', 'm'), 'ｎ', 'n'), 'ｏ', 'o'), 'ｐ', 'p')
        WHERE id = NEW.id AND t GLOB '*[］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ｑ', 'q'), 'ｒ', 'r'), 'ｓ', 's'), 'ｔ', 't'), 'ｕ', 'u'), 'ｖ', 'v'), 'ｗ', 'w'), 'ｘ', 'x'), 'ｙ', 'y'), 'ｚ', 'z'), '｛', '{'), '｜', '|'), '｝', '}'), '～', '~'), '｟', '⦅'), '｠', '⦆'), '￠', '¢'), '￡', '£'), '￢', '¬'), '￣', ' ̄')
        WHERE id = NEW.id AND t GLOB '*[ｑｒｓｔｕｖｗｘｙｚ｛｜｝～｟｠￠￡￢￣]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, '￤', '¦'), '￥', '¥'), '￦', '₩'), '￨', '│'), '￩', '←'), '￪', '↑'), '￫', '→'), '￬', '↓'), '￭', '■'), '￮', '○'), '　', ' ')
        WHERE id = NEW.id AND t GLOB '*[　￤￥￦￨￩￪￫￬￭￮]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ァ', 'ぁ'), 'ア', 'あ'), 'ィ', 'ぃ'), 'イ', 'い'), 'ゥ', 'ぅ'), 'ウ', 'う'), 'ェ', 'ぇ'), 'エ', 'え'), 'ォ', 'ぉ'), 'オ', 'お'), 'カ', 'か'), 'ガ', 'が'), 'キ', 'き'), 'ギ', 'ぎ'), 'ク', 'く'), 'グ', 'ぐ'), 'ケ', 'け'), 'ゲ', 'げ'), 'コ', 'こ'), 'ゴ', 'ご')
        WHERE id = NEW.id AND t GLOB '*[ァアィイゥウェエォオカガキギクグケゲコゴ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'サ', 'さ'), 'ザ', 'ざ'), 'シ', 'し'), 'ジ', 'じ'), 'ス', 'す'), 'ズ', 'ず'), 'セ', 'せ'), 'ゼ', 'ぜ'), 'ソ', 'そ'), 'ゾ', 'ぞ'), 'タ', 'た'), 'ダ', 'だ'), 'チ', 'ち'), 'ヂ', 'ぢ'), 'ッ', 'っ'), 'ツ', 'つ'), 'ヅ', 'づ'), 'テ', 'て'), 'デ', 'で'), 'ト', 'と')
        WHERE id = NEW.id AND t GLOB '*[サザシジスズセゼソゾタダチヂッツヅテデト]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ド', 'ど'), 'ナ', 'な'), 'ニ', 'に'), 'ヌ', 'ぬ'), 'ネ', 'ね'), 'ノ', 'の'), 'ハ', 'は'), 'バ', 'ば'), 'パ', 'ぱ'), 'ヒ', 'ひ'), 'ビ', 'び'), 'ピ', 'ぴ'), 'フ', 'ふ'), 'ブ', 'ぶ'), 'プ', 'ぷ'), 'ヘ', 'へ'), 'ベ', 'べ'), 'ペ', 'ぺ'), 'ホ', 'ほ'), 'ボ', 'ぼ')
        WHERE id = NEW.id AND t GLOB '*[ドナニヌネノハバパヒビピフブプヘベペホボ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ポ', 'ぽ'), 'マ', 'ま'), 'ミ', 'み'), 'ム', 'む'), 'メ', 'め'), 'モ', 'も'), 'ャ', 'ゃ'), 'ヤ', 'や'), 'ュ', 'ゅ'), 'ユ', 'ゆ'), 'ョ', 'ょ'), 'ヨ', 'よ'), 'ラ', 'ら'), 'リ', 'り'), 'ル', 'る'), 'レ', 'れ'), 'ロ', 'ろ'), 'ヮ', 'ゎ'), 'ワ', 'わ'), 'ヰ', 'ゐ')
        WHERE id = NEW.id AND t GLOB '*[ポマミムメモャヤュユョヨラリルレロヮワヰ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(t, 'ヱ', 'ゑ'), 'ヲ', 'を'), 'ン', 'ん'), 'ヴ', 'ゔ'), 'ヵ', 'ゕ'), 'ヶ', 'ゖ'), 'ヽ', 'ゝ'), 'ヾ', 'ゞ')
        WHERE id = NEW.id AND t GLOB '*[ヱヲンヴヵヶヽヾ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'ゔ', 'ゔ'), 'が', 'が'), 'ぎ', 'ぎ'), 'ぐ', 'ぐ'), 'げ', 'げ'), 'ご', 'ご'), 'ざ', 'ざ'), 'じ', 'じ'), 'ず', 'ず'), 'ぜ', 'ぜ'), 'ぞ', 'ぞ'), 'だ', 'だ'), 'ぢ', 'ぢ'), 'づ', 'づ'), 'で', 'で'), 'ど', 'ど'), 'ば', 'ば'), 'ぱ', 'ぱ'), 'び', 'び'), 'ぴ', 'ぴ')
        WHERE id = NEW.id AND t GLOB '*[うかきくけこさしすせそたちつてとはひ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(t, 'ぶ', 'ぶ'), 'ぷ', 'ぷ'), 'べ', 'べ'), 'ぺ', 'ぺ'), 'ぼ', 'ぼ'), 'ぽ', 'ぽ'), 'ゞ', 'ゞ')
        WHERE id = NEW.id AND t GLOB '*[ふへほゝ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, '①', '1'), '②', '2'), '③', '3'), '④', '4'), '⑤', '5'), '⑥', '6'), '⑦', '7'), '⑧', '8'), '⑨', '9'), '⑩', '10'), '⑪', '11'), '⑫', '12'), '⑬', '13'), '⑭', '14'), '⑮', '15'), '⑯', '16'), '⑰', '17'), '⑱', '18'), '⑲', '19'), '⑳', '20')
        WHERE id = NEW.id AND t GLOB '*[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(t, '㈱', '(株)'), '㈲', '(有)'), '㈹', '(代)'), '㍿', '株式会社')
        WHERE id = NEW.id AND t GLOB '*[㈱㈲㈹㍿]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'À', 'à'), 'Á', 'á'), 'Â', 'â'), 'Ã', 'ã'), 'Ä', 'ä'), 'Å', 'å'), 'Æ', 'æ'), 'Ç', 'ç'), 'È', 'è'), 'É', 'é'), 'Ê', 'ê'), 'Ë', 'ë'), 'Ì', 'ì'), 'Í', 'í'), 'Î', 'î'), 'Ï', 'ï'), 'Ð', 'ð'), 'Ñ', 'ñ'), 'Ò', 'ò'), 'Ó', 'ó')
        WHERE id = NEW.id AND t GLOB '*[ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓ]*';
    UPDATE contacts_search_queue SET t = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'Ô', 'ô'), 'Õ', 'õ'), 'Ö', 'ö'), 'Ø', 'ø'), 'Ù', 'ù'), 'Ú', 'ú'), 'Û', 'û'), 'Ü', 'ü'), 'Ý', 'ý'), 'Þ', 'þ')
        WHERE id = NEW.id AND t GLOB '*[ÔÕÖØÙÚÛÜÝÞ]*';
    INSERT INTO contacts_fts (rowid, doc)
        SELECT id, lower(substr(t, instr(t, char(10)))) FROM contacts_search_queue
        WHERE id = NEW.id;
    UPDATE contacts SET sort_key = (SELECT lower(substr(t, 1, instr(t, char(10)) - 1))
            FROM contacts_search_queue WHERE id = NEW.id)
        WHERE id = NEW.id AND sort_key IS NOT (SELECT lower(substr(t, 1, instr(t, char(10)) - 1))
            FROM contacts_search_queue WHERE id = NEW.id);
    DELETE FROM contacts_search_queue WHERE id = NEW.id;
END;
-- END GENERATED



-- Kept in step. Each trigger rewrites the whole row of the contact concerned: a contact's text
-- is small, and one rule for every change is easier to keep right than a patch per column. A
-- contact that no longer exists (deleted, its identities and notes going with it) just loses
-- its row.
CREATE TRIGGER contacts_search_contact_added
    AFTER INSERT ON contacts
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.id;
END;
CREATE TRIGGER contacts_search_contact_changed
    AFTER UPDATE OF display_name, family_name, given_name, reading,
    organisation, headline, title, location ON contacts
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.id;
END;
CREATE TRIGGER contacts_search_contact_deleted
    AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.id;
END;
CREATE TRIGGER contacts_search_identity_added
    AFTER INSERT ON identities
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contacts_search_identity_changed
    AFTER UPDATE OF contact_id, handle, display_name
    ON identities
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id;
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contacts_search_identity_deleted
    AFTER DELETE ON identities
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id;
END;
CREATE TRIGGER contacts_search_note_added
    AFTER INSERT ON notes
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contacts_search_note_changed
    AFTER UPDATE OF contact_id, body ON notes
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id;
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contacts_search_note_deleted
    AFTER DELETE ON notes
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id;
END;
CREATE TRIGGER contacts_search_tag_linked
    AFTER INSERT ON contact_tags
BEGIN
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contacts_search_tag_relinked
    AFTER UPDATE ON contact_tags
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id;
    DELETE FROM contacts_fts WHERE rowid = NEW.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = NEW.contact_id;
END;
CREATE TRIGGER contacts_search_tag_unlinked
    AFTER DELETE ON contact_tags
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.contact_id;
    INSERT INTO contacts_search_queue (id, t)
        SELECT id, t FROM contacts_search_raw WHERE id = OLD.contact_id;
END;

-- A renamed tag changes the text of everyone who has it (a deleted tag takes its contact_tags
-- rows with it, and their trigger does the rest).
CREATE TRIGGER contacts_search_tag_renamed
    AFTER UPDATE OF name ON tags
BEGIN
    DELETE FROM contacts_fts
        WHERE rowid IN (SELECT contact_id FROM contact_tags WHERE tag_id = NEW.id);
    INSERT INTO contacts_search_queue (id, t) SELECT id, t FROM contacts_search_raw
        WHERE id IN (SELECT contact_id FROM contact_tags WHERE tag_id = NEW.id);
END;

-- The contacts already there.
INSERT INTO contacts_search_queue (id, t) SELECT id, t FROM contacts_search_raw;

-- One index per sort of the contacts list (name has contacts_sort already), written exactly as
-- services/search.py writes its sort keys, so that a page is read from the index in order and
-- stops after its last row instead of sorting every contact.
CREATE INDEX contacts_recent ON contacts (COALESCE(last_two_way_at, ''), id);
CREATE INDEX contacts_added ON contacts (created_at, id);
CREATE INDEX contacts_by_tier ON contacts (
    CASE COALESCE(tier, 'wide') WHEN 'inner' THEN 0 WHEN 'close' THEN 1 WHEN 'active' THEN 2
    WHEN 'wide' THEN 3 ELSE 4 END, sort_key, id);
