#!/usr/bin/env python3
"""A seeded synthetic network for the benchmarks: contacts, identities, interactions, captures.

    python bench/gen_network.py --data-dir DIR [--contacts 10000 --identities-per-contact 3
                                                --interactions 1000000 --captures 50000 --seed 1]

or, from Python, ``generate(db, contacts=..., ...)``. Everything here is made up; no real person.

How it writes (see bench/README.md):

* contacts and identities go through ``companion.services.identity.resolve_profile`` inside
  ``db.transaction()`` batches (500 people a transaction), so identities get canonical URLs and
  contacts their sort keys exactly as real captures give them. A person's first identity creates
  the contact; each further one is "captured" with a rel=me link to the first, so the identity
  service attaches it to the same contact.
* captures and interactions are bulk rows (plain parameterised ``executemany``, 10,000 rows a
  call, 100,000 a transaction), with the same columns the capture service writes.

The data folder gets ``goen.sqlite3`` (the companion's database name, so ``goen serve`` with
``GOEN_DATA_DIR=DIR`` serves it), ``bench-identities.tsv`` (contact id, platform, the URL the
generator gave, language: the truth the lookup bench checks answers against) and, last,
``bench-network.json`` (parameters, counts, timings; its presence means the data is complete).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from companion.adapters.base import Profile  # noqa: E402
from companion.db import Database  # noqa: E402
from companion.services.identity import resolve_profile  # noqa: E402
from companion.urls import canonical_url  # noqa: E402

DEFAULTS = dict(contacts=10_000, identities_per_contact=3, interactions=1_000_000,
                captures=50_000, seed=1)
MANIFEST = "bench-network.json"
TRUTH = "bench-identities.tsv"
GENERATOR_VERSION = 1          # bump when the generated data changes shape

PEOPLE_PER_TRANSACTION = 500
ROWS_PER_EXECUTEMANY = 10_000
ROWS_PER_TRANSACTION = 100_000
ZLIB_LEVEL = 1                 # as companion.services.capture

END = datetime(2026, 11, 26, tzinfo=timezone.utc)
START = END - timedelta(days=5 * 365)
END_TS, START_TS = END.timestamp(), START.timestamp()

# -- names, companies, places -------------------------------------------------------------------

JP_FAMILY = [  # kanji, kana reading, romaji
    ("佐藤", "さとう", "sato"), ("鈴木", "すずき", "suzuki"), ("高橋", "たかはし", "takahashi"),
    ("田中", "たなか", "tanaka"), ("伊藤", "いとう", "ito"), ("渡辺", "わたなべ", "watanabe"),
    ("山本", "やまもと", "yamamoto"), ("中村", "なかむら", "nakamura"),
    ("小林", "こばやし", "kobayashi"), ("加藤", "かとう", "kato"), ("吉田", "よしだ", "yoshida"),
    ("山田", "やまだ", "yamada"), ("佐々木", "ささき", "sasaki"), ("山口", "やまぐち", "yamaguchi"),
    ("松本", "まつもと", "matsumoto"), ("井上", "いのうえ", "inoue"), ("木村", "きむら", "kimura"),
    ("林", "はやし", "hayashi"), ("斎藤", "さいとう", "saito"), ("清水", "しみず", "shimizu"),
    ("森", "もり", "mori"), ("池田", "いけだ", "ikeda"), ("橋本", "はしもと", "hashimoto"),
    ("阿部", "あべ", "abe"), ("石川", "いしかわ", "ishikawa"), ("前田", "まえだ", "maeda"),
    ("藤田", "ふじた", "fujita"), ("小川", "おがわ", "ogawa"), ("岡田", "おかだ", "okada"),
    ("後藤", "ごとう", "goto"), ("長谷川", "はせがわ", "hasegawa"), ("村上", "むらかみ", "murakami"),
    ("近藤", "こんどう", "kondo"), ("石井", "いしい", "ishii"), ("坂本", "さかもと", "sakamoto"),
    ("遠藤", "えんどう", "endo"), ("青木", "あおき", "aoki"), ("藤井", "ふじい", "fujii"),
    ("西村", "にしむら", "nishimura"), ("福田", "ふくだ", "fukuda"),
]
JP_GIVEN = [
    ("翔太", "しょうた", "shota"), ("大輔", "だいすけ", "daisuke"), ("健太", "けんた", "kenta"),
    ("拓也", "たくや", "takuya"), ("直樹", "なおき", "naoki"), ("陽菜", "ひな", "hina"),
    ("美咲", "みさき", "misaki"), ("結衣", "ゆい", "yui"), ("さくら", "さくら", "sakura"),
    ("葵", "あおい", "aoi"), ("蓮", "れん", "ren"), ("悠真", "ゆうま", "yuma"),
    ("誠", "まこと", "makoto"), ("裕子", "ゆうこ", "yuko"), ("恵", "めぐみ", "megumi"),
    ("亮", "りょう", "ryo"), ("和也", "かずや", "kazuya"), ("真由美", "まゆみ", "mayumi"),
    ("花子", "はなこ", "hanako"), ("浩二", "こうじ", "koji"), ("智子", "ともこ", "tomoko"),
    ("隆", "たかし", "takashi"), ("明美", "あけみ", "akemi"), ("剛", "つよし", "tsuyoshi"),
    ("千尋", "ちひろ", "chihiro"), ("美穂", "みほ", "miho"), ("健一", "けんいち", "kenichi"),
    ("由紀", "ゆき", "yuki"), ("大樹", "だいき", "daiki"), ("彩", "あや", "aya"),
    ("太郎", "たろう", "taro"), ("優子", "ゆうこ", "yuko"), ("翼", "つばさ", "tsubasa"),
    ("萌", "もえ", "moe"), ("修", "おさむ", "osamu"), ("香織", "かおり", "kaori"),
]
EN_GIVEN = ["james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda",
            "william", "elizabeth", "david", "barbara", "richard", "susan", "joseph", "jessica",
            "thomas", "sarah", "charles", "karen", "daniel", "nancy", "matthew", "lisa",
            "anthony", "emily", "mark", "olivia", "paul", "sophie", "steven", "grace",
            "andrew", "chloe", "kevin", "hannah", "brian", "amelia", "george", "isla"]
EN_FAMILY = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
             "wilson", "anderson", "taylor", "thomas", "moore", "martin", "jackson", "thompson",
             "white", "harris", "clark", "lewis", "robinson", "walker", "young", "allen",
             "king", "wright", "scott", "green", "baker", "adams", "nelson", "hill",
             "campbell", "mitchell", "roberts", "carter", "phillips", "evans", "turner",
             "parker"]

JP_COMPANY_STEM = ["ひかり", "ミライ", "東和", "青葉", "サクラ", "日本", "ネクスト", "大和", "富士",
                   "北斗", "みなと", "アスカ", "クローバー", "はやぶさ", "瑞穂", "白川"]
JP_COMPANY_KIND = ["システムズ", "商事", "テクノロジーズ", "製作所", "ソリューションズ", "物産",
                   "工業", "デザイン", "ラボ", "ホールディングス", "コンサルティング", "フーズ"]
JP_TITLES = ["エンジニア", "シニアエンジニア", "営業部長", "代表取締役", "プロダクトマネージャー",
             "デザイナー", "人事部 採用担当", "マーケティング部 課長", "CTO", "研究員",
             "コンサルタント", "事業開発", "データサイエンティスト", "広報", "経営企画室 室長"]
JP_PLACES = ["東京都", "東京都渋谷区", "大阪府", "大阪府大阪市", "神奈川県横浜市", "福岡県福岡市",
             "愛知県名古屋市", "北海道札幌市", "京都府京都市", "兵庫県神戸市", "宮城県仙台市",
             "広島県広島市", "沖縄県那覇市", "長野県松本市"]
EN_COMPANY_STEM = ["Northwind", "Acme", "Bluefin", "Cedar", "Lumen", "Harbor", "Quill",
                   "Redwood", "Summit", "Tidal", "Vertex", "Willow", "Granite", "Orbit"]
EN_COMPANY_KIND = ["Labs", "Systems", "Analytics", "Partners", "Software", "Health", "Capital",
                   "Robotics", "Studio", "Logistics", "Foods", "Energy"]
EN_TITLES = ["Software Engineer", "Senior Software Engineer", "Head of Sales", "Product Manager",
             "Product Designer", "Recruiter", "Founder & CEO", "Data Scientist",
             "Marketing Director", "Consultant", "Staff Engineer", "VP Engineering",
             "Business Development Manager", "Research Scientist", "Community Manager"]
EN_PLACES = ["San Francisco, CA", "London, United Kingdom", "Berlin, Germany", "Singapore",
             "New York, NY", "Toronto, Canada", "Sydney, Australia", "Austin, TX",
             "Dublin, Ireland", "Amsterdam, Netherlands", "Seattle, WA", "Paris, France"]

JP_TOPICS = ["生成AI", "採用", "資金調達", "SaaS", "DX推進", "データ分析", "新規事業", "UXデザイン",
             "クラウド移行", "セキュリティ", "英語学習", "登山", "ラーメン", "子育て", "副業",
             "リモートワーク", "地方創生", "Rust", "機械学習", "ブランディング", "マラソン", "読書会"]
JP_EVENTS = ["勉強会", "カンファレンス", "交流会", "展示会", "ミートアップ", "セミナー", "懇親会",
             "ハッカソン"]
JP_DAYS = ["月曜", "火曜", "水曜", "木曜", "金曜", "週明け", "来月の頭"]
JP_PLACES_MEET = ["渋谷", "新宿", "丸の内", "梅田", "天神", "オンライン", "御社", "弊社"]
JP_THINGS = ["資料", "見積もり", "提案書", "議事録", "スライド", "記事のリンク", "求人票", "企画書"]
EN_TOPICS = ["generative AI", "hiring", "fundraising", "SaaS pricing", "data pipelines",
             "the new product", "UX research", "cloud migration", "security reviews", "Rust",
             "machine learning", "the offsite", "climbing", "marathon training",
             "remote work", "open source", "our roadmap", "the partnership"]
EN_EVENTS = ["the meetup", "the conference", "the workshop", "the dinner", "the hackathon",
             "the panel", "the launch party", "the webinar"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "next week",
           "early next month"]
EN_PLACES_MEET = ["downtown", "your office", "our office", "the usual cafe", "Zoom",
                  "the station", "Shoreditch", "SoHo"]
EN_THINGS = ["the deck", "the quote", "the proposal", "my notes", "the slides", "the link",
             "the job description", "the draft"]

JP_TEMPLATES = [
    "{name}さん、先日は{event}でお話しできて嬉しかったです。{topic}の件、また詳しく伺えればと思います。",
    "資料を送ります。{topic}についてご意見いただけると助かります。",
    "来週{day}に{place}でお茶でもいかがですか？",
    "{topic}の記事、拝見しました！とても参考になりました。",
    "ご紹介ありがとうございます。{company}の方とも繋がれました。",
    "お疲れさまです。{topic}の進捗はいかがでしょうか？",
    "明日までに{thing}をお送りします。",
    "転職されたと伺いました。おめでとうございます！",
    "{name}さん、ご無沙汰しております。お元気ですか？",
    "{thing}、確認しました。ありがとうございます。",
    "{event}の登壇資料、共有いただけますか？",
    "{day}の打ち合わせ、{place}で大丈夫でしょうか？",
    "{topic}に詳しい方をご存じでしたら、ご紹介いただけませんか？",
    "承知しました。{day}までに{thing}をまとめてお送りします。",
    "先日はありがとうございました。{topic}のお話、とても刺激になりました。",
    "はじめまして。{topic}について発信されているのを拝見し、ご連絡しました。",
    "{company}で{topic}の案件があるのですが、ご興味ありますか？",
    "お誕生日おめでとうございます！素敵な一年になりますように。",
    "また{event}でお会いしましょう。",
    "了解です！",
    "ありがとうございます。助かります。",
    "{thing}の件、少し遅れそうです。{day}には必ずお送りします。",
    "{topic}の本、読み終わったらお貸ししますね。",
    "今度{place}でランチしませんか？",
    "{name}さんのおかげで{topic}がうまく進みました。本当に感謝しています。",
    "最近{topic}にハマっています。{name}さんはいかがですか？",
    "{event}、参加されますか？",
    "例の{thing}、どこにありましたっけ？",
]
EN_TEMPLATES = [
    "Great meeting you at {event}, {name}! Would love to hear more about {topic}.",
    "I'll send you {thing} by {day}.",
    "Are you free for a coffee {day}? Happy to come to {place}.",
    "Loved your post about {topic}. Really useful.",
    "Thanks for the intro! I've connected with the folks at {company}.",
    "Hi {name}, how is {topic} going?",
    "Congrats on the new role!",
    "{name}, long time no see. How have you been?",
    "Got {thing}, thanks a lot.",
    "Could you share the slides from {event}?",
    "Does {day} at {place} still work for you?",
    "Do you know anyone who is good at {topic}? An intro would mean a lot.",
    "Sure, I'll put together {thing} and send it over by {day}.",
    "Thanks again for your time. The chat about {topic} gave me a lot to think about.",
    "Hi {name}, I came across your work on {topic} and wanted to reach out.",
    "We have a {topic} project at {company}. Would you be interested?",
    "Happy birthday! Hope you have a great year.",
    "See you at {event}!",
    "Sounds good!",
    "Thanks, that helps a lot.",
    "Running a bit late on {thing}; I'll get it to you by {day} for sure.",
    "I'll lend you that book on {topic} when I'm done.",
    "Lunch at {place} sometime?",
    "Thanks to you, {topic} went really well. Much appreciated.",
    "I've been getting into {topic} lately. What about you, {name}?",
    "Are you going to {event}?",
    "Where did we put {thing} again?",
    "Let me know what you think about {topic} when you have a minute.",
]
JP_EXTRA = ["よろしくお願いいたします。", "取り急ぎご連絡まで。", "お手すきの際にご確認ください。",
            "引き続きよろしくお願いします！", "また連絡しますね。", "ご検討のほどお願いいたします。"]
EN_EXTRA = ["Best,", "Cheers!", "No rush.", "Talk soon.", "Let me know.", "Thanks!"]
JP_MANUAL = ["{place}で打ち合わせ：{topic}について", "{event}で名刺交換", "電話：{thing}の件",
             "{place}でランチ。{topic}の話で盛り上がった"]
EN_MANUAL = ["Met at {place} about {topic}", "Swapped cards at {event}", "Call about {thing}",
             "Lunch at {place}, talked about {topic}"]

# Platforms a person may have, with weights by language.
PLATFORMS = ["linkedin", "x", "github", "mastodon", "bluesky", "wantedly", "eight", "web"]
JP_WEIGHTS = [30, 25, 8, 2, 3, 12, 15, 5]
EN_WEIGHTS = [30, 22, 15, 10, 10, 1, 0.5, 10]
MESSAGING = ("linkedin", "x", "mastodon", "bluesky", "wantedly")
MASTODON_INSTANCES = ["mastodon.social", "fosstodon.org", "mstdn.jp", "hachyderm.io", "mas.to",
                      "social.vivaldi.net"]
WEB_TLDS = ["dev", "jp", "me", "net", "io", "com"]

B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = B36[r] + out
    return out.rjust(width, "0")


# -- people -------------------------------------------------------------------------------------

def make_person(rng: random.Random, index: int, width: int, identities: int) -> dict:
    japanese = index % 2 == 0
    sfx = base36(index, width)
    if japanese:
        fam, giv = rng.choice(JP_FAMILY), rng.choice(JP_GIVEN)
        company = (f"株式会社{rng.choice(JP_COMPANY_STEM)}{rng.choice(JP_COMPANY_KIND)}"
                   if rng.random() < 0.7 else
                   f"{rng.choice(JP_COMPANY_STEM)}{rng.choice(JP_COMPANY_KIND)}株式会社")
        title = rng.choice(JP_TITLES)
        person = dict(
            lang="ja", display_name=f"{fam[0]} {giv[0]}", family_name=fam[0],
            given_name=giv[0], reading=f"{fam[1]} {giv[1]}", organisation=company, title=title,
            headline=f"{company} {title}", location=rng.choice(JP_PLACES),
            bio=f"{company}で{title}をしています。{rng.choice(JP_TOPICS)}と"
                f"{rng.choice(JP_TOPICS)}に関心があります。",
            roman_given=giv[2], roman_family=fam[2], address=fam[0])
        weights = JP_WEIGHTS
    else:
        giv, fam = rng.choice(EN_GIVEN), rng.choice(EN_FAMILY)
        company = f"{rng.choice(EN_COMPANY_STEM)} {rng.choice(EN_COMPANY_KIND)}"
        title = rng.choice(EN_TITLES)
        person = dict(
            lang="en", display_name=f"{giv.title()} {fam.title()}", family_name=fam.title(),
            given_name=giv.title(), reading=None, organisation=company, title=title,
            headline=f"{title} at {company}", location=rng.choice(EN_PLACES),
            bio=f"{title} at {company}. Into {rng.choice(EN_TOPICS)} and "
                f"{rng.choice(EN_TOPICS)}.",
            roman_given=giv, roman_family=fam, address=giv.title())
        weights = EN_WEIGHTS
    # distinct platforms, weighted; more identities than platforms become extra web sites
    chosen: list[str] = []
    pool, w = list(PLATFORMS), list(weights)
    while len(chosen) < identities and pool:
        pick = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(pick))
        w.pop(pick)
    while len(chosen) < identities:
        chosen.append("web")
    g, f = person["roman_given"], person["roman_family"]
    urls = []
    for n, platform in enumerate(chosen):
        urls.append((platform, profile_url(rng, platform, g, f, sfx, index, n)))
    person["identities"] = urls
    person["first_seen"] = rng.uniform(START_TS, END_TS - 86400 * 30)
    return person


def profile_url(rng: random.Random, platform: str, g: str, f: str, sfx: str, index: int,
                n: int) -> str:
    """The URL the way a page or a share link gives it (not canonical on purpose)."""
    if platform == "linkedin":
        return f"https://www.linkedin.com/in/{g}-{f}-{sfx}{rng.getrandbits(16):04x}/"
    if platform == "x":
        handle = f"{g[:5]}_{f[:5]}{sfx}"
        return f"https://x.com/{handle.capitalize() if rng.random() < 0.3 else handle}"
    if platform == "github":
        return f"https://github.com/{g}{f}{sfx}"
    if platform == "mastodon":
        return f"https://{rng.choice(MASTODON_INSTANCES)}/@{g}_{f[:6]}{sfx}"
    if platform == "bluesky":
        return f"https://bsky.app/profile/{g}{f}{sfx}.bsky.social"
    if platform == "wantedly":
        return f"https://www.wantedly.com/id/{g}_{f}_{sfx}"
    if platform == "eight":
        return f"https://8card.net/p/{1_000_000_000 + index * 97 + rng.randrange(97)}"
    # personal sites; the n-th extra one gets a path so that it stays a distinct identity
    path = "" if n < len(PLATFORMS) else f"about{n}"
    return f"https://{g}{f}{sfx}.{rng.choice(WEB_TLDS)}/{path}"


# -- time ---------------------------------------------------------------------------------------

_DAY_CACHE: dict[int, str] = {}


def iso(ts: float) -> str:
    """ISO 8601 UTC with milliseconds and Z, as companion.db.utc_now (fast: days cached)."""
    sec = int(ts)
    ms = int((ts - sec) * 1000)
    day, rem = divmod(sec, 86400)
    date = _DAY_CACHE.get(day)
    if date is None:
        date = _DAY_CACHE[day] = datetime.fromtimestamp(day * 86400, timezone.utc).strftime(
            "%Y-%m-%d")
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    return f"{date}T{h:02d}:{m:02d}:{s:02d}.{ms:03d}Z"


# -- texts --------------------------------------------------------------------------------------

def message_text(rng: random.Random, person: dict) -> str:
    if person["lang"] == "ja":
        text = rng.choice(JP_TEMPLATES).format(
            name=person["address"], topic=rng.choice(JP_TOPICS), event=rng.choice(JP_EVENTS),
            day=rng.choice(JP_DAYS), place=rng.choice(JP_PLACES_MEET),
            thing=rng.choice(JP_THINGS), company=person["organisation"])
        if rng.random() < 0.35:
            text += rng.choice(JP_EXTRA)
    else:
        text = rng.choice(EN_TEMPLATES).format(
            name=person["address"], topic=rng.choice(EN_TOPICS), event=rng.choice(EN_EVENTS),
            day=rng.choice(EN_DAYS), place=rng.choice(EN_PLACES_MEET),
            thing=rng.choice(EN_THINGS), company=person["organisation"])
        if rng.random() < 0.35:
            text += " " + rng.choice(EN_EXTRA)
    return text


def manual_text(rng: random.Random, person: dict) -> str:
    ja = person["lang"] == "ja"
    return rng.choice(JP_MANUAL if ja else EN_MANUAL).format(
        topic=rng.choice(JP_TOPICS if ja else EN_TOPICS),
        event=rng.choice(JP_EVENTS if ja else EN_EVENTS),
        place=rng.choice(JP_PLACES_MEET if ja else EN_PLACES_MEET),
        thing=rng.choice(JP_THINGS if ja else EN_THINGS))


def capture_html(person: dict, url: str, kind: str, serial: int, readable: bool) -> str:
    """A small page of the kind the extension sends (trimmed), made up."""
    name = person["display_name"]
    if not readable:
        return (f"<!DOCTYPE html><html><head><title>Loading…</title></head><body>"
                f"<div class=\"spinner\" data-n=\"{serial}\"></div></body></html>")
    if kind == "thread":
        items = "".join(f"<li class=\"msg\"><span>{name}</span><p>…</p></li>" for _ in range(8))
        return (f"<!DOCTYPE html><html><head><title>{name} | Messages</title></head><body>"
                f"<main data-n=\"{serial}\"><h2>{name}</h2><ul>{items}</ul></main></body></html>")
    ld = json.dumps({"@context": "https://schema.org", "@type": "Person", "name": name,
                     "url": url, "jobTitle": person["title"],
                     "worksFor": {"@type": "Organization", "name": person["organisation"]},
                     "address": person["location"], "description": person["bio"]},
                    ensure_ascii=False)
    return (f"<!DOCTYPE html><html lang=\"{person['lang']}\"><head><meta charset=\"utf-8\">"
            f"<title>{name}</title><script type=\"application/ld+json\">{ld}</script>"
            f"<meta property=\"og:type\" content=\"profile\"></head><body>"
            f"<main data-n=\"{serial}\"><h1>{name}</h1><p>{person['headline']}</p>"
            f"<p>{person['location']}</p><section><p>{person['bio']}</p></section>"
            f"</main></body></html>")


# -- follow-up texts (opt-in: --followup) --------------------------------------------------------
#
# With ``followup=True`` each person also gets a story of their own (a project, documents, a
# conference talk, a move, a launch, a hobby, sometimes someone they are looking for, skills on
# their career) and about STORY_SHARE of their messages are written from it, in their language,
# with explicit dates relative to when the message was sent: promises with due dates, requests,
# events with dates, interests, needs. Real conversations are about specific things; the
# template pool above repeats the same few objects across thousands of people. The story has
# its own random streams, so everything else (people, identities, captures, times, directions)
# is the same as without the option.

STORY_SHARE = 0.4
JP_DOMAINS = ["物流", "医療", "教育", "小売", "製造", "不動産", "農業", "観光", "金融", "保険", "飲食",
              "建設", "人材", "広告", "自治体", "エネルギー", "介護", "アパレル", "ゲーム", "スポーツ"]
JP_ARTEFACTS = ["PoC", "導入プロジェクト", "新サービス", "サイトリニューアル", "データ基盤", "アプリ開発",
                "研修プログラム", "実証実験", "業務改善", "キャンペーン", "需要予測モデル", "採用サイト",
                "会員基盤", "予約システム"]
JP_CITIES = ["札幌", "仙台", "金沢", "名古屋", "京都", "大阪", "神戸", "広島", "福岡", "那覇", "松本",
             "高松", "熊本", "新潟", "横浜", "静岡"]
JP_DOCS = ["提案書", "見積書", "議事録", "企画書", "事例資料", "比較表", "スケジュール案", "契約書のドラフト",
           "要件定義書", "デモ動画", "調査レポート", "料金表", "体制図", "ロードマップ"]
JP_TECH = ["Rust", "Go", "Python", "生成AI", "データ分析", "UX", "クラウド", "セキュリティ", "機械学習",
           "アジャイル", "Kubernetes", "SRE"]
JP_CONF = ["{domain}DXサミット", "{domain}テックカンファレンス", "{city}{tech}勉強会", "{tech}Meetup{city}",
           "{domain}イノベーションフォーラム", "{tech}Conference Japan"]
JP_HOBBIES = ["登山", "陶芸", "サウナ", "将棋", "ボルダリング", "写真", "茶道", "キャンプ", "ロードバイク", "囲碁",
              "料理", "盆栽", "落語", "釣り", "書道", "ジャズ", "トレイルラン", "ワイン", "家庭菜園", "俳句"]
JP_ROLES = ["UIデザイナー", "データサイエンティスト", "広報担当", "Rustエンジニア", "翻訳者", "弁理士", "税理士",
            "カメラマン", "プロダクトマネージャー", "インフラエンジニア", "マーケター", "法務担当"]
JP_ACTIVITIES = ["ランチ", "お茶", "食事", "情報交換"]
PRODUCT_STEMS = ["Kanade", "Hibiki", "Tsumugi", "Akari", "Minori", "Sora", "Kumo", "Hoshi", "Nami",
                 "Tomo", "Yui", "Hikari", "Mori", "Kaze", "Tsuki", "Haru"]
PRODUCT_SUFFIXES = ["Note", "Board", "Link", "Desk", "Flow", "Lab", "Base", "Hub", "Works", "Cloud"]
EN_DOMAINS = ["logistics", "healthcare", "education", "retail", "manufacturing", "real estate",
              "agritech", "travel", "fintech", "insurance", "restaurant", "construction", "HR",
              "adtech", "public sector", "energy", "elder care", "fashion", "gaming", "sports"]
EN_ARTEFACTS = ["pilot", "rollout", "pricing page", "data platform", "mobile app",
                "training program", "field trial", "onboarding flow", "campaign",
                "forecasting model", "careers site", "loyalty program", "booking system",
                "partner portal"]
EN_CITIES = ["Austin", "Denver", "Lisbon", "Dublin", "Berlin", "Toronto", "Melbourne", "Seattle",
             "Boston", "Edinburgh", "Singapore", "Oslo", "Madrid", "Chicago", "Portland", "Leeds"]
EN_DOCS = ["proposal", "quote", "meeting notes", "project plan", "case study", "comparison sheet",
           "timeline", "draft contract", "requirements doc", "demo video", "research report",
           "price list", "org chart", "roadmap"]
EN_TECH = ["Rust", "Go", "Python", "GenAI", "data engineering", "UX research", "cloud costs",
           "security reviews", "ML ops", "agile coaching", "Kubernetes", "SRE"]
EN_CONF_TECH = ["Rust", "Go", "Python", "GenAI", "Data", "UX", "Cloud", "Security", "ML",
                "Agile", "Kube", "SRE"]
EN_CONF = ["{Domain} Summit {city}", "{tech}Conf {city}", "{tech} Meetup {city}",
           "the {Domain} Innovation Forum", "{city} {tech} Days", "{tech} World {city}"]
EN_HOBBIES = ["bouldering", "sourdough baking", "trail running", "chess", "film photography",
              "birdwatching", "woodworking", "sailing", "jazz piano", "pottery", "cycling",
              "beekeeping", "surfing", "calligraphy", "home brewing", "rowing", "gardening",
              "board games", "jiu-jitsu", "astronomy"]
EN_ROLES = ["product designer", "data scientist", "PR lead", "Rust engineer", "translator",
            "patent attorney", "tax advisor", "photographer", "project manager",
            "DevOps engineer", "growth marketer", "legal counsel"]
EN_ACTIVITIES = ["lunch", "coffee", "dinner", "drinks"]
EN_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec"]
JP_STORY_OUT = [
    "{project}の{doc}、{day}までにお送りします。",
    "承知しました。{project}の{doc}は{day}までにまとめてお送りします。",
    "{conf}でのご登壇、楽しみにしています。",
    "{hobby}のお話、とても面白かったです。今度{city}で{activity}しませんか？",
    "{project}の進め方について、{day}に打ち合わせできますか？",
    "先日の{project}の件、{day}までに確認して折り返します。",
]
JP_STORY_IN = [
    "{project}の{doc}、{day}までにいただけますか？",
    "{date}の{conf}で登壇することになりました。{tech}の事例をお話しします。",
    "{date}から{company}に転職することになりました。",
    "{date}に{product}をリリースします。",
    "{date}に{city}へ引っ越すことになりました。",
    "最近{hobby}にハマっています。",
    "{project}に関わっていただける{role}を探しているのですが、ご存じの方はいませんか？",
    "{tech}に詳しい方をご存じでしたら、ご紹介いただけませんか？",
    "来月{city}で{activity}でもいかがですか？",
    "『{book}』という本を{date}に出版します。",
    "{project}の{doc}、{day}にお送りしますね。",
]
EN_STORY_OUT = [
    "I'll send you the {doc} for the {project} by {day}.",
    "Sure, I'll put together the {doc} for the {project} and send it over by {day}.",
    "Looking forward to your talk at {conf}!",
    "Loved hearing about your {hobby}. Would you like to grab {activity} in {city} sometime?",
    "Could we meet {day} to go over the {project}?",
    "Let me check the numbers on the {project} and get back to you by {day}.",
]
EN_STORY_IN = [
    "Could you send me the {doc} for the {project} by {day}?",
    "I'm speaking at {conf} on {date} about {tech}.",
    "I'm joining {company} as {title} on {date}.",
    "We're launching {product} on {date}.",
    "We're moving to {city} on {date}.",
    "I've been really into {hobby} lately.",
    "We're looking for a {role} for the {project} — do you know anyone?",
    "Do you know anyone who is good at {tech}? An intro would mean a lot.",
    "Let's get {activity} in {city} next month.",
    "My book “{book}” comes out on {date}.",
    "I'll send you the {doc} for the {project} by {day}.",
]
JP_STORY_MANUAL = ["{city}で打ち合わせ。{project}の話のほか、最近{hobby}にハマっているそう。",
                   "{conf}で名刺交換。{tech}に関心があるとのこと。"]
EN_STORY_MANUAL = ["Coffee in {city}: talked about the {project}; she's really into {hobby}.",
                   "Met at {conf}. Interested in {tech} and the {project}."]


def make_story(rng: random.Random, person: dict) -> dict:
    """One person's own subjects, drawn from their own random stream."""
    if person["lang"] == "ja":
        domain, city, tech = rng.choice(JP_DOMAINS), rng.choice(JP_CITIES), rng.choice(JP_TECH)
        story = dict(
            project=f"{city}の{domain}{rng.choice(JP_ARTEFACTS)}", doc=rng.choice(JP_DOCS),
            conf=rng.choice(JP_CONF).format(domain=domain, city=rng.choice(JP_CITIES),
                                            tech=tech),
            tech=tech, hobby=rng.choice(JP_HOBBIES), city=rng.choice(JP_CITIES),
            role=rng.choice(JP_ROLES), activity=rng.choice(JP_ACTIVITIES),
            company=f"株式会社{rng.choice(JP_COMPANY_STEM)}{rng.choice(JP_COMPANY_KIND)}",
            product=f"{rng.choice(PRODUCT_STEMS)}{rng.choice(PRODUCT_SUFFIXES)}",
            book=rng.choice(["はじめての{t}", "{t}実践入門", "{d}と{t}", "現場で使う{t}"]).format(
                t=tech, d=domain),
            skills=rng.sample(JP_TECH, 2) + [rng.choice(JP_ROLES)])
    else:
        domain, city, tech = rng.choice(EN_DOMAINS), rng.choice(EN_CITIES), rng.choice(EN_TECH)
        story = dict(
            project=f"{city} {domain} {rng.choice(EN_ARTEFACTS)}", doc=rng.choice(EN_DOCS),
            conf=rng.choice(EN_CONF).format(Domain=domain.title(), domain=domain,
                                            city=rng.choice(EN_CITIES),
                                            tech=rng.choice(EN_CONF_TECH)),
            tech=tech, hobby=rng.choice(EN_HOBBIES), city=rng.choice(EN_CITIES),
            role=rng.choice(EN_ROLES), activity=rng.choice(EN_ACTIVITIES),
            company=f"{rng.choice(EN_COMPANY_STEM)} {rng.choice(EN_COMPANY_KIND)}",
            title=rng.choice(EN_TITLES),
            product=f"{rng.choice(PRODUCT_STEMS)} {rng.choice(PRODUCT_SUFFIXES)}",
            book=rng.choice(["{t} for Humans", "The {d} Playbook", "Practical {t}",
                             "{t} in the Real World"]).format(t=tech.title() if tech.islower()
                                                              else tech, d=domain.title()),
            skills=rng.sample(EN_TECH, 2) + [rng.choice(EN_ROLES)])
    return story


