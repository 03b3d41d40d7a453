import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import { captureKind, classifyPage, isWebUrl } from "../lib/pages.js";
import { loadAdaptersFixture } from "./helpers/fake_companion.js";

// test/fixtures/adapters.json is a real GET /api/v1/adapters answer from the companion.
let answer;
before(async () => { answer = await loadAdaptersFixture(); });

describe("classifyPage with the companion's adapters", () => {
  const cases = [
    ["https://x.com/taro", "x", "profile"],
    ["https://twitter.com/taro/", "x", "profile"],
    ["https://x.com/messages/123-456", "x", "thread"],
    ["https://www.linkedin.com/in/taro-yamada/", "linkedin", "profile"],
    ["https://jp.linkedin.com/in/taro-yamada", "linkedin", "profile"],
    ["https://www.linkedin.com/messaging/thread/2-abc==/", "linkedin", "thread"],
    ["https://www.facebook.com/taro.yamada", "facebook", "profile"],
    ["https://www.facebook.com/messages/t/100001", "facebook", "thread"],
    ["https://www.messenger.com/t/100001", "facebook", "thread"],
    ["https://www.messenger.com/e2ee/t/100001", "facebook", "thread"],
    ["https://github.com/octocat", "github", "profile"],
    ["https://www.instagram.com/taro/", "instagram", "profile"],
    ["https://bsky.app/profile/taro.bsky.social", "bluesky", "profile"],
    ["https://www.wantedly.com/id/taro", "wantedly", "profile"],
    ["https://8card.net/p/abc123", "eight", "profile"],
    // Any other web page: Mastodon (any server) comes before the generic adapter.
    ["https://mastodon.social/@taro", "mastodon", "profile"],
    ["https://example.com/about", "mastodon", "profile"],
  ];
  for (const [url, adapter, kind] of cases) {
    it(`${url} -> ${adapter} ${kind}`, () => {
      const page = classifyPage(url, answer);
      assert.equal(page?.adapter, adapter);
      assert.equal(page?.kind, kind);
      assert.equal(typeof page.label, "string");
    });
  }

  it("a GitHub repository page is not the GitHub adapter's", () => {
    assert.notEqual(classifyPage("https://github.com/octocat/hello-world", answer).adapter, "github");
  });

  it("pages that are not on the web are not supported", () => {
    for (const url of ["chrome://newtab/", "about:blank", "file:///tmp/a.html",
      "chrome-extension://abc/popup.html", "", undefined]) {
      assert.equal(classifyPage(url, answer), null, String(url));
    }
  });

  it("accepts the bare adapter list too, and nothing without one", () => {
    assert.equal(classifyPage("https://x.com/taro", answer.adapters).adapter, "x");
    assert.equal(classifyPage("https://x.com/taro", null), null);
    assert.equal(classifyPage("https://x.com/taro", { adapters: [] }), null);
  });

  it("skips a pattern JavaScript cannot compile instead of failing", () => {
    const adapters = [
      { id: "broken", label: "b", url_patterns: ["(?P<name>x)"], thread_url_patterns: [] },
      { id: "site", label: "s", url_patterns: ["^https://site\\.example/"], thread_url_patterns: ["/chat/"] },
    ];
    assert.equal(classifyPage("https://site.example/u/1", adapters).adapter, "site");
    assert.equal(classifyPage("https://site.example/chat/1", adapters).kind, "thread");
  });
});

describe("captureKind", () => {
  it("keeps a button's kind and turns auto into thread on conversations", () => {
    assert.equal(captureKind("profile", { kind: "thread" }), "profile");
    assert.equal(captureKind("thread", { kind: "profile" }), "thread");
    assert.equal(captureKind("auto", { kind: "thread" }), "thread");
    assert.equal(captureKind("auto", { kind: "profile" }), "auto");
    assert.equal(captureKind(undefined, null), "auto");
  });

  it("knows web URLs", () => {
    assert.ok(isWebUrl("https://x.com"));
    assert.ok(isWebUrl("HTTP://x.com"));
    assert.ok(!isWebUrl("ftp://x.com"));
  });
});
