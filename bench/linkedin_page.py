"""A synthetic ~1 MB page shaped like a logged-in LinkedIn profile, for bench_capture.py.

Made up from scratch; no real person. It mirrors what such a page carries, as far as the public
markup of the site is known: Ember's ``<!---->`` comment markers and ``ember-view`` ids
everywhere, long utility class lists (``artdeco-card``, ``pvs-list__item--line-separated``,
``display-flex flex-column full-width align-self-center`` …), every visible text twice
(``aria-hidden`` and ``visually-hidden``), inline SVG icons, a large inline ``<style>``, state
blobs as HTML-escaped JSON in ``<code style="display: none" id="bpr-guid-…">`` elements, and a
schema.org ``Person`` in JSON-LD in the head (the public profile has one in an ``@graph``).
"""

from __future__ import annotations

import html
import json
import random

PROFILE_URL = "https://www.linkedin.com/in/hina-takahashi-3a9b12c4/"
NAME = "高橋 陽菜"

_SVG_PATHS = [
    "M23 4H1a1 1 0 00-1 1v14a1 1 0 001 1h22a1 1 0 001-1V5a1 1 0 00-1-1zm-1 14H2V8l10 6 10-6z",
    "M21.71 20.29L18 16.61A9 9 0 1016.61 18l3.68 3.68a1 1 0 001.42 0 1 1 0 00.01-1.39zM11 18a7"
    " 7 0 117-7 7 7 0 01-7 7z",
    "M12 16.04l-8.55-4.27A2 2 0 012 10V5a3 3 0 013-3h14a3 3 0 013 3v5a2 2 0 01-1.45 1.77z",
    "M17 13.75l2-3.75-2-3.75L15.41 9H8.59L7 6.25 5 10l2 3.75L8.59 11h6.82z",
]
_TITLES = ["シニアソフトウェアエンジニア", "テックリード", "エンジニアリングマネージャー",
           "バックエンドエンジニア", "データエンジニア", "Software Engineer", "Staff Engineer"]
_COMPANIES = ["株式会社ひかりシステムズ", "ミライテクノロジーズ株式会社", "株式会社青葉ラボ",
              "Northwind Labs", "株式会社サクラソリューションズ", "Acme Analytics K.K."]
_WORDS = ("分散システム 決済基盤 マイクロサービス 可観測性 採用 育成 SRE Kubernetes Go Rust Python "
          "データ基盤 機械学習 推薦 検索 レイテンシ 改善 チーム 立ち上げ 移行 設計 レビュー 登壇 "
          "コミュニティ 勉強会 OSS 品質 テスト 自動化 CI/CD プロダクト ユーザー 価値 顧客 課題").split()
_EN_WORDS = ("distributed systems payments platform observability hiring mentoring latency "
             "migration design review community open-source quality testing automation "
             "product customers impact roadmap reliability scale").split()


def _svg(rng: random.Random, size: int = 24) -> str:
    path = rng.choice(_SVG_PATHS)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
            f'data-supported-dps="{size}x{size}" fill="currentColor" class="mercado-match" '
            f'width="{size}" height="{size}" focusable="false"><path d="{path}"></path></svg>')


def _icon(rng: random.Random, name: str) -> str:
    return (f'<li-icon aria-hidden="true" type="{name}" class="artdeco-button__icon" '
            f'size="small">{_svg(rng, 16)}</li-icon>')


def _text(rng: random.Random, n: int, japanese: bool = True) -> str:
    words = _WORDS if japanese else _EN_WORDS
    sep = "、" if japanese else " "
    return sep.join(rng.choice(words) for _ in range(n)) + ("。" if japanese else ".")


class _Ids:
    def __init__(self) -> None:
        self.n = 1000

    def __call__(self) -> str:
        self.n += 7
        return f"ember{self.n}"


def _dual(text: str) -> str:
    """Visible text the way the site writes it: once for the eye, once for screen readers."""
    t = html.escape(text)
    return (f'<span aria-hidden="true"><!---->{t}<!----></span>'
            f'<span class="visually-hidden"><!---->{t}<!----></span>')


