// Source rules: no HTML built from strings, no code from strings, no storage.sync; and the
// manifest the contract fixes (docs/EXTENSION.md).

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

import { EXTENSION_DIR } from "./helpers/fake_companion.js";

function sourceFiles() {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(js|html)$/.test(name)) found.push(full);
    }
  };
  for (const dir of ["lib", "background", "content", "popup", "options"]) {
    walk(path.join(EXTENSION_DIR, dir));
  }
  return found;
}

const FORBIDDEN = [
  [/\.(innerHTML|outerHTML)\s*(\+?=)(?!=)/, "innerHTML/outerHTML assignment"],
  [/insertAdjacentHTML/, "insertAdjacentHTML"],
  [/\beval\s*\(/, "eval"],
  [/new\s+Function\s*\(/, "new Function"],
  [/document\.write(ln)?\s*\(/, "document.write"],
  [/storage\.sync/, "storage.sync"],
  [/\bsetTimeout\s*\(\s*["'`]/, "setTimeout with a string"],
  [/<script(?![^>]*\bsrc=)[^>]*>/i, "inline script"],
  [/\son[a-z]+\s*=\s*["']/i, "inline event handler"],
];

describe("source safety", () => {
  const files = sourceFiles();

  it("has sources to check", () => {
    assert.ok(files.length > 10);
  });

  for (const file of files) {
    it(path.relative(EXTENSION_DIR, file), () => {
      const source = readFileSync(file, "utf8");
      for (const [pattern, what] of FORBIDDEN) {
        if (what === "inline script" || what === "inline event handler") {
          if (!file.endsWith(".html")) continue;
        }
        assert.doesNotMatch(source, pattern, `${what} in ${file}`);
      }
    });
  }

  it("the check itself catches what it forbids", () => {
    const bad = ['el.innerHTML = x', 'el.outerHTML=x', 'el.innerHTML += x', 'eval("1")',
      'new Function("a")', 'document.write("x")', 'el.insertAdjacentHTML("x")', 'chrome.storage.sync.set'];
    for (const source of bad) {
      assert.ok(FORBIDDEN.some(([pattern]) => pattern.test(source)), source);
    }
    assert.ok(!FORBIDDEN.some(([pattern]) => pattern.test("const html = copy.outerHTML;")));
    assert.ok(!FORBIDDEN.some(([pattern]) => pattern.test("a.innerHTML === b")));
  });
});

describe("manifest", () => {
  const manifest = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "manifest.json"), "utf8"));

  it("is MV3 with the fixed identity", () => {
    assert.equal(manifest.manifest_version, 3);
    assert.match(manifest.key, /^MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA/);
    assert.equal(manifest.browser_specific_settings.gecko.id, "goen@goen.example");
    assert.equal(manifest.default_locale, "en");
  });

  it("derives the documented Chromium id from its key", async () => {
    const { createHash } = await import("node:crypto");
    const digest = createHash("sha256").update(Buffer.from(manifest.key, "base64")).digest("hex");
    const id = [...digest.slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
    assert.equal(id, "bddjgpkhpndbfbomeobifkpedemfoeno");
  });

  it("runs the same module as a service worker and as Firefox background scripts", () => {
    assert.deepEqual(manifest.background, {
      service_worker: "background/service_worker.js",
      scripts: ["background/service_worker.js"],
      type: "module",
    });
  });

  it("asks for the documented permissions and hosts only", () => {
    assert.deepEqual([...manifest.permissions].sort(),
      ["activeTab", "contextMenus", "nativeMessaging", "scripting", "storage"]);
    assert.ok(manifest.host_permissions.includes("http://127.0.0.1/*"));
    for (const host of ["https://*.linkedin.com/*", "https://x.com/*", "https://twitter.com/*",
      "https://*.facebook.com/*", "https://www.messenger.com/*", "https://www.instagram.com/*",
      "https://bsky.app/*", "https://github.com/*", "https://www.wantedly.com/*",
      "https://8card.net/*", "https://mastodon.social/*", "https://mstdn.jp/*",
      "https://fosstodon.org/*"]) {
      assert.ok(manifest.host_permissions.includes(host), host);
    }
    assert.ok(!manifest.host_permissions.some((h) => h === "<all_urls>" || h.startsWith("*://")));
    assert.equal(manifest.content_security_policy, undefined, "the default extension CSP");
  });

  it("has the save-page shortcut and points at files that exist", () => {
    assert.equal(manifest.commands["save-page"].suggested_key.default, "Alt+Shift+S");
    const paths = [manifest.background.service_worker, manifest.action.default_popup,
      manifest.options_ui.page, ...Object.values(manifest.icons),
      ...Object.values(manifest.action.default_icon), "content/serialize.js"];
    for (const p of paths) assert.ok(statSync(path.join(EXTENSION_DIR, p)).isFile(), p);
  });
});
