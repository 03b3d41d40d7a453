"""Every string the web view shows, in Japanese and English.

``t(key, lang, **values)`` gives the string for ``lang`` (ja or en; anything else reads as ja,
the default) with ``{name}`` placeholders filled. A key missing from the table raises KeyError:
a test renders every page in both languages and checks every key the templates use is here.
What the services write themselves (why-now reasons, drafts, guard flags) already comes in both
languages (``{"ja": …, "en": …}``) and is picked by the templates.
"""

from __future__ import annotations

LANGS = ("ja", "en")

TABLE: dict[str, dict[str, str]] = {
    # -- frame ---------------------------------------------------------------------------------
    "app.name": {"ja": "Goen", "en": "Goen"},
    "nav.today": {"ja": "今日", "en": "Today"},
    "nav.contacts": {"ja": "連絡先", "en": "Contacts"},
    "nav.network": {"ja": "ネットワーク", "en": "Network"},
    "nav.events": {"ja": "イベント", "en": "Events"},
    "nav.import": {"ja": "取り込み", "en": "Import"},
    "nav.duplicates": {"ja": "同一人物", "en": "Duplicates"},
    "nav.settings": {"ja": "設定", "en": "Settings"},
    "nav.language": {"ja": "表示言語", "en": "Language"},
    "lang.ja": {"ja": "日本語", "en": "日本語"},
    "lang.en": {"ja": "English", "en": "English"},
    "common.save": {"ja": "保存", "en": "Save"},
    "common.cancel": {"ja": "キャンセル", "en": "Cancel"},
    "common.delete": {"ja": "削除", "en": "Delete"},
    "common.edit": {"ja": "編集", "en": "Edit"},
    "common.add": {"ja": "追加", "en": "Add"},
    "common.none": {"ja": "まだありません。", "en": "Nothing yet."},
    "common.mine": {"ja": "自分", "en": "mine"},
    "common.theirs": {"ja": "相手", "en": "theirs"},
    "common.overdue": {"ja": "期限超過", "en": "overdue"},
    "common.due": {"ja": "期限", "en": "due"},
    "common.no_due": {"ja": "期限なし", "en": "no date"},
    "common.open_source": {"ja": "出典", "en": "source"},
    "common.remove": {"ja": "外す", "en": "Remove"},
    "common.failed": {"ja": "保存できませんでした。もう一度お試しください。",
                      "en": "Could not save; please try again."},
    "common.more_hidden": {"ja": "ほか {count} 件は省略しています。",
                           "en": "{count} more not shown."},
    # -- errors --------------------------------------------------------------------------------
    "error.title": {"ja": "開けません", "en": "Cannot open this page"},
    # Shown without a session: it names no product or command (SECURITY.md, HTTP rule 7: a
    # page probing loopback ports must not learn what listens here).
    "error.no_session": {
        "ja": "このページは、ワンタイムのリンクから開いてください。拡張機能のポップアップで"
              "「ウェブ画面を開く」を選ぶか、ターミナルで open コマンドを実行してください。"
              "リンクは一度だけ・60 秒間有効です。",
        "en": "Open this page through its one-time link: choose \"Open the web view\" in the "
              "extension's popup, or run the open command in a terminal. The link works once, "
              "for 60 seconds."},
    "error.csrf": {"ja": "このページの送信は確認できませんでした。ページを読み込み直して、"
                         "もう一度お試しください。",
                   "en": "This change could not be verified as coming from this page. Reload "
                         "the page and try again."},
    "error.origin": {"ja": "このウェブ画面の外からの変更は受け付けません。",
                     "en": "Changes from outside this web view are refused."},
    "error.not_found": {"ja": "見つかりません。削除されたか、存在しない番号です。",
                        "en": "Not found: it was deleted, or never existed."},
    "error.bad_request": {"ja": "入力を確認してください。", "en": "Please check what you entered."},
    "error.back": {"ja": "今日の画面へ", "en": "Back to Today"},
    # -- today ---------------------------------------------------------------------------------
    "today.title": {"ja": "今日", "en": "Today"},
    "today.date": {"ja": "{date} の提案", "en": "Suggestions for {date}"},
    "today.suggestions": {"ja": "今日連絡したい人", "en": "Whom to write to today"},
    "today.no_suggestions": {"ja": "今日の提案はありません。", "en": "No suggestions today."},
    "today.promises": {"ja": "未完了の約束", "en": "Open promises"},
    "today.questions": {"ja": "返事を待っている質問", "en": "Questions waiting for me"},
    "today.captures": {"ja": "確認が必要な取り込み", "en": "Captures needing attention"},
    "today.no_promises": {"ja": "未完了の約束はありません。", "en": "No open promises."},
    "today.no_questions": {"ja": "待っている質問はありません。", "en": "No questions waiting."},
    "today.no_captures": {"ja": "問題のある取り込みはありません。",
                          "en": "No captures need attention."},
    "today.asked": {"ja": "{date} に質問", "en": "asked {date}"},
    "col.person": {"ja": "相手", "en": "Person"},
    "col.what": {"ja": "内容", "en": "What"},
    "col.whose": {"ja": "誰の", "en": "Whose"},
    "col.due": {"ja": "期限", "en": "Due"},
    "col.page": {"ja": "ページ", "en": "Page"},
    "col.status": {"ja": "状態", "en": "Status"},
    "col.when": {"ja": "日時", "en": "When"},
    "col.problem": {"ja": "問題", "en": "Problem"},
    "capture.failed": {"ja": "失敗", "en": "failed"},
    "capture.needs_attention": {"ja": "未対応のレイアウト", "en": "unknown layout"},
    "capture.parsed": {"ja": "読み取り済み", "en": "read"},
    "capture.received": {"ja": "受信済み", "en": "received"},
    # -- suggestions ---------------------------------------------------------------------------
    "sugg.facts": {"ja": "根拠", "en": "Based on"},
    "sugg.draft": {"ja": "下書き", "en": "Draft"},
    "sugg.missing": {"ja": "下書きに必要な情報", "en": "What a draft needs"},
    "sugg.copy": {"ja": "コピー", "en": "Copy"},
    "sugg.copied": {"ja": "コピーしました", "en": "Copied"},
    "sugg.check_hint": {"ja": "編集すると、定型文になっていないか確認します。",
                        "en": "Edit it and Goen checks it does not read like a template."},
    "sugg.check_ok": {"ja": "この人に向けた内容になっています。",
                      "en": "This reads as written to this person."},
    "sugg.checking": {"ja": "確認中…", "en": "Checking…"},
    "sugg.check_failed": {"ja": "確認できませんでした。", "en": "The check did not run."},
    "sugg.done": {"ja": "済み", "en": "Done"},
    "sugg.dismiss": {"ja": "見送る", "en": "Dismiss"},
    "sugg.acted": {"ja": "記録しました", "en": "Recorded"},
    "sugg.open_profile": {"ja": "{platform} で開く", "en": "Open on {platform}"},
    "sugg.when": {"ja": "日付: {date}", "en": "date: {date}"},
    "sugg.with": {"ja": "紹介先: {name}", "en": "with {name}"},
    "reason.promise_due": {"ja": "約束の期限", "en": "Promise due"},
    "reason.question_waiting": {"ja": "返事待ちの質問", "en": "Question waiting"},
    "reason.change_to_congratulate": {"ja": "お祝いしたい変化", "en": "News to congratulate"},
    "reason.event_upcoming": {"ja": "近づく予定", "en": "Upcoming event"},
    "reason.met_recently": {"ja": "最近会った", "en": "Met recently"},
    "reason.overdue_by_cadence": {"ja": "ご無沙汰", "en": "Overdue"},
    "reason.dormant_with_news": {"ja": "休眠中の人の近況", "en": "News from a dormant tie"},
    "reason.introduction": {"ja": "紹介", "en": "Introduction"},
    "action.answer": {"ja": "返事をする", "en": "Answer"},
    "action.keep_promise": {"ja": "約束を果たす", "en": "Keep the promise"},
    "action.congratulate": {"ja": "お祝いする", "en": "Congratulate"},
    "action.share_interest": {"ja": "関心ごとを共有する", "en": "Share an interest"},
    "action.introduce": {"ja": "紹介する", "en": "Introduce"},
    "action.reconnect": {"ja": "連絡を取り直す", "en": "Reconnect"},
    "source.interaction": {"ja": "メッセージ", "en": "message"},
    "source.note": {"ja": "メモ", "en": "note"},
    "source.capture": {"ja": "取り込み", "en": "capture"},
    # -- person --------------------------------------------------------------------------------
    "person.identities": {"ja": "各サイトのプロフィール", "en": "Profiles on each site"},
    "person.relationship": {"ja": "関係", "en": "Relationship"},
    "person.purpose": {"ja": "この関係の目的", "en": "Why this relationship matters"},
    "person.offer": {"ja": "自分が提供できること", "en": "What I can offer"},
    "person.tier": {"ja": "間柄", "en": "Tier"},
    "person.tier_proposed": {"ja": "やりとりから自動で決める", "en": "Proposed from exchanges"},
    "person.tier_source_user": {"ja": "（手動で設定）", "en": "(set by hand)"},
    "person.tier_source_proposed": {"ja": "（やりとりから提案）",
                                    "en": "(proposed from exchanges)"},
    "person.cadence": {"ja": "連絡の間隔: {days} 日ごと", "en": "Cadence: every {days} days"},
    "person.no_cadence": {"ja": "間柄が決まると連絡の間隔が決まります。",
                          "en": "A cadence applies once a tier is set."},
    "person.last_two_way": {"ja": "最後にやりとりした日: {date}",
                            "en": "Last two-way exchange: {date}"},
    "person.timeline": {"ja": "タイムライン", "en": "Timeline"},
    "person.timeline_more": {"ja": "新しい {shown} 件を表示しています（全 {total} 件）。",
                             "en": "Showing the newest {shown} of {total}."},
    "person.facts": {"ja": "わかっていること", "en": "Facts"},
    "person.ledger": {"ja": "貸し借りの記録", "en": "Give and take"},
    "person.ledger_counts": {"ja": "してあげたこと {given} 件・してもらったこと {received} 件",
                             "en": "{given} given, {received} received"},
    "person.suggestions": {"ja": "提案", "en": "Suggestions"},
    "person.notes": {"ja": "メモ", "en": "Notes"},
    "person.note_new": {"ja": "新しいメモ", "en": "New note"},
    "person.tags": {"ja": "タグ", "en": "Tags"},
    "person.tag_new": {"ja": "タグを追加", "en": "Add a tag"},
    "person.export": {"ja": "この人のデータを書き出す (JSON)", "en": "Export this person (JSON)"},
    "person.delete": {"ja": "この人を削除…", "en": "Delete this person…"},
    "person.photo": {"ja": "{name} の写真", "en": "Photo of {name}"},
    "person.reading": {"ja": "よみ", "en": "Reading"},
    "person.organisation": {"ja": "所属", "en": "Organisation"},
    "person.title_field": {"ja": "役職", "en": "Title"},
    "person.location": {"ja": "地域", "en": "Location"},
    "person.bio": {"ja": "紹介文", "en": "Bio"},
    "timeline.in": {"ja": "受信", "en": "received"},
    "timeline.out": {"ja": "送信", "en": "sent"},
    "timeline.both": {"ja": "対面・双方", "en": "both ways"},
    "timeline.capture": {"ja": "ページを取り込み", "en": "Page captured"},
    "timeline.note": {"ja": "メモ", "en": "Note"},
    "timeline.event": {"ja": "イベントで会った", "en": "Met at an event"},
    "kind.message": {"ja": "メッセージ", "en": "message"},
    "kind.meeting": {"ja": "面会", "en": "meeting"},
    "kind.call": {"ja": "通話", "en": "call"},
    "kind.event": {"ja": "イベント", "en": "event"},
    "kind.email": {"ja": "メール", "en": "email"},
    "kind.other": {"ja": "その他", "en": "other"},
    "fact.promise": {"ja": "約束", "en": "promise"},
    "fact.question": {"ja": "質問", "en": "question"},
    "fact.event": {"ja": "出来事", "en": "event"},
    "fact.change": {"ja": "変化", "en": "change"},
    "fact.interest": {"ja": "関心", "en": "interest"},
    "status.open": {"ja": "未完了", "en": "open"},
    "status.kept": {"ja": "果たした", "en": "kept"},
    "status.answered": {"ja": "回答済み", "en": "answered"},
    "status.done": {"ja": "済み", "en": "done"},
    "status.dismissed": {"ja": "見送り", "en": "dismissed"},
    "flow.given": {"ja": "してあげた", "en": "given"},
    "flow.received": {"ja": "してもらった", "en": "received"},
    "ledger.help": {"ja": "手助け", "en": "help"},
    "ledger.introduction": {"ja": "紹介", "en": "introduction"},
    "ledger.information": {"ja": "情報", "en": "information"},
    "ledger.other": {"ja": "その他", "en": "other"},
    "tier.inner": {"ja": "最も親しい", "en": "Inner"},
    "tier.close": {"ja": "親しい", "en": "Close"},
    "tier.active": {"ja": "やりとりが多い", "en": "Active"},
    "tier.wide": {"ja": "ゆるやか", "en": "Wide"},
    "tier.dormant": {"ja": "休眠中", "en": "Dormant"},
    "tier.none": {"ja": "未設定", "en": "not set"},
    "delete.title": {"ja": "{name} を削除しますか？", "en": "Delete {name}?"},
    "delete.warning": {
        "ja": "この人のプロフィール、メッセージ、取り込んだページ、メモ、タグ、わかっていること、"
              "貸し借りの記録がすべて削除されます。元に戻せません。先に書き出しておくこともできます。",
        "en": "Their profiles, messages, captured pages, notes, tags, facts and ledger are all "
              "deleted. This cannot be undone. You can export them first."},
    "delete.confirm": {"ja": "削除する", "en": "Delete for good"},
    # -- settings ------------------------------------------------------------------------------
    "settings.title": {"ja": "設定", "en": "Settings"},
    "settings.saved": {"ja": "保存しました。", "en": "Saved."},
    "settings.my_profiles": {"ja": "自分のプロフィール", "en": "My own profiles"},
    "settings.my_profiles_help": {
        "ja": "自分のプロフィールの URL を 1 行に 1 つ。自分のメッセージと相手のメッセージを見分けるのに使います。",
        "en": "The URLs of your own profiles, one per line: they tell your messages from "
              "other people's."},
    "settings.cadences": {"ja": "間柄ごとの連絡の間隔（日）", "en": "Cadence per tier (days)"},
    "settings.cadences_help": {
        "ja": "最後のやりとりからこの日数が過ぎると、連絡の提案が出ます。1〜3650 日。",
        "en": "After this many days without an exchange, Goen suggests getting in touch. "
              "1 to 3650 days."},
    "settings.from_setting": {"ja": "設定ファイル・環境変数の値: {value}",
                              "en": "From settings or environment: {value}"},
    "settings.changed_here": {"ja": "ここで変更済み", "en": "changed here"},
    "settings.language": {"ja": "表示言語", "en": "Language"},
    "settings.reset": {"ja": "ここでの変更を取り消し、設定ファイル・環境変数の値に戻す",
                       "en": "Undo the changes made here (back to settings and environment)"},
    "settings.data": {"ja": "データの保存場所", "en": "Data folder"},
    "settings.data_help": {"ja": "この場所は環境変数 GOEN_DATA_DIR で変えられます（ここでは変更できません）。",
                           "en": "Set with the GOEN_DATA_DIR environment variable; it cannot be "
                                 "changed here."},
    "settings.database": {"ja": "データベース", "en": "Database"},
    "settings.pairing": {"ja": "拡張機能との接続と合言葉（トークン）",
                         "en": "Pairing and the token"},
    "settings.token_location": {"ja": "トークンの保存先: {where}", "en": "Token kept in: {where}"},
    "settings.rotate_warning": {
        "ja": "トークンを作り直すと、今の拡張機能は接続できなくなります。作り直したあと、ターミナルで "
              "`goen pair --show` を実行し、表示されたトークンを拡張機能の設定画面に貼り付けて、"
              "もう一度接続してください。このウェブ画面はそのまま使えます。",
        "en": "Making a new token unpairs the extension at once. Afterwards, run "
              "`goen pair --show` in a terminal and paste the token it shows into the "
              "extension's options page to pair again. This web view stays open."},
    "settings.rotate_confirm": {"ja": "拡張機能の接続が切れることを理解しました",
                                "en": "I understand the extension will be unpaired"},
    "settings.rotate": {"ja": "トークンを作り直す", "en": "Make a new token"},
    "settings.rotated": {
        "ja": "新しいトークンを作りました。拡張機能はもう一度接続が必要です（`goen pair --show`）。",
        "en": "A new token was made. The extension must pair again (`goen pair --show`)."},
    "settings.rotate_needs_confirm": {"ja": "確認のチェックを入れてください。",
                                      "en": "Tick the confirmation first."},
    "settings.backups": {"ja": "バックアップ", "en": "Backups"},
    "settings.backups_help": {
        "ja": "毎日 1 回、データベースを自動でバックアップし、新しいものから設定の数だけ残します"
              "（GOEN_BACKUP_KEEP、既定 7）。今すぐのバックアップは goen backup、"
              "元に戻すのは companion を止めてから goen restore ファイル名 です。",
        "en": "The database is backed up automatically once a day, keeping the newest ones "
              "(GOEN_BACKUP_KEEP, 7 by default). Back up now with goen backup; to go back, "
              "stop the companion and run goen restore FILE."},
    "settings.backups_folder": {"ja": "バックアップの保存先: {path}", "en": "Backup folder: {path}"},
    # -- contacts (pages_contacts.py) ----------------------------------------------------------
    "contacts.title": {"ja": "連絡先", "en": "Contacts"},
    "contacts.search": {"ja": "検索", "en": "Search"},
    "contacts.placeholder": {"ja": "名前・よみ・会社・タグ・メモで検索",
                             "en": "Search names, readings, companies, tags, notes"},
    "contacts.tier": {"ja": "関係", "en": "Tier"},
    "contacts.site": {"ja": "サイト", "en": "Site"},
    "contacts.tag": {"ja": "タグ", "en": "Tag"},
    "contacts.any": {"ja": "すべて", "en": "Any"},
    "contacts.not_since": {"ja": "この日から連絡なし", "en": "Not contacted since"},
    "contacts.sort": {"ja": "並び順", "en": "Sort"},
    "contacts.sort.name": {"ja": "よみ順", "en": "Name"},
    "contacts.sort.recent": {"ja": "最近のやりとり順", "en": "Last exchange"},
    "contacts.sort.added": {"ja": "追加した順", "en": "Recently added"},
    "contacts.sort.tier": {"ja": "関係の近い順", "en": "Tier"},
    "contacts.total": {"ja": "{count} 人", "en": "{count} people"},
    "contacts.col.name": {"ja": "名前", "en": "Name"},
    "contacts.col.work": {"ja": "仕事", "en": "Work"},
    "contacts.col.last": {"ja": "最後のやりとり", "en": "Last exchange"},
    "contacts.never": {"ja": "まだ", "en": "not yet"},
    "contacts.none": {"ja": "該当する連絡先はありません。", "en": "No contact matches."},
    "contacts.next": {"ja": "次のページ →", "en": "Next page →"},
    "contacts.first": {"ja": "← 最初のページ", "en": "← First page"},
    "contacts.bad_field": {"ja": "検索条件「{field}」が正しくないため、条件なしで表示しています。",
                           "en": "The search field “{field}” was not valid, so everyone is shown."},
    # -- events (pages_events.py) --------------------------------------------------------------
    "events.title": {"ja": "イベント・コミュニティ", "en": "Events and communities"},
    "events.intro": {"ja": "勉強会、交流会、カンファレンスなど、誰とどこで会ったか。同じイベントで会った人は"
                           "ネットワークでつながり、各人のタイムラインにも出ます。",
                     "en": "Study groups, meetups, conferences: who you met where. People met at "
                           "the same event are linked in the network and the event shows in "
                           "their timelines."},
    "events.search": {"ja": "イベント名・場所で検索", "en": "Search names and places"},
    "events.kind": {"ja": "種類", "en": "Kind"},
    "events.date": {"ja": "日付", "en": "Date"},
    "events.name": {"ja": "イベント名", "en": "Name"},
    "events.place": {"ja": "場所", "en": "Place"},
    "events.url": {"ja": "リンク", "en": "Link"},
    "events.link": {"ja": "イベントのページ", "en": "event page"},
    "events.notes": {"ja": "メモ", "en": "Notes"},
    "events.people": {"ja": "会った人", "en": "People met"},
    "events.none": {"ja": "まだイベントはありません。", "en": "No events yet."},
    "events.older": {"ja": "さらに前のイベント →", "en": "Older events →"},
    "events.new": {"ja": "イベントを追加", "en": "Add an event"},
    "events.edit": {"ja": "イベントを編集", "en": "Edit this event"},
    "events.met": {"ja": "ここで会った人", "en": "People you met here"},
    "events.nobody": {"ja": "まだ誰も追加されていません。", "en": "Nobody added yet."},
    "events.who": {"ja": "会った人", "en": "Who"},
    "events.who_hint": {"ja": "名前・よみ", "en": "A name or reading"},
    "events.person_note": {"ja": "ひとこと", "en": "Note"},
    "events.person_note_hint": {"ja": "話したこと（例: 物流でのRust活用）",
                                "en": "What you talked about (e.g. Rust in logistics)"},
    "events.delete_confirm": {"ja": "このイベントを削除します（会った人の記録も消えます）",
                              "en": "Delete this event (and who was met there)"},
    # -- network (pages_network.py) ------------------------------------------------------------
    "network.title": {"ja": "ネットワーク", "en": "Network"},
    "network.colour_by": {"ja": "色分け", "en": "Colour by"},
    "network.by_tier": {"ja": "関係の近さ", "en": "Tier"},
    "network.by_community": {"ja": "つながりのまとまり", "en": "Community"},
    "network.links": {"ja": "つながり", "en": "Links"},
    "network.kind.introduced_by": {"ja": "紹介", "en": "Introduced"},
    "network.kind.mutual": {"ja": "共通のつながり", "en": "Mutual connection"},
    "network.kind.same_event": {"ja": "同じイベント", "en": "Same event"},
    "network.kind.same_org": {"ja": "同じ組織", "en": "Same organisation"},
    "network.min_strength": {"ja": "関係の強さ（下限）", "en": "Tie strength at least"},
    "network.reach": {"ja": "この人につながるには？", "en": "How can I reach…?"},
    "network.reach_placeholder": {"ja": "名前を入力", "en": "Type a name"},
    "network.reach_go": {"ja": "経路を探す", "en": "Find paths"},
    "network.no_path": {"ja": "知り合いを通じた経路は見つかりませんでした。",
                        "en": "No path through people you know."},
    "network.unknown_person": {"ja": "その名前の人はネットワークにいません。一覧から選んでください。",
                               "en": "Nobody by that name in the network: pick one from the list."},
    "network.copied": {"ja": "コピーしました", "en": "Copied"},
    "network.loading": {"ja": "ネットワークを読み込んでいます…", "en": "Loading the network…"},
    "network.failed": {"ja": "ネットワークを表示できませんでした。", "en": "Could not show the network."},
    "network.count": {"ja": "{people} 人・{links} 本のつながり", "en": "{people} people, {links} links"},
    # -- import (pages_import.py) --------------------------------------------------------------
    "import.title": {"ja": "データの取り込み", "en": "Import data"},
    "import.intro": {
        "ja": "ほかのサービスからダウンロードしたデータ（zip のまま、または CSV・JSON・vCard の"
              "ファイル）を選ぶと、連絡先とやり取りを Goen に取り込みます。ファイルはこのパソコンの"
              "中だけで読み、取り込みが終わると消します。",
        "en": "Choose a data export downloaded from another service (the zip as it came, or a "
              "CSV, JSON or vCard file) and its people and messages are imported into Goen. The "
              "file is read on this computer only and deleted once the import is over."},
    "import.file": {"ja": "取り込むファイル", "en": "File to import"},
    "import.limit": {"ja": "{mb} MB まで（設定 GOEN_MAX_UPLOAD_BYTES）。それより大きいものは"
                           "ターミナルで goen import を使ってください。",
                     "en": "Up to {mb} MB (setting GOEN_MAX_UPLOAD_BYTES). For a larger one, "
                           "run goen import in a terminal."},
    "import.submit": {"ja": "取り込む", "en": "Import"},
    "import.uploading": {"ja": "送信しています…", "en": "Uploading…"},
    "import.importing": {"ja": "取り込んでいます…（大きなファイルは数分かかります）",
                         "en": "Importing… (a large file takes a few minutes)"},
    "import.connection_failed": {"ja": "送信できませんでした。コンパニオンが動いているか確かめて、"
                                       "もう一度お試しください。",
                                 "en": "The file could not be sent. Check that the companion "
                                       "is running and try again."},
    "import.done": {"ja": "取り込みが終わりました", "en": "Import finished"},
    "import.running": {"ja": "取り込み中", "en": "Importing"},
    "import.waiting": {"ja": "前の取り込みが終わるのを待っています…",
                       "en": "Waiting for the previous import to finish…"},
    "import.read_percent": {"ja": "{percent} % 読み込みました", "en": "{percent} % read"},
    "import.finishing": {"ja": "仕上げています（同一人物の確認など）…",
                         "en": "Finishing (looking for the same person twice)…"},
    "import.leave_ok": {"ja": "このページを離れても取り込みは続きます。",
                        "en": "The import goes on if you leave this page."},
    "import.job_unknown": {"ja": "この取り込みは見つかりません（コンパニオンを再起動すると消えます）。",
                           "en": "This import is not known (imports are forgotten when the "
                                 "companion restarts)."},
    "import.created": {"ja": "新しく作成した連絡先", "en": "Contacts created"},
    "import.updated": {"ja": "更新した連絡先", "en": "Contacts updated"},
    "import.merged": {"ja": "統合した連絡先", "en": "Contacts merged"},
    "dup.title": {"ja": "同一人物の候補", "en": "The same person twice?"},
    "dup.intro": {"ja": "サイトをまたいで同じ人と思われる連絡先です。確実な一致（同じメール・同じプロフィール URL）は"
                        "自動で統合済みです。ここにあるのは確認が必要なものだけです。統合はいつでも元に戻せます。",
                  "en": "Contacts that look like one person across sites. Certain matches (the same "
                        "e-mail, the same profile URL) were merged already; only the ones that need "
                        "your eye are here. Every merge can be undone."},
    "dup.none": {"ja": "確認待ちの候補はありません。", "en": "Nothing to review."},
    "dup.refresh": {"ja": "今すぐ探す", "en": "Look again now"},
    "dup.confidence": {"ja": "確からしさ", "en": "Confidence"},
    "dup.why": {"ja": "理由", "en": "Why"},
    "dup.keep": {"ja": "残す連絡先", "en": "Keep"},
    "dup.accept": {"ja": "同じ人：統合する", "en": "Same person: merge"},
    "dup.reject": {"ja": "今はしない", "en": "Not now"},
    "dup.not_same": {"ja": "別の人", "en": "Not the same person"},
    "dup.more": {"ja": "次の候補", "en": "More"},
    "dup.merges": {"ja": "最近の統合", "en": "Recent merges"},
    "dup.merged_into": {"ja": "{merged} を {kept} に統合", "en": "{merged} merged into {kept}"},
    "dup.reason_user": {"ja": "手動", "en": "by you"},
    "dup.reason_certain": {"ja": "確実な一致", "en": "certain match"},
    "dup.undo": {"ja": "元に戻す", "en": "Undo"},
    "dup.undone": {"ja": "元に戻しました", "en": "undone"},
    "dup.blocked": {"ja": "後の統合を先に戻してください", "en": "undo the later merge first"},
    "import.duplicates_merged": {"ja": "同一人物として統合", "en": "Merged as the same person"},
    "import.duplicates_proposed": {"ja": "同一人物の候補（確認待ち）",
                                   "en": "Possible duplicates to review"},
    "import.review_duplicates": {"ja": "確認する", "en": "Review"},
    "import.interactions_added": {"ja": "追加したやり取り", "en": "Interactions added"},
    "import.skipped": {"ja": "スキップした行", "en": "Rows skipped"},
    "import.skipped_reasons": {"ja": "スキップした理由", "en": "Why rows were skipped"},
    "import.for_example": {"ja": "例:", "en": "e.g."},
    "import.see_contacts": {"ja": "連絡先を見る", "en": "See your contacts"},
    "import.failed": {"ja": "取り込めませんでした", "en": "The file could not be imported"},
    "import.kept": {"ja": "ほかのデータはそのままです。途中まで取り込んだ分は残っています"
                          "（同じファイルをもう一度取り込んでも重複しません）。",
                    "en": "Nothing else was touched. What was imported before the problem is "
                          "kept (importing the same file again adds no duplicates)."},
    "import.no_file": {"ja": "ファイルが選ばれていません。", "en": "No file was chosen."},
    "import.unexpected": {"ja": "取り込みの途中で予期しない問題が起きました（ログに記録しました）。",
                          "en": "Something unexpected went wrong during the import (it was "
                                "logged)."},
    "import.formats": {"ja": "取り込める形式", "en": "What Goen can import"},
    "import.again": {"ja": "同じファイルを二度取り込んでも、何も増えません。",
                     "en": "Importing the same file twice adds nothing."},
    "import.cli": {"ja": "ターミナルからは goen import ファイル名 で同じことができます。",
                   "en": "The same from a terminal: goen import FILE."},
    "import.format.linkedin": {
        "ja": "LinkedIn のデータエクスポート（zip、または Connections.csv・messages.csv など）",
        "en": "LinkedIn's data export (the zip, or Connections.csv, messages.csv, …)"},
    "import.format.mastodon": {
        "ja": "Mastodon のエクスポート（following_accounts.csv、lists.csv）",
        "en": "Mastodon's export (following_accounts.csv, lists.csv)"},
    "import.format.goen_json": {
        "ja": "Goen の JSON エクスポート（goen export、空のデータベースにだけ）",
        "en": "Goen's own JSON export (goen export; into an empty database only)"},
    "import.format.facebook": {
        "ja": "Facebook の「個人データをダウンロード」（JSON 形式の zip）",
        "en": "Facebook's \"Download your information\" (the zip, JSON format)"},
    "import.format.google_csv": {
        "ja": "Google コンタクトの CSV（Google CSV 形式で書き出したもの）",
        "en": "Google Contacts' CSV (exported as Google CSV)"},
    "import.format.x": {
        "ja": "X（Twitter）のアーカイブ（zip、または data/*.js）",
        "en": "X's (Twitter's) archive (the zip, or its data/*.js files)"},
    "import.format.vcard": {
        "ja": "vCard（.vcf：iPhone・Android・Google コンタクトの書き出し）",
        "en": "vCard (.vcf: exported from iPhone, Android or Google Contacts)"},
    "settings.import": {"ja": "データの取り込み", "en": "Import data"},
    "settings.import_help": {"ja": "LinkedIn などのデータエクスポートや vCard をアップロードして取り込みます。",
                             "en": "Upload a data export (LinkedIn and others) or a vCard file "
                                   "to import it."},
}


def t(key: str, lang: str = "ja", **values) -> str:
    entry = TABLE[key]
    text = entry["en"] if lang == "en" else entry["ja"]
    return text.format(**values) if values else text


def both(key: str) -> dict[str, str]:
    return dict(TABLE[key])
