import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  badgeDays, badgeText, calendarDaysBetween, directionKey, formatDate, platformName, relativeTime,
} from "../lib/format.js";

// Local dates, so the tests mean the same in every time zone.
const now = new Date(2026, 10, 26, 9, 30).getTime();
const at = (...parts) => new Date(...parts).toISOString();

describe("relativeTime", () => {
  const cases = [
    [at(2026, 10, 26, 9, 29, 40), "just now", "たった今"],
    [at(2026, 10, 26, 9, 25), "5 minutes ago", "5分前"],
    [at(2026, 10, 26, 6, 10), "3 hours ago", "3時間前"],
    [at(2026, 10, 25, 23, 0), "10 hours ago", "10時間前"],
    [at(2026, 10, 25, 8, 0), "yesterday", "昨日"],
    [at(2026, 10, 23, 12, 0), "3 days ago", "3日前"],
    [at(2026, 10, 12, 12, 0), "2 weeks ago", "2週間前"],
    [at(2026, 5, 1, 12, 0), "5 months ago", "5か月前"],
    [at(2024, 5, 1, 12, 0), "2 years ago", "2年前"],
  ];
  for (const [when, en, ja] of cases) {
    it(`${en} / ${ja}`, () => {
      assert.equal(relativeTime(when, now, "en", { justNow: "just now" }), en);
      assert.equal(relativeTime(when, now, "ja", { justNow: "たった今" }), ja);
    });
  }

  it("reads the companion's UTC times with Z", () => {
    const iso = new Date(now - 3 * 24 * 3600 * 1000).toISOString();
    assert.match(iso, /Z$/);
    assert.equal(relativeTime(iso, now, "en"), "3 days ago");
  });

  it("shows a date for the future and nothing for garbage", () => {
    assert.ok(relativeTime(at(2026, 11, 24, 12, 0), now, "en").includes("2026"));
    assert.equal(relativeTime("not a date", now, "en"), "");
    assert.equal(relativeTime(null, now, "en"), "");
  });
});

describe("badge", () => {
  it("counts local calendar days since the last interaction", () => {
    assert.equal(badgeDays({ occurred_at: at(2026, 10, 26, 0, 5) }, now), 0);
    assert.equal(badgeDays({ occurred_at: at(2026, 10, 25, 23, 0) }, now), 1);
    assert.equal(badgeDays({ occurred_at: at(2026, 10, 16, 12, 0) }, now), 10);
    assert.equal(badgeDays({ occurred_at: at(2026, 10, 27, 12, 0) }, now), 0, "never negative");
    assert.equal(badgeDays(null, now), null);
    assert.equal(badgeDays({ occurred_at: "garbage" }, now), null);
  });

  it("fits the badge", () => {
    assert.equal(badgeText(0), "0");
    assert.equal(badgeText(42), "42");
    assert.equal(badgeText(999), "999");
    assert.equal(badgeText(1500), "999+");
    assert.equal(badgeText(null), "");
  });

  it("calendar days across a month end", () => {
    assert.equal(calendarDaysBetween(new Date(2026, 0, 31, 23), new Date(2026, 1, 1, 1)), 1);
  });
});

describe("labels", () => {
  it("direction keys", () => {
    assert.equal(directionKey("in"), "direction_in");
    assert.equal(directionKey("out"), "direction_out");
    assert.equal(directionKey("both"), "direction_both");
    assert.equal(directionKey("sideways"), null);
  });

  it("platform names", () => {
    assert.equal(platformName("linkedin"), "LinkedIn");
    assert.equal(platformName("x"), "X");
    assert.equal(platformName("offline", (key) => `<${key}>`), "<platform_offline>");
    assert.equal(platformName("newsite"), "newsite");
    assert.equal(platformName(null), "");
  });
});

describe("formatDate", () => {
  it("a bare date is that calendar day in every time zone", () => {
    assert.equal(formatDate("2026-12-01", "en"), "Dec 1, 2026");
    assert.equal(formatDate("2026-12-01", "ja"), "2026/12/01");
    assert.equal(formatDate("soon", "en"), "soon");
  });
});
