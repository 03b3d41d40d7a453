// Every string the extension shows exists in English and Japanese with the same placeholders,
// and every message in the locale files is used.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

import { placeholderNames } from "../lib/i18n.js";
import { ERROR_CODES, POPUP_STATES } from "../lib/messages.js";
import { EXTENSION_DIR } from "./helpers/fake_companion.js";

const SOURCE_DIRS = ["lib", "background", "content", "popup", "options"];

function files(ext) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith(ext)) found.push(full);
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(EXTENSION_DIR, dir));
  return found;
}

const read = (file) => readFileSync(file, "utf8");
const locale = (lang) => JSON.parse(read(path.join(EXTENSION_DIR, `_locales/${lang}/messages.json`)));
const en = locale("en");
const ja = locale("ja");

// Snake-case string literals that are codes, not messages.
const NOT_MESSAGES = new Set([...ERROR_CODES, ...POPUP_STATES, "needs_attention"]);

function keysInHtml() {
  const keys = new Set();
  for (const file of files(".html")) {
    for (const match of read(file).matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) keys.add(match[1]);
  }
  return keys;
}

function keysInJs() {
  const keys = new Set();
  for (const file of files(".js")) {
    const source = read(file);
    for (const match of source.matchAll(/\bt\(\s*["'`]([A-Za-z0-9_]+)["'`]/g)) keys.add(match[1]);
    // Keys chosen in tables or conditionals are snake_case literals: all must be messages.
    for (const match of source.matchAll(/["'`]([a-z]+(?:_[a-z0-9]+)+)["'`]/g)) {
      if (!NOT_MESSAGES.has(match[1])) keys.add(match[1]);
    }
  }
  return keys;
}

function keysInManifest() {
  const manifest = read(path.join(EXTENSION_DIR, "manifest.json"));
  return new Set([...manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]));
}

describe("locales", () => {
  const used = new Set([...keysInHtml(), ...keysInJs(), ...keysInManifest()]);

  it("finds the keys it checks", () => {
    assert.ok(keysInHtml().has("save_contact"));
    assert.ok(keysInJs().has("error_offline"));
    assert.ok(keysInJs().has("saving"));
    assert.ok(keysInManifest().has("extName"));
  });

  for (const key of [...used].sort()) {
    it(`${key} exists in en and ja with the same placeholders`, () => {
      assert.ok(en[key], `missing in en: ${key}`);
      assert.ok(ja[key], `missing in ja: ${key}`);
      assert.deepEqual(placeholderNames(ja[key]), placeholderNames(en[key]));
    });
  }

  it("en and ja have the same keys", () => {
    assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  });

  it("every message is used", () => {
    const unused = Object.keys(en).filter((key) => !used.has(key));
    assert.deepEqual(unused, []);
  });

  it("every placeholder is used in its message, and every $NAME$ is defined", () => {
    for (const [lang, table] of [["en", en], ["ja", ja]]) {
      for (const [key, entry] of Object.entries(table)) {
        const inText = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1].toLowerCase());
        assert.deepEqual([...new Set(inText)].sort(), placeholderNames(entry), `${lang}.${key}`);
      }
    }
  });

  it("the Japanese is Japanese where it says something", () => {
    for (const key of ["save_contact", "save_conversation", "error_offline", "save_result_messages"]) {
      assert.match(ja[key].message, /[\u3040-\u30ff\u4e00-\u9fff]/, key);
    }
    assert.equal(ja.save_contact.message, "連絡先を保存");
    assert.equal(ja.save_conversation.message, "会話を保存");
    assert.ok(ja.error_offline.message.startsWith("Goen が起動していません"));
  });
});