def _entity(rng: random.Random, ids: _Ids, title: str, sub: str, dates: str, body: str,
            logo_href: str) -> str:
    return (
        f'<li class="artdeco-list__item pvs-list__item--line-separated '
        f'pvs-list__item--one-column" id="{ids()}"><!---->'
        f'<div class="pvs-entity pvs-entity--padded pvs-list__item--no-padding-in-columns" '
        f'data-view-name="profile-component-entity"><div>'
        f'<a class="optional-action-target-wrapper display-flex" target="_self" '
        f'href="{logo_href}" data-field="experience_company_logo">'
        f'<div class="ivm-image-view-model pvs-entity__image"><div class="ivm-view-attr__img-'
        f'wrapper display-flex"><!----><img width="48" '
        f'src="https://media.licdn.com/dms/image/v2/C560BAQ{rng.getrandbits(64):016x}/'
        f'company-logo_100_100/0/1630000000000?e=2147483647&amp;v=beta&amp;'
        f't={rng.getrandbits(128):032x}" '
        f'loading="lazy" height="48" alt="ロゴ" id="{ids()}" class="ivm-view-attr__img--centered '
        f'EntityPhoto-square-3 evi-image lazy-image ember-view"></div></div></a></div>'
        f'<div class="display-flex flex-column full-width align-self-center">'
        f'<div class="display-flex flex-row justify-space-between">'
        f'<div class="display-flex flex-column full-width">'
        f'<div class="display-flex align-items-center mr1 t-bold">{_dual(title)}</div>'
        f'<span class="t-14 t-normal">{_dual(sub)}</span>'
        f'<span class="t-14 t-normal t-black--light">{_dual(dates)}'
        f'<span class="pvs-entity__caption-wrapper" aria-hidden="true">{html.escape(dates)}'
        f'</span></span></div><div class="pvs-entity__action-container"><!----></div></div>'
        f'<div class="pvs-list__outer-container"><ul class="pvs-list"><li class=" ">'
        f'<div class="pvs-list__item--with-top-padding"><div class="display-flex">'
        f'<div class="display-flex full-width"><div class="inline-show-more-text--is-collapsed '
        f'inline-show-more-text--is-collapsed-with-line-clamp full-width" style="line-clamp:3;" '
        f'tabindex="-1">{_dual(body)}<!----><!----></div></div></div></div></li></ul></div>'
        f'</div></div></li>')


def _section(rng: random.Random, ids: _Ids, anchor: str, heading: str, items: list[str]) -> str:
    return (
        f'<section data-view-name="profile-card" class="artdeco-card pv-profile-card '
        f'break-words mt2" id="{ids()}"><div id="{anchor}" class="pv-profile-card__anchor"></div>'
        f'<div class="pvs-header__container"><div class="pvs-header__top-container--no-stack">'
        f'<div class="pvs-header__left-container--stack"><div class="pvs-header__title-container">'
        f'<h2 class="pvs-header__title text-heading-large">{_dual(heading)}</h2></div></div>'
        f'<div class="pvs-header__right-container"><a class="artdeco-button '
        f'artdeco-button--circle artdeco-button--muted artdeco-button--2 artdeco-button--tertiary '
        f'ember-view" href="{PROFILE_URL}add-edit/{anchor.upper()}/" id="{ids()}">'
        f'{_icon(rng, "add")}</a></div></div></div><div class="pvs-list__outer-container">'
        f'<ul class="pvs-list ph5 display-flex flex-row flex-wrap">{"".join(items)}</ul>'
        f'</div></section>')


def _state_blob(rng: random.Random, n: int) -> str:
    """One ``<code>`` element of the kind the site fills with normalised API state."""
    included = []
    for i in range(n):
        included.append({
            "$type": "com.linkedin.voyager.dash.identity.profile.Position",
            "entityUrn": f"urn:li:fsd_profilePosition:(ACoAA{rng.getrandbits(60):x},{i})",
            "title": rng.choice(_TITLES), "companyName": rng.choice(_COMPANIES),
            "description": _text(rng, 12), "dateRange": {"start": {"year": 2010 + i % 14,
                                                                   "month": 1 + i % 12}},
            "multiLocaleTitle": {"ja_JP": rng.choice(_TITLES)},
            "*company": f"urn:li:fsd_company:{rng.getrandbits(30)}",
            "trackingId": f"{rng.getrandbits(96):024x}",
        })
    data = json.dumps({"data": {"$type": "com.linkedin.restli.common.CollectionResponse",
                                "paging": {"count": n, "start": 0}},
                       "included": included}, ensure_ascii=False)
    return (f'<code style="display: none" id="bpr-guid-{rng.getrandbits(24)}">'
            f'{html.escape(data)}</code>')


