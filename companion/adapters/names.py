"""Family name, given name and reading from a display name, Japanese first.

``split_name(display_name, reading)`` guesses the parts of a name as a page writes it;
``apply_names(profile)`` fills ``family_name`` / ``given_name`` / ``reading`` that the adapter left
empty (never overwriting what it set). Both never raise.

Rules, in short (the tests are the full table):

* The display name is analysed NFKC-normalised (half-width kana, full-width Latin and the
  ideographic space become ordinary ones; CJK compatibility ideographs such as 﨑 are kept as
  written), with emoji, symbols and control characters dropped. ``display_name`` itself is never
  changed; the parts returned are taken from the normalised text.
* The text is cut into segments at ``/ | @`` and brackets (``山田 太郎 (Taro Yamada)``,
  ``山田太郎@転職活動中``, ``【公式】山田太郎``) and where the script changes between CJK and Latin.
  The name is the first segment with kanji, else the first kana or Latin one (text outside
  brackets first); a kana segment beside a kanji or Latin name is its reading.
* Kanji with a space or ``・``: family first. Without one: the longest known Japanese surname
  (the list below) that leaves 1–3 characters is the family name; otherwise the name is left
  unsplit. A known surname followed by kana (``長澤まさみ``) splits where the kana starts.
  Hangul is never split; a Chinese name without a Japanese surname prefix stays unsplit.
* Kana with a space: family first. Katakana joined by ``・`` or ``=`` is a foreign name written
  in Western order (``ジョン・スミス``). Kana without a separator stays unsplit.
* Latin: ``Yamada, Taro`` → family before the comma; an all-capitals word is the family name
  (``YAMADA Taro``, ``Taro YAMADA``: kept as written); ``Yamada Taro`` with a known Japanese
  surname first and a plausible romaji given name after it → Japanese order; otherwise Western
  order, the last word being the family name together with particles before it (``van``,
  ``de``…). One word, digits or underscores (handles), more than five words: left unsplit.
* Readings are kept in the script the page gave (hiragana or katakana), NFKC-normalised, with
  spaces / ``・`` collapsed to one half-width space.

Why a surname list and not fugashi + unidic-lite: UniDic tags 姓/名 well and is fast (measured:
import ~10 ms, ~2 µs a name), but unidic-lite installs 249 MB for what is here a ~1,000-name
prefix table (this module: ~40 KB, ~10 µs a name, no native code). A name the list does not know
is left unsplit, never guessed.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass

from companion.adapters.base import Profile


@dataclass(frozen=True)
class NameParts:
    family: str | None
    given: str | None
    reading: str | None
    script: str  # "kanji", "kana", "latin", "mixed" or "other"


# Common Japanese surnames, compiled for Goen by hand from general knowledge of Japanese
# surnames (no third-party list copied). Ordered roughly by frequency; variant kanji (澤, 﨑,
# 邊, 濱…) are generated below. Single-character surnames are kept to ones that are common in
# Japan; Chinese-typical ones (王, 李, 張, 陳, 劉, 金, 朴…) are deliberately absent.
_SURNAMES_TEXT = """
佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水
山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本
斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田
上田 原 内田 柴田 酒井 宮崎 横山 高木 安藤 宮本 大野 小島 谷口 今井 工藤 高田 増田 丸山 杉山 村田
大塚 新井 小山 平野 藤本 河野 上野 野口 武田 松井 千葉 岩崎 菅原 木下 久保 佐野 野村 松尾 市川 菊地
杉本 古川 大西 島田 水野 桜井 高野 渡部 吉川 山内 西田 飯田 菊池 西川 小松 北村 安田 五十嵐 川口
平田 関 中田 久保田 服部 東 岩田 土屋 川崎 福島 本田 辻 樋口 秋山 田口 永井 山中 中西 吉村 川上
石原 大橋 松岡 馬場 浅野 荒木 大久保 野田 小沢 田辺 川村 星野 黒田 堀 尾崎 望月 永田 熊谷 内藤 松村
西山 大谷 平井 大島 岩本 片山 本間 早川 横田 岡崎 荒井 大石 鎌田 成田 宮田 小田 石橋 篠原 須藤 河合
大川 高山 吉岡 中尾 小池 松下 浅井 山根 福井 北川 西本 上原 村井 今村 小西 川島 辻本 森本 堀内 中沢
松浦 矢野 山岸 桑原 大竹 吉野 宮下 小泉 小野寺 大山 南 山村 松永 関口 岡村 片岡 前川 宮原 西岡 奥村
菅野 野崎 三宅 日高 坂口 佐久間 松山 小澤 中井 藤川 奥田 富田 田島 青山 栗原 中嶋 神田 堀田 松原
大森 小倉 岩井 小森 森下 福本 山上 小原 森山 北野 奥山 堀江 樋渡 荒川 松崎 川端 大沢 宮内 吉原 竹田
松川 岡 三上 浜田 梅田 西野 石崎 竹下 竹中 大庭 小笠原 宇野 市村 桑田 奥野 野中 長田 山川 大和田
末永 末吉 古田 江口 岩瀬 細川 中原 米田 上村 浅田 谷 杉浦 田原 内山 石塚 長尾 広瀬 堤 松島 秋元
金井 植田 稲葉 甲斐 白石 森井 竹本 安部 桜田 中谷 西尾 飯塚 芦田 畑中 須田 寺田 野上 滝沢 北原 笠原
宮城 宮川 那須 相馬 金田 大木 下田 篠崎 坂井 小谷 戸田 吉井 北島 今野 牧野 向井 松野 中本 今田 大内
船橋 村山 平川 土井 小出 中條 梅津 三好 沢田 塚本 三木 神谷 田代 上山 高島 岸本 福原 細井 若林 宮沢
岩崎 稲垣 藤野 前原 岸 服部 新田 萩原 有田 白井 小宮 片桐 木内 浅見 早坂 落合 瀬戸 川野 久米 田上
古賀 緒方 徳永 江藤 草野 宮地 牧 泉 畑 沢 島 浜 杉 梅 柳 滝 星 北 西 榊 楠 峰 乾 巽 柏 桂 栗 湊 岩
堺 館 舘 菅 曽根 久野 本多 富永 安井 立花 清田 志村 黒川 西沢 岡野 相沢 吉沢 長島 東野 米山 永野
水谷 河村 坂田 若松 松木 増井 岩佐 有村 二宮 八木 八田 三田 三井 三輪 五味 六車 七海 九条 十河 百瀬
千田 万田 一条 一ノ瀬 一ノ宮 二階堂 三枝 四谷 五島 六本木 八代 九鬼 十文字 千野 石黒 石森 石山 石坂
石渡 石野 石丸 石本 石倉 石垣 石岡 石津 石上 石谷 石村 石関 岩下 岩村 岩永 岩野 岩沢 岩切 岩城 岩間
岩尾 岩淵 岩谷 岩松 岩上 岩見 岩木 岩橋 岩元 岩政 上杉 上島 上条 上坂 上川 上中 上西 上松 上岡 上林
上出 上地 上遠野 下村 下山 下川 下地 下野 下条 下平 中尾 中原 中居 中畑 中道 中森 中江 中内 中岡 中根
中澤 中里 中平 中土井 中林 中条 中塚 中込 中川原 中窪 中間 中筋 中須 中宮 中藤 中住 中垣 中溝 大田
大城 大場 大坪 大村 大平 大河内 大江 大熊 大嶋 大宮 大貫 大槻 大滝 大関 大岩 大岡 大崎 大須賀 大前
大道 大原 大坂 大谷地 大畑 大浦 大西 大林 大井 大倉 大澤 大泉 大月 大津 大樹 大友 大橋 大矢 大河原
小坂 小寺 小室 小谷野 小柳 小杉 小口 小関 小菅 小高 小西 小畑 小浜 小堀 小平 小幡 小林 小峰 小俣
小宮山 小熊 小針 小長谷 小栗 小竹 小見山 小椋 小向 小牧 小田切 小田島 小野田 小野塚 小野木 小早川
小和田 小久保 小松原 小代 小嶋 小島 小塚 小沼 小澤 小笠 小森谷 小嶺 小湊 小城 小井土 高梨 高松 高村
高須 高岡 高瀬 高畑 高見 高嶋 高原 高宮 高倉 高垣 高石 高杉 高本 高田 高柳 高沢 高桑 高井 高谷 高見沢
高崎 高津 高藤 高森 高良 高波 高島 高尾 高階 田川 田所 田畑 田端 田丸 田渕 田坂 田宮 田部 田頭 田崎
田沢 田尻 田内 田井 田上 田淵 田野 田山 田鍋 田嶋 田邊 田原 田岡 田谷 山際 山形 山路 山腰 山野 山脇
山岡 山縣 山県 山西 山谷 山元 山家 山城 山室 山辺 山名 山越 山副 山浦 山宮 山倉 山森 山尾 山戸 山端
山井 山来 山里 山北 山地 山添 山角 山川 山沢 山嵜 山梨 川合 川瀬 川原 川西 川田 川本 川井 川越 川辺
川北 川中 川谷 川畑 川添 川嶋 川久保 川又 川俣 川島 川内 川岸 川尻 川勝 川名 川口 川端 川上 森岡 森川
森谷 森村 森永 森脇 森重 森崎 森中 森口 森沢 森島 森野 森尾 森内 森原 森上 森嶋 森元 森戸 林田 林原
松岡 松江 松坂 松沢 松澤 松谷 松藤 松宮 松倉 松原 松林 松葉 松元 松前 松村 松石 松丸 松平 松隈 松波
松成 松延 松井 松居 松浪 松嶋 松居 藤岡 藤沢 藤村 藤崎 藤森 藤島 藤江 藤巻 藤波 藤谷 藤城 藤代 藤堂
藤吉 藤枝 藤倉 藤間 藤平 藤垣 藤尾 藤浪 藤掛 藤木 藤山 藤下 藤澤 藤瀬 藤永 藤生 藤岡 伊東 伊達 伊丹
伊賀 伊沢 伊原 伊勢 伊豆 伊佐 伊集院 伊地知 井口 井川 井田 井出 井手 井原 井本 井沢 井坂 井村 井戸
井関 井野 井澤 井筒 井岡 井下 今西 今泉 今中 今川 今枝 今井田 今関 今津 今堀 今吉 今福 宇田 宇田川
宇佐美 宇津木 宇都宮 宇治 宇井 宇山 内村 内海 内堀 内野 内川 内橋 内館 内池 内原 江川 江崎 江原 江本
江上 江田 江頭 江島 江畑 江村 遠山 遠田 遠野 奥 奥井 奥谷 奥平 奥原 奥寺 奥川 奥西 奥沢 奥津 奥本
押田 押川 尾上 尾形 尾関 尾田 尾野 尾山 尾花 尾島 小田嶋 加納 加賀 加賀谷 加瀬 加茂 加山 加地 加古
角田 角野 角谷 角 梶 梶原 梶田 梶山 梶谷 梶本 片平 片倉 片野 片瀬 片桐 金沢 金城 金森 金山 金丸 金谷
金本 金田 金崎 金村 金原 金津 金久保 鎌倉 神山 神崎 神林 神原 神田 神保 神尾 神戸 神野 神村 神長 亀井
亀田 亀山 亀岡 亀谷 川崎 菊田 菊川 菊池 岸田 岸野 岸川 岸上 北沢 北山 北条 北浦 北田 北岡 北畑 北本
北林 北見 北出 北澤 木田 木原 木本 木戸 木場 木口 木谷 木崎 木暮 木全 木野 木島 木嶋 木股 木幡 木元
清原 清野 清家 清宮 清川 清瀬 桐山 桐原 桐谷 工藤 国分 国井 国吉 国枝 国本 国武 国田 久保木 久野 久田
久松 久保寺 久我 久住 久米田 熊田 熊本 熊沢 熊野 倉田 倉持 倉本 倉橋 倉石 倉沢 栗田 栗山 栗林 栗本
栗栖 黒木 黒沢 黒須 黒岩 黒崎 黒滝 黒石 黒柳 黒江 黒澤 桑野 桑島 桑名 桑山 小池 河原 河田 河本 河内
河西 河津 河崎 河井 河口 河辺 合田 郡司 古屋 古谷 古畑 古沢 古市 古川 古館 古橋 古澤 古家 古森 古野
後藤田 近江 近森 今 坂上 坂下 坂元 坂野 坂巻 坂倉 坂東 坂尾 坂内 坂部 坂爪 酒井田 佐伯 佐竹 佐川 佐山
佐原 佐々 佐田 佐治 佐和 佐瀬 佐古 沢井 沢口 沢村 沢野 沢木 沢辺 沢田 椎名 塩田 塩谷 塩見 塩崎 塩野
塩原 塩川 塩沢 重田 重松 重村 篠田 篠塚 芝田 芝 柴崎 柴山 柴原 柴 島崎 島村 島袋 島津 島本 島野 島根
嶋田 清水谷 下川 下谷 白川 白鳥 白土 白木 白坂 白浜 白岩 白根 白戸 新谷 新垣 新村 新藤 新居 新山 新美
新保 新川 新妻 新沼 進藤 神宮 菅谷 菅沼 菅田 菅井 菅生 杉田 杉原 杉村 杉崎 杉谷 杉野 杉江 杉森 鈴村
須田 須賀 須山 須貝 須崎 須永 角井 関谷 関根 関本 関野 関川 関屋 瀬川 瀬尾 瀬古 仙波 仙石 相良 相原
相田 相川 相場 相葉 曽我 曽我部 曽根原 袖山 園田 染谷 平 平山 平岡 平松 平沢 平塚 平林 平尾 平賀
平良 平間 平石 平本 平澤 高月 滝口 滝本 滝川 滝田 滝野 竹村 竹山 竹原 竹谷 竹島 竹林 竹沢 竹森 竹野
竹井 竹川 武井 武内 武藤 武石 武部 武本 武市 武居 武川 立川 立石 立野 田畑 谷川 谷本 谷村 谷田 谷沢
谷崎 谷内 谷澤 谷岡 谷野 玉井 玉木 玉田 玉置 玉城 千田 千原 千葉 長 長井 長岡 長野 長沢 長澤 長浜 長嶋
長友 長瀬 長坂 長崎 長山 長江 長沼 長縄 長谷 長谷部 長谷山 長尾 長屋 長部 塚田 塚原 塚越 塚崎 津田
津村 津川 土田 土橋 土居 土肥 土谷 土山 筒井 堤 常盤 鶴田 鶴岡 鶴見 寺島 寺本 寺尾 寺西 寺井 寺沢
寺崎 寺山 寺内 寺岡 寺門 照井 土岐 徳田 徳山 徳丸 徳本 戸塚 戸川 戸井 戸村 戸谷 飛田 富岡 富樫 富山
富沢 富士 富井 富永 豊田 豊島 豊川 豊永 鳥居 鳥海 鳥山 内藤 直井 永山 永松 永島 永瀬 永尾 永吉 永江
中谷 仲村 仲田 仲間 仲宗根 長岡 名取 夏目 並木 成瀬 成沢 南雲 新津 西井 西浦 西尾 西岡 西垣 西川 西口
西崎 西沢 西島 西嶋 西条 西谷 西原 西牧 西松 西脇 西澤 西堀 西森 西畑 西出 西片 西宮 西端 根本 根岸
根津 野沢 野呂 野原 野本 野上 野々村 野間 野澤 野島 野末 延原 萩野 萩尾 萩本 橋爪 橋口 橋場 蓮見
長谷田 畑山 畑野 波多野 八重樫 服部 花田 花岡 花井 羽田 羽生 浜口 浜野 浜崎 浜本 浜中 浜島 浜岡 早田
林部 原口 原島 原野 原沢 春山 坂 半田 東山 東海林 東條 東出 樋口 日野 日比野 比嘉 久田 菱田 人見 平出
広田 広野 広川 広中 広岡 広沢 広井 広畑 深沢 深谷 深田 深井 深川 深見 福岡 福永 福地 福山 福元 福住
福沢 福間 福森 藤巻 二村 二瓶 舟橋 船木 船越 古木 古沢 別府 保坂 星 星川 細田 細谷 細野 堀川 堀口
堀越 堀部 堀本 堀井 堀尾 本橋 本山 本庄 本多 本村 本郷 前島 前野 前澤 牧田 牧原 槇 真田 真鍋 増山
増子 増村 町田 松阪 丸岡 丸田 丸尾 丸橋 丸井 三上 三沢 三谷 三村 三橋 三原 三島 三瓶 三森 三好 三角
水口 水上 水島 水田 水原 水本 水沼 溝口 溝上 三井 光岡 宮 宮井 宮尾 宮岡 宮沢 宮澤 宮島 宮脇 宮野
宮森 宮坂 宮嶋 宮永 宮前 宮武 三輪 向山 向田 武藤 村松 村瀬 村岡 村中 村本 村越 村尾 村西 室井 室田
目黒 茂木 望月 元木 本宮 百田 森永 守屋 守田 諸橋 八島 矢口 矢島 矢田 矢作 矢部 矢吹 矢崎 矢沢 安川
安原 安本 安岡 安永 安達 安西 柳 柳田 柳沢 柳瀬 柳原 柳井 藪 藪田 山ノ内 湯浅 湯川 湯本 由井 横井
横川 横尾 横沢 横関 横溝 横瀬 横手 吉井 吉池 吉浦 吉尾 吉成 吉永 吉見 吉本 吉松 吉武 吉住 吉崎 吉沢
吉澤 吉原 吉光 米沢 米倉 米原 米村 米本 米谷 若山 若井 若月 若尾 若杉 若菜 和久井 鷲尾 渡 渡会 渡瀬
阿久津 阿川 阿南 阿比留 阿部田 相沢 青柳 青島 青野 青田 青井 赤井 赤坂 赤木 赤松 赤羽 赤石 赤星 赤尾
秋田 秋葉 秋本 秋吉 浅川 浅沼 浅倉 浅岡 朝倉 朝日 朝比奈 芦田 芦沢 東 麻生 足立 安達 阿久根 新垣 荒谷
有馬 有賀 安東 安斎 飯島 飯野 飯沼 飯村 飯山 五十嵐 生田 池上 池内 池永 池谷 池本 石井 石渡 泉田 泉谷
磯部 磯野 磯貝 板垣 板倉 板橋 板谷 市原 市村 市来 一色 伊原 今泉 入江 岩崎 上垣 植村 植木 植松 上原
臼井 内海 梅原 梅本 梅沢 梅村 浦田 浦川 浦野 漆原 江原 海老原 海老沢 遠藤 及川 大内 大下 大谷 大塚
太田 大竹 鴻上 小城 越智 尾崎 押尾 小田 落合 乙部 鬼塚 小原 折原 甲斐 柿沼 柿本 笠井 笠松 樫山 柏木
柏原 春日 粕谷 片山 勝又 勝田 桂木 加藤 門田 門脇 金沢 蟹江 兼子 鹿島 樺沢 鎌田 上條 神谷 亀井 唐沢
河合 川越 河野 菊地 木所 岸本 北川 北村 吉川 城 木下 木村 清水 桐生 日下 日下部 久保 熊谷 倉持 栗原
黒田 桑原 小暮 小坂 古賀 腰塚 小島 五島 小玉 兒玉 児玉 後藤 小中 小西 小町 駒井 駒田 小松 小宮 小山
今野 紺野 近藤 斉藤 齊藤 齋藤 斎藤 三枝 早乙女 境 榊原 坂口 坂本 相楽 桜井 桜木 佐々木 笹川 笹木 笹本
笹原 笹田 笹井 笹岡 笹山 貞方 佐竹 里見 真田 佐野 鮫島 沢 塩崎 志賀 宍戸 品川 篠原 柴田 渋谷 渋川
島 清水 下田 庄司 白井 城田 新庄 神野 菅 杉浦 鈴江 須藤 住吉 住田 瀬戸口 関 芹沢 千石 宗像 曽根
反町 高井 高垣 高木 高瀬 多賀 滝 田口 竹内 竹下 武田 田代 立花 辰巳 伊達 田中 棚橋 田辺 谷 谷口
玉川 田村 丹野 近松 千葉 塚本 辻 辻村 土屋 堤 角田 坪井 坪内 鶴 手島 寺田 土井 東郷 遠山 徳永 所
戸田 富田 外山 鳥羽 中 中川 中島 中田 中西 中野 中原 中村 中山 永井 永田 長島 成田 難波 新島 新堀
西 西田 西村 二宮 布施 沼田 根来 野口 野村 萩原 羽鳥 橋本 長谷川 畠山 畠中 秦 波多 八田 服部 花村
馬場 浜 早川 林 原 原田 東 樋口 菱川 日向 平井 平田 平野 広瀬 福井 福田 藤井 藤田 藤原 二木 古川
北條 細川 堀 本田 前田 牧 政岡 増田 又吉 松井 松尾 松本 丸山 三浦 三上 水野 南 宮崎 宮田 宮本 向井
村井 村上 村田 持田 本木 森 森田 八木 矢野 山内 山口 山崎 山下 山田 山本 結城 湯田 横田 横山 吉田
吉野 吉村 米田 和田 渡辺 渡部 綾瀬 有吉 石原 上戸 北乃 蒼井 新垣 桐谷 仲里 比嘉 知念 玉城 宮里 金城
大城 上原 喜屋武 照屋 具志堅 島袋 新城 安里 嘉手納 渡嘉敷 国仲 平良 屋比久 当山 宜保 勅使河原 長曽我部
"""

# Variant kanji that people write in their own names (渡邊, 山﨑, 長澤, 髙橋…).
_VARIANTS = {
    "沢": "澤", "崎": "﨑嵜", "島": "嶋嶌", "辺": "邊邉", "浜": "濱", "広": "廣", "桜": "櫻",
    "斉": "齊", "斎": "齋", "高": "髙", "条": "條", "国": "國", "竜": "龍",
    "関": "關", "徳": "德", "恵": "惠", "蔵": "藏", "滝": "瀧", "富": "冨",
}


def _build_surnames() -> frozenset[str]:
    base = set(_SURNAMES_TEXT.split())
    names = set(base)
    for name in base:
        variants = {name}
        for i, char in enumerate(name):
            alternatives = _VARIANTS.get(char, "")
            variants |= {v[:i] + alt + v[i + 1:] for v in variants for alt in alternatives
                         if len(v) == len(name)}
        names |= variants
    return frozenset(names)


_SURNAMES = _build_surnames()
_MAX_SURNAME = max(map(len, _SURNAMES))

# Characters that typically end a surname: after a one-character surname (or before a
# three-character remainder) they suggest the list just does not know a longer surname
# (森 + 本太郎 is more likely 森本 + 太郎), so the name is left unsplit.
_SURNAME_FINALS = frozenset(
    "田本川山野村井木藤原島崎沢口部谷岡内下尾橋池江瀬浦坂辺塚屋畑浜岸端根戸倉場澤嶋﨑邊濱間沼堀"
)

# Common romaji surnames (same hand-made source), used only to recognise "Yamada Taro".
_ROMAJI_SURNAMES_TEXT = """
sato suzuki takahashi tanaka ito watanabe yamamoto nakamura kobayashi kato yoshida yamada
sasaki yamaguchi matsumoto inoue kimura hayashi saito shimizu yamazaki yamasaki ikeda hashimoto
abe ishikawa yamashita nakajima nakashima ishii ogawa maeda okada hasegawa fujita goto kondo
murakami endo aoki sakamoto fukuda ota nishimura fujii kaneko okamoto fujiwara nakano miura
harada nakagawa matsuda takeuchi ono tamura nakayama wada ishida morita ueda hara uchida shibata
sakai miyazaki yokoyama takagi ando miyamoto ono kojima taniguchi imai kudo takada masuda
maruyama sugiyama murata otsuka arai koyama hirano fujimoto kono kawano ueno noguchi takeda
matsui chiba iwasaki sugawara kinoshita kubo sano nomura matsuo ichikawa kikuchi sugimoto
furukawa onishi shimada mizuno sakurai takano yoshikawa yamauchi nishida iida nishikawa komatsu
kitamura yasuda igarashi kawaguchi hirata seki nakata kubota hattori iwata tsuchiya kawasaki
fukushima honda tsuji higuchi akiyama taguchi nagai yamanaka nakanishi yoshimura kawakami
ishihara ohashi matsuoka baba asano araki okubo noda ozawa tanabe kawamura hoshino kuroda hori
ozaki mochizuki nagata kumagai naito matsumura nishiyama otani hirai oshima iwamoto katayama
homma honma hayakawa yokota okazaki oishi kamata narita miyata oda ishibashi shinohara sudo
kawai okawa takayama yoshioka nakao koike matsushita asai yamane fukui kitagawa uehara mori
murai imamura konishi kawashima sugiura tsukamoto kishimoto hagiwara miyake sakaguchi
kuwahara yano onodera kikuta hirose takemura nagano kanda tokunaga
"""


def _romaji_key(word: str) -> str:
    """Lower case without macrons, long vowels folded: Satō, Satou, Satoh and Sato meet."""
    word = "".join(c for c in unicodedata.normalize("NFD", word.lower())
                   if not unicodedata.combining(c))
    word = re.sub(r"oh(?![aiueoy])", "o", word)
    return word.replace("ou", "o").replace("oo", "o").replace("uu", "u")


_ROMAJI_SURNAMES = frozenset(_romaji_key(w) for w in _ROMAJI_SURNAMES_TEXT.split())
# Hepburn (and common variants) syllables: a word made only of these may be a Japanese name.
_ROMAJI_WORD = re.compile(
    r"(?:[aiueo]|(?:ky|gy|sh|sy|j|jy|ch|cy|ts|ny|hy|by|py|my|ry|[kgszjtdnhbpmyrwf])[aiueo]|"
    r"n(?![aiueoy])|(?<=[aiueo])h(?![aiueoy])|([kgsztdhbpmcfj])(?=\1))+"
)

_PARTICLES = frozenset(
    "van von de da del della dos das do di du der den ter ten la le bin binti al el zu".split()
    + ["ダ", "デ", "ド", "ヴァン", "ファン", "フォン", "デル", "ディ", "ドゥ", "ラ", "ル"]
)
_TITLES = frozenset("mr mrs ms miss mx dr prof sir dame".split())
_SUFFIXES = frozenset("jr sr ii iii iv phd md mba esq".split())
_CAPS_NOT_NAMES = frozenset("dj mc jr sr ii iii iv ceo cto cfo coo phd mba md".split())
_HONORIFICS = ("さん", "さま", "様", "氏", "先生")


def _is_han(c: str) -> bool:
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F or c in "々〆〇")


def _is_kana(c: str) -> bool:
    o = ord(c)
    return (0x3041 <= o <= 0x309F or 0x30A0 <= o <= 0x30FA or 0x30FC <= o <= 0x30FF
            or 0x31F0 <= o <= 0x31FF)


def _is_hangul(c: str) -> bool:
    o = ord(c)
    return 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def _is_latin(c: str) -> bool:
    o = ord(c)
    return c.isalpha() and (o < 0x250 or 0x1E00 <= o <= 0x1EFF)


def _kind(c: str) -> str:
    if _is_han(c):
        return "han"
    if _is_kana(c):
        return "kana"
    if _is_hangul(c):
        return "hangul"
    if _is_latin(c):
        return "latin"
    if c.isalpha():
        return "other"
    return ""


def _normalise(text: str) -> str:
    """NFKC except CJK compatibility ideographs; symbols, emoji and controls dropped."""
    out = []
    for run in re.split(r"([\uF900-\uFAFF\U0002F800-\U0002FA1F]+)", text):
        if run and not ("\uF900" <= run[0] <= "\uFAFF" or "\U0002F800" <= run[0] <= "\U0002FA1F"):
            run = unicodedata.normalize("NFKC", run)
        out.append(run)
    kept = []
    for c in "".join(out):
        cat = unicodedata.category(c)
        if c.isspace() or cat == "Zs":
            kept.append(" ")
        elif cat[0] in "LMN" or cat in ("Pd", "Ps", "Pe", "Po", "Pc", "Pi", "Pf"):
            kept.append(c)
        # So (emoji, symbols), Sk, Sm, Sc, C* (controls, format, surrogates, private): dropped
    return re.sub(r" +", " ", "".join(kept)).strip()


_BRACKETS = re.compile(r"[(\[【「『〈《{]([^()\[\]【】「」『』〈〉《》{}]*)[)\]】」』〉》}]")
_SEGMENT_SEPARATORS = re.compile(r"\s*(?:[/|@¦]|\s[-–—~:]\s|[–—〜])\s*")


def _segments(text: str) -> list[str]:
    """Main text first, then bracketed parts; each also cut where CJK meets Latin."""
    bracketed = [m.group(1) for m in _BRACKETS.finditer(text)]
    main = _BRACKETS.sub(" / ", text)
    pieces = _SEGMENT_SEPARATORS.split(main) + bracketed
    segments = []
    for piece in pieces:
        segments.extend(_script_runs(piece))
    return [s for s in segments if s]


def _script_runs(piece: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    current_kind = None
    for c in piece:
        kind = _kind(c)
        group = "cjk" if kind in ("han", "kana") else kind
        if group and current_kind and group != current_kind:
            runs.append("".join(current))
            current = []
        if group:
            current_kind = group
        current.append(c)
    runs.append("".join(current))
    return [r.strip(" .,-・'") if not _has(r, "latin") else r.strip(" ,-・") for r in runs]


def _has(text: str, kind: str) -> bool:
    return any(_kind(c) == kind for c in text)


def _script(text: str) -> str:
    kinds = {_kind(c) for c in text} - {""}
    if not kinds:
        return "other"
    if kinds == {"han"}:
        return "kanji"
    if kinds == {"kana"}:
        return "kana"
    if kinds == {"latin"}:
        return "latin"
    if kinds <= {"hangul", "other"}:
        return "other"
    return "mixed"


def _normalise_reading(reading: str | None) -> str | None:
    if not isinstance(reading, str):
        return None
    text = _normalise(reading)
    text = re.sub(r"[\s・=＝]+", " ", text).strip(" ()[]【】「」『』")
    return text or None


def _split_kanji(segment: str) -> tuple[str | None, str | None]:
    tokens = [t for t in re.split(r"[ ・]+", segment) if t]
    if len(tokens) == 2:
        family, given = tokens
        if all(1 <= len(t) <= 6 and all(_kind(c) in ("han", "kana") for c in t) for t in tokens):
            return family, given
        return None, None
    if len(tokens) != 1:
        return None, None
    name = tokens[0]
    for honorific in _HONORIFICS:
        if name.endswith(honorific) and len(name) - len(honorific) >= 2:
            name = name[: -len(honorific)]
            break
    if not all(_kind(c) in ("han", "kana") for c in name) or len(name) > 8:
        return None, None
    # a kanji surname followed by a kana given name: 長澤まさみ
    m = re.fullmatch(r"([^\u3041-\u30ff]+)([\u3041-\u30ff]+)", name)
    if m and all(_is_han(c) for c in m.group(1)):
        if m.group(1) in _SURNAMES and 1 <= len(m.group(2)) <= 6:
            return m.group(1), m.group(2)
        return None, None
    if not all(_is_han(c) for c in name) or name in _SURNAMES:
        return None, None
    for size in range(min(_MAX_SURNAME, len(name) - 1), 0, -1):
        prefix = name[:size]
        if prefix not in _SURNAMES:
            continue
        rest = name[size:]
        if not 1 <= len(rest) <= 3:
            return None, None
        if rest[0] in _SURNAME_FINALS and (size == 1 or len(rest) == 3):
            return None, None  # probably a longer surname the list does not know
        return prefix, rest
    return None, None


def _split_kana(segment: str) -> tuple[str | None, str | None]:
    if re.search(r"[・=]", segment) and not re.search(r"[\u3041-\u309f]", segment):
        # katakana joined by ・ or =: a foreign name in Western order (ジョン・スミス)
        tokens = [t for t in re.split(r"[・= ]+", segment) if t]
        return _western(tokens, joiner="・")
    tokens = [t for t in re.split(r"[ ・]+", segment) if t]
    if len(tokens) == 2 and all(len(t) <= 8 for t in tokens):
        return tokens[0], tokens[1]
    return None, None


def _western(tokens: list[str], joiner: str = " ") -> tuple[str | None, str | None]:
    if len(tokens) < 2:
        return None, None
    start = len(tokens) - 1
    while start > 1 and _is_particle(tokens[start - 1]):
        start -= 1
    given, family = tokens[:start], tokens[start:]
    return joiner.join(family), joiner.join(given)


def _is_particle(token: str) -> bool:
    """van, de, ダ…: Latin ones only in lower case (Van Morrison's Van is a given name)."""
    return token in _PARTICLES and (token.islower() or not token.isascii())


def _is_caps(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return (len(letters) >= 2 and token.isupper() and not token.endswith(".")
            and token.lower() not in _CAPS_NOT_NAMES)


def _split_latin(segment: str) -> tuple[str | None, str | None]:
    parts = [p.strip() for p in segment.split(",")]
    while len(parts) > 1 and parts[-1].lower().strip(".").replace(".", "") in _SUFFIXES:
        parts.pop()
    if len(parts) == 2 and parts[0] and parts[1]:
        family, given = parts
        if (_latin_tokens(family) and _latin_tokens(given)
                and len(family.split()) <= 3 and len(given.split()) <= 3):
            return family, given
        return None, None
    if len(parts) != 1:
        return None, None
    tokens = _latin_tokens(parts[0])
    if not tokens:
        return None, None
    while tokens and tokens[0].lower().rstrip(".") in _TITLES:
        tokens = tokens[1:]
    while tokens and tokens[-1].lower().replace(".", "") in _SUFFIXES:
        tokens = tokens[:-1]
    if not 2 <= len(tokens) <= 5:
        return None, None
    japanese_first = (len(tokens) == 2 and all(_ROMAJI_WORD.fullmatch(t.lower()) for t in tokens)
                      and _romaji_key(tokens[0]) in _ROMAJI_SURNAMES
                      and _romaji_key(tokens[1]) not in _ROMAJI_SURNAMES)
    if japanese_first:  # "Yamada Taro", also "Yamada TARO": the known surname wins over capitals
        return tokens[0], tokens[1]
    caps = [_is_caps(t) for t in tokens]
    if any(caps) and not all(caps):
        lead = caps.index(False)  # capitals words at the start
        trail = caps[::-1].index(False)  # and at the end
        if lead and caps.count(True) == lead:
            return " ".join(tokens[:lead]), " ".join(tokens[lead:])
        if trail and caps.count(True) == trail:
            return " ".join(tokens[-trail:]), " ".join(tokens[:-trail])
    return _western(tokens)


def _latin_tokens(text: str) -> list[str]:
    tokens = text.split()
    for token in tokens:
        if not _is_latin(token[0]) or not all(_is_latin(c) or c in ".'’-" for c in token):
            return []
    return tokens


def split_name(display_name: str, reading: str | None = None) -> NameParts:
    """The parts of a display name; family/given None where a split would be a guess."""
    try:
        return _split_name(display_name, reading)
    except Exception:  # never raise on a name, whatever a page holds
        try:
            given_reading = _normalise_reading(reading)
        except Exception:
            given_reading = None
        return NameParts(None, None, given_reading, "other")


def _split_name(display_name: str, reading: str | None) -> NameParts:
    text = _normalise(display_name) if isinstance(display_name, str) else ""
    script = _script(text)
    segments = _segments(text)
    # kanji first; else kana or Latin, whichever comes first (main text before brackets)
    name_segment = (next((s for s in segments if _has(s, "han")), None)
                    or next((s for s in segments if _has(s, "kana") or _has(s, "latin")), None))
    family = given = None
    found_reading = None
    if name_segment is not None:
        kinds = {_kind(c) for c in name_segment} - {""}
        if "han" in kinds and kinds <= {"han", "kana"}:
            family, given = _split_kanji(name_segment)
        elif kinds == {"kana"}:
            family, given = _split_kana(name_segment)
        elif kinds == {"latin"}:
            family, given = _split_latin(name_segment)
        if _has(name_segment, "han") or kinds == {"latin"}:
            found_reading = next((s for s in segments if s is not name_segment and s
                                  and all(_is_kana(c) or c in " ・" for c in s)), None)
    if family is not None and (not family or not given):
        family = given = None
    final_reading = _normalise_reading(reading) or _normalise_reading(found_reading)
    return NameParts(family, given, final_reading, script)


def apply_names(profile: Profile) -> Profile:
    """The profile with family_name / given_name / reading filled where they are empty.

    What the adapter set is never overwritten. When the adapter set one of family/given, the
    other is filled only if the split agrees with it. Returns a new Profile when something was
    filled, the same object otherwise. Never raises.
    """
    try:
        if profile.family_name and profile.given_name and profile.reading:
            return profile
        parts = split_name(profile.display_name, profile.reading)
        changes: dict[str, str] = {}
        if parts.family and parts.given:
            if not profile.family_name and not profile.given_name:
                changes = {"family_name": parts.family, "given_name": parts.given}
            elif not profile.given_name and profile.family_name == parts.family:
                changes["given_name"] = parts.given
            elif not profile.family_name and profile.given_name == parts.given:
                changes["family_name"] = parts.family
        if not profile.reading and parts.reading:
            changes["reading"] = parts.reading
        return dataclasses.replace(profile, **changes) if changes else profile
    except Exception:
        return profile