def _story_dates(rng: random.Random, lang: str, when: float) -> tuple[str, str]:
    """A due day (a week day name, tomorrow, or an explicit date soon after ``when``) and an
    event date 1–6 weeks after ``when``, written as the sender would."""
    sent = datetime.fromtimestamp(when, timezone.utc) + (timedelta(hours=9) if lang == "ja"
                                                         else timedelta(0))
    due = sent + timedelta(days=rng.randint(2, 12))
    event = sent + timedelta(days=rng.randint(7, 42))
    if lang == "ja":
        day = rng.choice(["明日", "金曜日", "来週の水曜日", "月末", f"{due.month}月{due.day}日"])
        return day, f"{event.month}月{event.day}日"
    day = rng.choice(["tomorrow", "Friday", "next Wednesday", "the end of the month",
                      f"{EN_MONTH_NAMES[due.month - 1]} {due.day}"])
    return day, f"{EN_MONTH_NAMES[event.month - 1]} {event.day}"


def story_text(rng: random.Random, person: dict, direction: str, when: float) -> str:
    story = person["story"]
    ja = person["lang"] == "ja"
    pool = (JP_STORY_OUT if direction == "out" else JP_STORY_IN) if ja else \
        (EN_STORY_OUT if direction == "out" else EN_STORY_IN)
    day, event_date = _story_dates(rng, person["lang"], when)
    return rng.choice(pool).format(day=day, date=event_date, **story)