def _person_jsonld() -> str:
    data = {"@context": "http://schema.org", "@graph": [
        {"@type": "Person", "name": NAME, "url": PROFILE_URL,
         "jobTitle": ["シニアソフトウェアエンジニア"],
         "worksFor": [{"@type": "Organization", "name": "株式会社ひかりシステムズ",
                       "url": "https://www.linkedin.com/company/hikari-systems-example",
                       "member": {"@type": "OrganizationRole", "startDate": 2019}}],
         "address": {"@type": "PostalAddress", "addressLocality": "東京都",
                     "addressCountry": "JP"},
         "alumniOf": [{"@type": "EducationalOrganization", "name": "架空大学"}],
         "description": "決済基盤とデータ基盤の設計をしています。SRE と採用にも関わっています。",
         "image": {"@type": "ImageObject",
                   "contentUrl": "https://media.licdn.com/dms/image/v2/D5603AQ-example/"
                                 "profile-displayphoto-shrink_200_200/0/1700000000000"},
         "sameAs": PROFILE_URL,
         "knowsLanguage": [{"@type": "Language", "name": "日本語"},
                           {"@type": "Language", "name": "English"}],
         "interactionStatistic": {"@type": "InteractionCounter",
                                  "interactionType": "https://schema.org/FollowAction",
                                  "name": "Follows", "userInteractionCount": 1234}},
        {"@type": "WebPage", "url": PROFILE_URL, "reviewedBy": {"@type": "Person",
                                                                "name": NAME}}]}
    return (f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}'
            f'</script>')


def _css(rng: random.Random, rules: int) -> str:
    out = []
    for i in range(rules):
        cls = rng.choice(["artdeco-card", "pvs-list", "pv-top-card", "global-nav", "scaffold",
                          "mercado-match", "ivm-image", "feed-shared", "msg-overlay"])
        out.append(f".{cls}__el-{i}{{display:flex;margin:{i % 16}px {i % 8}px;"
                   f"color:var(--color-text-low-emphasis);font-size:{12 + i % 6}px;"
                   f"transition:opacity .{i % 9}s ease-in-out}}")
    return "<style>" + "".join(out) + "</style>"


