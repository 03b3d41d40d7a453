// Formatting for the popup and the badge: relative times ("3 days ago" / "3日前"), badge text,
// the i18n keys for who wrote last and the names of platforms. Pure functions: `now` and the
// language are passed in.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parseTime(value) {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const ms = typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

// Local calendar days between two instants: an interaction at 23:00 yesterday is 1 day ago at
// 08:00 today, as a person would say it. Math.round absorbs daylight-saving days of 23 or 25 h.
export function calendarDaysBetween(earlier, later) {
  const a = new Date(earlier);
  const b = new Date(later);
  const startA = new Date(a.getFullYear(), a.getMonth(), a.getDate()).getTime();
  const startB = new Date(b.getFullYear(), b.getMonth(), b.getDate()).getTime();
  return Math.round((startB - startA) / DAY);
}

// Japanese reads "3日前", not ICU's "3 日前".
function tidy(text, language) {
  return language === "ja" ? text.replace(/(\d)\s+(?=\S)/gu, "$1") : text;
}

export function relativeTime(value, now, language, { justNow } = {}) {
  const then = parseTime(value);
  if (then === null) return "";
  const nowMs = parseTime(now) ?? Date.now();
  const elapsed = nowMs - then;
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  if (elapsed < 0) {
    return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(new Date(then));
  }
  if (elapsed < MINUTE) return justNow ?? rtf.format(0, "second");
  let text;
  if (elapsed < HOUR) text = rtf.format(-Math.floor(elapsed / MINUTE), "minute");
  else if (elapsed < DAY) text = rtf.format(-Math.floor(elapsed / HOUR), "hour");
  else {
    const days = Math.max(1, calendarDaysBetween(then, nowMs));
    if (days < 7) text = rtf.format(-days, "day");
    else if (days < 30) text = rtf.format(-Math.floor(days / 7), "week");
    else if (days < 365) text = rtf.format(-Math.floor(days / 30), "month");
    else text = rtf.format(-Math.floor(days / 365), "year");
  }
  return tidy(text, language);
}

export function formatDate(value, language) {
  // A bare date ("2026-12-01", a promise's due day) is that day wherever the user is; Date.parse
  // would read it as UTC midnight, the day before west of Greenwich.
  const day = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (day) {
    const local = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(local);
  }
  const ms = parseTime(value);
  if (ms === null) return typeof value === "string" ? value : "";
  return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(new Date(ms));
}

// Days since the last interaction, for the toolbar badge; null when there is none.
export function badgeDays(lastInteraction, now) {
  const then = parseTime(lastInteraction?.occurred_at ?? lastInteraction);
  if (then === null) return null;
  return Math.max(0, calendarDaysBetween(then, parseTime(now) ?? Date.now()));
}

// Badges hold about four characters.
export function badgeText(days) {
  if (days === null || days === undefined) return "";
  return days > 999 ? "999+" : String(days);
}

// i18n keys for `direction` (docs/API.md: in = they wrote, out = the user wrote, both = met).
export const DIRECTION_KEYS = Object.freeze({
  in: "direction_in",
  out: "direction_out",
  both: "direction_both",
});

export function directionKey(direction) {
  return DIRECTION_KEYS[direction] ?? null;
}

// Brand names are written the same in both languages.
const PLATFORM_NAMES = Object.freeze({
  x: "X",
  twitter: "X",
  linkedin: "LinkedIn",
  facebook: "Facebook",
  messenger: "Messenger",
  instagram: "Instagram",
  bluesky: "Bluesky",
  github: "GitHub",
  wantedly: "Wantedly",
  eight: "Eight",
  mastodon: "Mastodon",
});

// Platforms that are not brands are words, translated through i18n.
export const PLATFORM_KEYS = Object.freeze({
  offline: "platform_offline",
  email: "platform_email",
});

export function platformName(platform, t = null) {
  if (typeof platform !== "string" || !platform) return "";
  if (PLATFORM_KEYS[platform] && t) return t(PLATFORM_KEYS[platform]);
  return PLATFORM_NAMES[platform] ?? platform;
}