def story_manual_text(rng: random.Random, person: dict) -> str:
    pool = JP_STORY_MANUAL if person["lang"] == "ja" else EN_STORY_MANUAL
    return rng.choice(pool).format(**person["story"])


# -- generation ---------------------------------------------------------------------------------

def _log(message: str) -> None:
    print(message, flush=True)


def generate(db: Database, contacts: int = DEFAULTS["contacts"],
             identities_per_contact: int = DEFAULTS["identities_per_contact"],
             interactions: int = DEFAULTS["interactions"], captures: int = DEFAULTS["captures"],
             seed: int = DEFAULTS["seed"], truth_path: Path | None = None,
             log=_log, followup: bool = False) -> dict:
    """Fill an empty, migrated database. Returns counts and per-phase seconds.

    ``followup``: also write messages from each person's own story (see "follow-up texts")."""
    if identities_per_contact < 1 or contacts < 1:
        raise ValueError("at least one contact with one identity")
    conn = db.connect()
    if conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]:
        raise ValueError(f"{db.path} already has contacts; generate into an empty database")
    # Bulk-load settings for this connection only (db.py's pragmas stay as they are): a large
    # page cache keeps the interaction indexes in memory while a million rows go in.
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB
    conn.execute("PRAGMA temp_store = MEMORY")
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    t_all = time.perf_counter()

    # 1. people, through the identity service ---------------------------------------------
    t0 = time.perf_counter()
    width = len(base36(max(contacts - 1, 1), 1))
    people = [make_person(rng, i, width, identities_per_contact) for i in range(contacts)]
    for start in range(0, contacts, PEOPLE_PER_TRANSACTION):
        with db.transaction() as tx:
            for person in people[start:start + PEOPLE_PER_TRANSACTION]:
                now = iso(person["first_seen"])
                fields = {k: person[k] for k in ("display_name", "family_name", "given_name",
                                                 "reading", "headline", "organisation", "title",
                                                 "location", "bio")}
                first_url = person["identities"][0][1]
                resolved = resolve_profile(tx, Profile(url=first_url, **fields), first_url, now)
                person["contact_id"] = resolved.contact_id
                for k, (_, url) in enumerate(person["identities"][1:], start=1):
                    seen = iso(min(END_TS - 1, person["first_seen"]
                                   + k * 86400 * rng.uniform(1, 300)))
                    again = resolve_profile(tx, Profile(url=url, me_links=[first_url], **fields),
                                            url, seen)
                    if again.contact_id != resolved.contact_id:
                        raise RuntimeError("the identity service split person "
                                           f"{person['display_name']}")
    timings["contacts_identities_s"] = time.perf_counter() - t0
    log(f"  contacts + identities via resolve_profile: {timings['contacts_identities_s']:.1f} s")
    story_rng = None
    if followup:   # own random streams: the rest of the network stays the same
        story_rng = random.Random(f"followup-texts-{seed}")
        with db.transaction() as tx:
            for index, person in enumerate(people):
                person["story"] = make_story(random.Random(f"story-{seed}-{index}"), person)
                tx.execute("UPDATE contacts SET career = ? WHERE id = ?",
                           (json.dumps({"positions": [], "education": [],
                                        "skills": person["story"]["skills"]},
                                       ensure_ascii=False), person["contact_id"]))
    if truth_path is not None:
        with open(truth_path, "w", encoding="utf-8") as out:
            out.write("contact_id\tplatform\turl\tlang\n")
            for person in people:
                for platform, url in person["identities"]:
                    out.write(f"{person['contact_id']}\t{platform}\t{url}\t{person['lang']}\n")

    # 2. captures -----------------------------------------------------------------------------
    t0 = time.perf_counter()
    first_capture = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM captures").fetchone()[0]
                     + 1)
    thread_captures: dict[int, list[int]] = {}
    rows = []
    for serial in range(captures):
        capture_id = first_capture + serial
        person = people[rng.randrange(contacts)]
        platform, profile = rng.choice(person["identities"])
        roll = rng.random()
        if roll < 0.6:
            kind, url, readable = "profile", profile, True
        elif roll < 0.9 and platform in MESSAGING:
            kind, readable = "thread", True
            url = thread_url(rng, platform)
        else:
            kind, url, readable = "auto", profile + ("?tab=posts" if rng.random() < 0.5 else ""), \
                rng.random() < 0.3
        parsed = readable and rng.random() < 0.9
        html = capture_html(person, profile, kind if kind != "auto" else "profile", serial,
                            readable)
        raw = html.encode("utf-8")
        captured = rng.uniform(person["first_seen"], END_TS)
        title = html[html.find("<title>") + 7: html.find("</title>")]
        if parsed:
            status, error, adapter_id, version = "parsed", None, "generic", "1"
            warnings = json.dumps(["no handle", "no photo"] if kind != "thread" else [])
            contact_id = person["contact_id"]
            if kind == "thread":
                thread_captures.setdefault(contact_id, []).append(capture_id)
        else:
            status, adapter_id, version, contact_id, warnings = "needs_attention", None, None, \
                None, "[]"
            error = ("No adapter recognises this page (no known site layout and no schema.org "
                     "Person, OpenGraph profile or h-card).")
        rows.append((capture_id, url, canonical_url(url), "thread" if kind == "thread" else kind,
                     title, zlib.compress(raw, ZLIB_LEVEL), hashlib.sha256(raw).hexdigest(),
                     len(html), iso(captured), iso(captured + rng.uniform(0.05, 2)), adapter_id,
                     version, status, error, warnings, contact_id))
    _bulk(db, "INSERT INTO captures (id, url, canonical_url, kind, title, html_zlib, html_sha256,"
              " html_chars, captured_at, received_at, adapter_id, adapter_version, status,"
              " error, warnings, contact_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
              " ?)", rows)
    del rows
    timings["captures_s"] = time.perf_counter() - t0
    log(f"  captures: {timings['captures_s']:.1f} s")

    # 3. interactions -------------------------------------------------------------------------
    t0 = time.perf_counter()
    # Skewed activity: a few people are talked to a lot, many rarely, some never. Pareto
    # weights capped at 100x the minimum: at the default size (seed 1) the busiest person has
    # 3,901 interactions (two a day for five years), the median one 61, and 1,007 people none.
    weights = [min(rng.paretovariate(1.3), 100.0) if rng.random() < 0.9 else 0.0
               for _ in range(contacts)]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    sql = ("INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at, text,"
           " thread_key, external_id, capture_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
           " ?)")
    seq = 0
    produced = 0
    batch: list[tuple] = []
    thread_keys: dict[tuple[int, str], str] = {}
    while produced < interactions:
        person = people[rng.choices(range(contacts), cum_weights=cum)[0]]
        cid = person["contact_id"]
        platforms = [p for p, _ in person["identities"] if p in MESSAGING] or ["linkedin"]
        if rng.random() < 0.05:  # a meeting, call or event logged by hand
            when = rng.uniform(person["first_seen"], END_TS)
            platform = rng.choice(("offline", "offline", "phone", "email"))
            kind = rng.choice(("meeting", "call", "event", "email"))
            text = manual_text(rng, person)     # the same draws, in the same order, as before
            if story_rng is not None and story_rng.random() < STORY_SHARE:
                text = story_manual_text(story_rng, person)
            batch.append((cid, platform, kind, "both", iso(when), text, None, None, None,
                          iso(when + 3600)))
            produced += 1
        else:
            platform = rng.choice(platforms)
            key = (cid, platform)
            if key not in thread_keys or rng.random() < 0.15:
                thread_keys[key] = _thread_key(rng, platform, cid)
            thread_key = thread_keys[key]
            length = min(interactions - produced, 1 + int(rng.expovariate(1 / 9)))
            when = rng.uniform(max(person["first_seen"], START_TS), END_TS)
            direction = "out" if rng.random() < 0.5 else "in"
            captures_here = thread_captures.get(cid)
            capture_id = rng.choice(captures_here) if captures_here else None
            for _ in range(length):
                seq += 1
                if when > END_TS:
                    when = END_TS - rng.uniform(0, 86400)
                text = message_text(rng, person)
                if story_rng is not None and story_rng.random() < STORY_SHARE:
                    text = story_text(story_rng, person, direction, when)
                batch.append((cid, platform, "message", direction, iso(when), text,
                              thread_key, _external_id(platform, seq, text),
                              capture_id, iso(when + rng.uniform(60, 86400 * 3))))
                # replies come minutes to days later; mostly the other side answers
                when += rng.expovariate(1 / 3600) if rng.random() < 0.7 else \
                    rng.uniform(86400, 86400 * 20)
                if rng.random() < 0.7:
                    direction = "in" if direction == "out" else "out"
            produced += length
        if len(batch) >= ROWS_PER_TRANSACTION:
            _bulk(db, sql, batch)
            batch.clear()
            log(f"    interactions: {produced:,}")
    _bulk(db, sql, batch)
    timings["interactions_s"] = time.perf_counter() - t0
    log(f"  interactions: {timings['interactions_s']:.1f} s")

    # 4. events and links between people (issue 7): their own random stream, after everything
    # else, so the rows above are the same as without them
    t0 = time.perf_counter()
    net_counts = add_network_links(db, seed)
    timings["network_links_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["checkpoint_s"] = time.perf_counter() - t0
    timings["total_s"] = time.perf_counter() - t_all
    counts = {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
              for table in ("contacts", "identities", "interactions", "captures")}
    counts.update(net_counts)
    counts["identities_by_platform"] = dict(conn.execute(
        "SELECT platform, COUNT(*) FROM identities GROUP BY platform ORDER BY 2 DESC").fetchall())
    conn.execute("PRAGMA cache_size = -2000")  # back to SQLite's default for this connection
    return {"counts": counts, "timings": timings}


# -- events and links between people (issue 7) -------------------------------------------------
#
# The graph of services/network.py links two contacts who share an organisation (already in the
# people above), met the user at the same event, are a mutual connection, or came through an
# introduction. Each person belongs to a hidden circle (about CIRCLE_SIZE people, mostly of one
# language); events draw most of their people from one circle and mutual connections and
# introductions stay mostly inside one, so the graph has communities to find. At 10,000 people
# this gives about 50,000 links in all (bench/README.md, "Network graph").

CIRCLE_SIZE = 60
EVENTS_PER_PERSON = 1 / 20
MUTUALS_PER_PERSON = 1.2
INTRODUCTIONS_PER_PERSON = 0.1
OUTSIDE_CIRCLE = 0.15
JP_EVENT_NAMES = ["{city}{tech}勉強会 #{n}", "{tech}Meetup{city} vol.{n}", "{domain}DXカンファレンス{year}",
                  "{city}スタートアップ交流会 #{n}", "{domain}テックセミナー第{n}回", "{tech}ハッカソン{year}"]
EN_EVENT_NAMES = ["{tech} Study Group {city} #{n}", "{tech} Meetup {city} #{n}",
                  "{Domain} Summit {year}", "{city} Founders Mixer #{n}",
                  "{Domain} Tech Seminar #{n}", "{tech} Hack Days {year}"]
EVENT_KINDS = ["study_group", "meetup", "conference", "party", "seminar", "hackathon"]


def add_network_links(db: Database, seed: int) -> dict:
    """Events with their people and contact_links for every contact in ``db``, from their own
    random stream (the same rows for the same contacts and seed). Reads only the contacts table,
    so a network generated before events existed gets the same ones (``_bring_up_to_date``).
    Does nothing when the database already has events or links. Returns the counts."""
    conn = db.connect()
    if conn.execute("SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM"
                    " contact_links)").fetchone()[0]:
        return {}
    rng = random.Random(f"network-links-{seed}")
    rows = conn.execute("SELECT id, display_name FROM contacts ORDER BY id").fetchall()
    ja = [r[0] for r in rows if any("\u3040" <= ch <= "\u9fff" for ch in r[1])]
    en = [r[0] for r in rows if not any("\u3040" <= ch <= "\u9fff" for ch in r[1])]
    circles: list[tuple[str, list[int]]] = []
    for lang, ids in (("ja", ja), ("en", en)):
        ids = ids[:]
        rng.shuffle(ids)
        n = max(1, round(len(ids) / CIRCLE_SIZE))
        circles += [(lang, ids[i::n]) for i in range(n) if ids[i::n]]
    everyone = [r[0] for r in rows]
    circle_of = {cid: k for k, (_, ids) in enumerate(circles) for cid in ids}

    def someone(k: int) -> int:
        if rng.random() < OUTSIDE_CIRCLE:
            return rng.choice(everyone)
        return rng.choice(circles[k][1])

    now = iso(END_TS)
    events, people = [], []
    for e in range(int(len(everyone) * EVENTS_PER_PERSON)):
        k = rng.randrange(len(circles))
        lang = circles[k][0]
        kind_i = rng.randrange(len(EVENT_KINDS))
        day = datetime.fromtimestamp(rng.uniform(START_TS, END_TS), timezone.utc).date()
        if lang == "ja":
            name = JP_EVENT_NAMES[kind_i].format(city=rng.choice(JP_CITIES),
                                                 tech=rng.choice(JP_TECH),
                                                 domain=rng.choice(JP_DOMAINS), n=e % 50 + 1,
                                                 year=day.year)
            place = rng.choice(JP_PLACES)
        else:
            domain = rng.choice(EN_DOMAINS)
            name = EN_EVENT_NAMES[kind_i].format(city=rng.choice(EN_CITIES),
                                                 tech=rng.choice(EN_CONF_TECH),
                                                 Domain=domain.title(), n=e % 50 + 1,
                                                 year=day.year)
            place = rng.choice(EN_PLACES)
        # most events are small (a study group of 6), a few large (a conference of 80)
        size = min(len(everyone), max(3, int(rng.lognormvariate(2.3, 0.6))))
        met = {someone(k) for _ in range(size)}
        events.append((e + 1, name, EVENT_KINDS[kind_i], day.isoformat(), place, None, None,
                       now, now))
        people += [(e + 1, cid, None, now) for cid in sorted(met)]
    links: dict[tuple[int, int, str], tuple] = {}
    for kind, per_person in (("mutual", MUTUALS_PER_PERSON),
                             ("introduced_by", INTRODUCTIONS_PER_PERSON)):
        for _ in range(int(len(everyone) * per_person)):
            a = rng.choice(everyone)
            b = someone(circle_of[a])
            if a == b:
                continue
            lo, hi = min(a, b), max(a, b)
            links[(lo, hi, kind)] = (lo, hi, kind, a if kind == "introduced_by" else None,
                                     "generated", now)
    with db.transaction() as tx:
        tx.executemany("INSERT INTO events (id, name, kind, starts_on, place, url, notes,"
                       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
        tx.executemany("INSERT INTO event_people (event_id, contact_id, note, added_at)"
                       " VALUES (?, ?, ?, ?)", people)
        tx.executemany("INSERT INTO contact_links (a, b, kind, introducer, source, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)", list(links.values()))
    return {"events": len(events), "event_people": len(people), "contact_links": len(links)}


# -- facts (opt-in: --facts) ------------------------------------------------------------------------

FACT_ROWS_PER_TASK = 2_000
FACT_ROWS_PER_TRANSACTION = 20_000


def _read_facts(rows: list[tuple]) -> list[tuple]:
    """(interaction id, contact id, occurred_at, facts) for rows read by the facts store's own
    reader (a worker process)."""
    from companion.services.followup import store
    out = []
    for interaction_id, contact_id, direction, occurred_at, text in rows:
        if text and text.strip():
            out.append((interaction_id, contact_id, occurred_at,
                        store.read_interaction(text, direction, occurred_at)))
    return out


def analyze_facts(db: Database, log=_log, workers: int = 2) -> dict:
    """Every interaction's facts, their statuses and every contact's relationship state, with the
    facts store's own functions, as captures would have left them: store.read_interaction in
    ``workers`` processes, store.insert_facts, status.refresh_statuses per contact, and
    relationship.refresh_all at the network's end date. Returns per-phase seconds."""
    import multiprocessing

    from companion.services.followup import common, relationship, status, store
    timings = {}
    t0 = time.perf_counter()
    rows = db.query_all("SELECT id, contact_id, direction, occurred_at, text FROM interactions"
                        " ORDER BY id")
    tasks = [[tuple(r) for r in rows[i:i + FACT_ROWS_PER_TASK]]
             for i in range(0, len(rows), FACT_ROWS_PER_TASK)]
    del rows
    pending: list[tuple] = []
    done = 0

    def flush() -> None:
        with db.transaction() as conn:
            for interaction_id, contact_id, occurred_at, facts in pending:
                store.insert_facts(conn, contact_id, f"interaction:{interaction_id}", facts,
                                   occurred_at, interaction_id=interaction_id)
        pending.clear()

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for result in pool.imap(_read_facts, tasks):
            pending.extend(result)
            done += 1
            if len(pending) >= FACT_ROWS_PER_TRANSACTION:
                flush()
            if done % 50 == 0:
                log(f"    facts: {done * FACT_ROWS_PER_TASK:,} interactions read")
    flush()
    timings["facts_read_s"] = time.perf_counter() - t0
    log(f"  facts read and stored: {timings['facts_read_s']:.1f} s")
    t0 = time.perf_counter()
    ids = [r[0] for r in db.query_all("SELECT id FROM contacts ORDER BY id")]
    for start in range(0, len(ids), PEOPLE_PER_TRANSACTION):
        with db.transaction() as conn:
            for contact_id in ids[start:start + PEOPLE_PER_TRANSACTION]:
                status.refresh_statuses(conn, contact_id)
    timings["facts_status_s"] = time.perf_counter() - t0
    log(f"  fact statuses: {timings['facts_status_s']:.1f} s")
    t0 = time.perf_counter()
    relationship.refresh_all(db, now=END)
    timings["relationship_s"] = time.perf_counter() - t0
    log(f"  tiers and last two-way exchange: {timings['relationship_s']:.1f} s")
    t0 = time.perf_counter()
    common.refresh_stock(db)    # as the companion's daily job leaves it (companion/jobs.py)
    timings["stock_s"] = time.perf_counter() - t0
    log(f"  stock sentences: {timings['stock_s']:.1f} s")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return timings


def thread_url(rng: random.Random, platform: str) -> str:
    """The URL of a conversation page on a messaging site (made up, shaped like the real ones)."""
    if platform == "linkedin":
        return f"https://www.linkedin.com/messaging/thread/2-{rng.getrandbits(96):024x}/"
    if platform == "x":
        return f"https://x.com/messages/{rng.getrandbits(60)}-{rng.getrandbits(60)}"
    if platform == "wantedly":
        return f"https://www.wantedly.com/messages/{rng.getrandbits(30)}"
    if platform == "bluesky":
        return f"https://bsky.app/messages/{rng.getrandbits(64):016x}"
    return f"https://mastodon.social/conversations/{rng.getrandbits(40)}"


def _thread_key(rng: random.Random, platform: str, cid: int) -> str:
    if platform == "linkedin":
        return f"2-{rng.getrandbits(96):024x}"
    if platform == "x":
        return f"{1_000_000_000 + rng.getrandbits(30)}-{1_000_000_000 + cid}"
    return f"{platform}-{rng.getrandbits(64):016x}"


def _external_id(platform: str, seq: int, text: str) -> str:
    """Unique per platform: the site's id where it has one, else a hash (as the capture service
    makes for messages without an id)."""
    if platform == "linkedin":
        return f"urn:li:msg_message:2-{seq:010d}"
    if platform == "x":
        return str(1_300_000_000_000_000_000 + seq * 4099)
    return "sha256:" + hashlib.sha256(f"{platform}\x1f{seq}\x1f{text}".encode()).hexdigest()[:40]


def _bulk(db: Database, sql: str, rows: list[tuple]) -> None:
    for start in range(0, len(rows), ROWS_PER_TRANSACTION):
        with db.transaction() as conn:
            chunk = rows[start:start + ROWS_PER_TRANSACTION]
            for i in range(0, len(chunk), ROWS_PER_EXECUTEMANY):
                conn.executemany(sql, chunk[i:i + ROWS_PER_EXECUTEMANY])


# -- reuse by parameters (for the benches) ------------------------------------------------------

def params_key(params: dict) -> str:
    p = {**DEFAULTS, **params}
    # the opt-in follow-up texts (-f1) and facts (-a1) name their own folders
    extra = ("-f1" if p.get("followup") else "") + ("-a1" if p.get("facts") else "")
    return (f"net-c{p['contacts']}-i{p['identities_per_contact']}-m{p['interactions']}"
            f"-k{p['captures']}-s{p['seed']}-v{GENERATOR_VERSION}{extra}")


def ensure_network(out_dir: Path, log=_log, **params) -> Path:
    """The data folder of a network with these parameters under out_dir, generated when it is
    missing or incomplete. Returns the data folder."""
    p = {**DEFAULTS, **params}
    data_dir = Path(out_dir) / params_key(p)
    manifest = data_dir / MANIFEST
    if manifest.exists():
        info = json.loads(manifest.read_text())
        if info.get("params") == p:
            log(f"reusing {data_dir} (generated in {info['timings']['total_s']:.1f} s)")
            _bring_up_to_date(data_dir, p)
            return data_dir
    if data_dir.exists():
        for name in ("goen.sqlite3", "goen.sqlite3-wal", "goen.sqlite3-shm", MANIFEST, TRUTH):
            (data_dir / name).unlink(missing_ok=True)
    log(f"generating {data_dir} …")
    run(data_dir, p, log)
    return data_dir


def _bring_up_to_date(data_dir: Path, p: dict) -> None:
    """A network generated before the latest migrations gets them, and with facts what the
    companion's daily jobs keep (the stock sentences), as a running companion would have; one
    generated before events existed gets its events and links (``add_network_links``, which
    does nothing when they are there)."""
    db = Database(data_dir / "goen.sqlite3")
    try:
        applied = db.migrate()
        if applied and p.get("facts"):
            from companion.services.followup import common
            common.refresh_stock(db)
        # events and links came with migration 0011 (issue 7); whoever migrated the database
        # first, they are added once
        add_network_links(db, p["seed"])
    finally:
        db.close()


def run(data_dir: Path, p: dict, log=_log) -> dict:
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = Database(data_dir / "goen.sqlite3")
    t0 = time.perf_counter()
    db.migrate()
    generated = {k: v for k, v in p.items() if k != "facts"}
    result = generate(db, truth_path=data_dir / TRUTH, log=log, **generated)
    if p.get("facts"):
        result["timings"].update(analyze_facts(db, log=log))
        result["counts"]["facts"] = db.query_one("SELECT COUNT(*) FROM facts")[0]
    db.close()
    result["timings"]["wall_s"] = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in data_dir.glob("goen.sqlite3*"))
    result["db_bytes"] = size
    result["params"] = p
    (data_dir / MANIFEST).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--contacts", type=int, default=DEFAULTS["contacts"])
    parser.add_argument("--identities-per-contact", type=int,
                        default=DEFAULTS["identities_per_contact"])
    parser.add_argument("--interactions", type=int, default=DEFAULTS["interactions"])
    parser.add_argument("--captures", type=int, default=DEFAULTS["captures"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--followup", action="store_true",
                        help="also write messages from each person's own story (opt-in)")
    parser.add_argument("--facts", action="store_true",
                        help="then read every message's facts with the facts store (opt-in)")
    args = parser.parse_args(argv)
    p = dict(contacts=args.contacts, identities_per_contact=args.identities_per_contact,
             interactions=args.interactions, captures=args.captures, seed=args.seed)
    if args.followup:
        p["followup"] = True
    if args.facts:
        p["facts"] = True
    if (args.data_dir / "goen.sqlite3").exists():
        print(f"{args.data_dir / 'goen.sqlite3'} exists; give an empty or new --data-dir",
              file=sys.stderr)
        return 2
    print(f"generating into {args.data_dir}: {p}", flush=True)
    result = run(args.data_dir, p)
    c, t = result["counts"], result["timings"]
    print(f"contacts {c['contacts']:,}  identities {c['identities']:,}  "
          f"interactions {c['interactions']:,}  captures {c['captures']:,}")
    print(f"identities by platform: {c['identities_by_platform']}")
    print(f"database {result['db_bytes'] / 1e6:.0f} MB; elapsed {t['wall_s']:.1f} s "
          f"(people {t['contacts_identities_s']:.1f}, captures {t['captures_s']:.1f}, "
          f"interactions {t['interactions_s']:.1f}, checkpoint {t['checkpoint_s']:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