def profile_page(seed: int = 1, target_bytes: int = 1_000_000, marker: str = "",
                 hcard_substring: bool = False) -> str:
    """The page, about ``target_bytes`` of UTF-8. ``marker`` goes into a comment near the top
    (a re-capture that differs only there); ``hcard_substring`` adds one class name that
    contains "h-card", as an unlucky site's class could."""
    rng = random.Random(seed)
    ids = _Ids()
    head = (
        f'<!DOCTYPE html><html lang="ja" class="theme theme--mercado artdeco os-linux">'
        f'<head><meta charset="UTF-8"><!-- {marker} -->'
        f'<title>(12) {NAME} | LinkedIn</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="pageKey" content="d_flagship3_profile_view_base">'
        f'<meta name="locale" content="ja_JP"><meta name="robots" content="noarchive">'
        + "".join(f'<link rel="stylesheet" href="https://static.licdn.com/aero-v1/sc/h/'
                  f'{rng.getrandbits(96):024x}">' for _ in range(12))
        + "".join(f'<link rel="preload" as="script" href="https://static.licdn.com/aero-v1/sc/'
                  f'h/{rng.getrandbits(96):024x}">' for _ in range(10))
        + _css(rng, 450) + _person_jsonld()
        + '<script>window.__como_rehydration__ = ' + json.dumps(
            {f"k{i}": rng.getrandbits(64) for i in range(400)}) + ';</script>'
        + '</head>')
    nav_items = "".join(
        f'<li class="global-nav__primary-item"><a class="app-aware-link global-nav__primary-link" '
        f'href="https://www.linkedin.com/{name}/" id="{ids()}">'
        f'<div class="ivm-image-view-model global-nav__icon-ivm">{_svg(rng)}</div>'
        f'<span class="t-12 break-words block t-black--light t-normal global-nav__primary-link-'
        f'text" title="{label}">{label}</span></a></li>'
        for name, label in [("feed", "ホーム"), ("mynetwork", "ネットワーク"), ("jobs", "求人"),
                            ("messaging", "メッセージ"), ("notifications", "お知らせ")] * 2)
    nav = (f'<header id="global-nav" class="global-nav global-nav--mercado"><div '
           f'class="global-nav__content"><nav class="global-nav__nav"><ul '
           f'class="global-nav__primary-items">{nav_items}</ul></nav></div></header>')
    top = (
        f'<section class="artdeco-card pv-top-card" id="{ids()}"><div class="ph5 pb5">'
        f'<div class="pv-top-card__non-self-photo-wrapper"><img width="200" '
        f'title="{NAME}" src="https://media.licdn.com/dms/image/v2/D5603AQ-example/'
        f'profile-displayphoto-shrink_200_200/0/1700000000000" class="pv-top-card-profile-picture'
        f'__image--show evi-image ember-view"></div><div class="mt2 relative">'
        f'<div><h1 class="text-heading-xlarge inline t-24 v-align-middle break-words">{NAME}'
        f'</h1></div><div class="text-body-medium break-words">シニアソフトウェアエンジニア @ '
        f'株式会社ひかりシステムズ | 決済・データ基盤</div><span class="text-body-small inline '
        f't-black--light break-words">東京都 日本</span></div>'
        f'<ul class="pv-top-card--list"><li class="text-body-small"><span class="t-bold">500+'
        f'</span> つながり</li></ul><div class="pv-top-card-v2-ctas">'
        + "".join(f'<button aria-label="{label}" class="artdeco-button artdeco-button--2 '
                  f'artdeco-button--primary ember-view" id="{ids()}">{_icon(rng, "send")}'
                  f'<span class="artdeco-button__text">{label}</span></button>'
                  for label in ("メッセージ", "フォロー", "その他"))
        + '</div></div></section>')
    experience = _section(rng, ids, "experience", "職歴", [
        _entity(rng, ids, rng.choice(_TITLES), f"{rng.choice(_COMPANIES)} · 正社員",
                f"{2024 - i // 2}年{1 + i % 12}月 - {'現在' if i == 0 else f'{2025 - i // 2}年3月'}",
                _text(rng, 40) + " " + _text(rng, 20, japanese=False),
                f"https://www.linkedin.com/company/{rng.getrandbits(24)}/")
        for i in range(60)])
    education = _section(rng, ids, "education", "学歴", [
        _entity(rng, ids, f"架空大学 {s}", "情報工学 修士", "2008 - 2010", _text(rng, 15),
                "https://www.linkedin.com/school/example/") for s in ("大学院", "工学部", "高校")])
    skills = _section(rng, ids, "skills", "スキル", [
        _entity(rng, ids, w, f"{rng.randrange(2, 99)}件の推薦", "", "", PROFILE_URL + "details/")
        for w in (rng.choice(_WORDS + _EN_WORDS) for _ in range(90))])
    recs = _section(rng, ids, "recommendations", "推薦", [
        _entity(rng, ids, f"推薦者 {i}", rng.choice(_TITLES), "2023年5月", _text(rng, 80),
                "https://www.linkedin.com/in/someone-example/") for i in range(12)])
    activity = _section(rng, ids, "activity", "アクティビティ", [
        _entity(rng, ids, "投稿", f"{rng.randrange(1, 52)}週間前", "", _text(rng, 60)
                + " #" + " #".join(rng.choice(_EN_WORDS) for _ in range(5)),
                "https://www.linkedin.com/feed/update/urn:li:activity:1/") for _ in range(40)])
    people = "".join(
        f'<li class="artdeco-list__item" id="{ids()}"><div class="pvs-entity"><a '
        f'href="https://www.linkedin.com/in/example-person-{i}/"><img width="56" '
        f'src="https://media.licdn.com/dms/image/v2/example-{i}" class="evi-image"></a>'
        f'<div class="display-flex flex-column">{_dual(f"架空 人物{i}")}'
        f'<span class="t-14 t-normal">{_dual(rng.choice(_TITLES))}</span></div>'
        f'<button class="artdeco-button artdeco-button--secondary artdeco-button--muted" '
        f'id="{ids()}">{_icon(rng, "connect")}<span>つながる</span></button></div></li>'
        for i in range(40))
    hcard_class = " global-nav__search-card" if hcard_substring else ""
    aside = (f'<aside class="scaffold-layout__aside{hcard_class}"><section '
             f'class="artdeco-card pv-profile-card"><h2>他の人が見ているプロフィール</h2>'
             f'<ul>{people}</ul></section></aside>')
    body_open = (f'<body dir="ltr" class="render-mode-BIGPIPE nav-v2 ember-application '
                 f'boot-complete icons-loaded"><div class="application-outlet">{nav}'
                 f'<div class="authentication-outlet"><div class="scaffold-layout '
                 f'scaffold-layout--breakpoint-xl scaffold-layout--main-aside '
                 f'scaffold-layout--reflow"><div class="scaffold-layout__inner '
                 f'scaffold-layout-container"><div class="scaffold-layout__row '
                 f'scaffold-layout__content"><main class="scaffold-layout__main" id="main">'
                 f'{top}{experience}{education}{skills}{recs}{activity}</main>{aside}'
                 f'</div></div></div></div></div>')
    tail = '<div id="artdeco-toasts__wormhole"></div><div id="msg-overlay"></div></body></html>'
    page = head + body_open
    blobs = []
    size = len((page + tail).encode("utf-8"))
    while size < target_bytes:
        blob = _state_blob(rng, 20)
        blobs.append(blob)
        size += len(blob.encode("utf-8"))
    return page + "".join(blobs) + tail
