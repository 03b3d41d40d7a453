// Goen's page serialiser, injected with
//   chrome.scripting.executeScript({target: {tabId}, files: ["content/serialize.js"]})
// Its last expression is the capture payload {url, title, html, captured_at}, trimmed by the
// contract in docs/CAPTURE.md. It reads the page and never changes it: the copy lives in an
// inert document (createHTMLDocument has no browsing context, so nothing in the copy loads or
// runs, and no page code upgrades custom elements in it), and whether an element is shown is
// read from the live element while walking the live tree and the copy side by side.
//
// Everything is inside one function expression so that a second injection into the same page
// declares nothing twice. A file injected this way cannot import modules, so the rules live here
// only; node tests run this very file in jsdom (test/serialize.test.js).
(() => {
  "use strict";

  const MAX_HTML_CHARS = 8 * 1024 * 1024; // the companion's GOEN_MAX_HTML_CHARS default
  const MAX_ATTRIBUTE_CHARS = 2000;
  const DOCTYPE = "<!DOCTYPE html>";

  // Rule 2 (and 1): elements removed whatever they contain.
  const REMOVED_ELEMENTS = new Set([
    "style", "noscript", "template", "iframe", "object", "embed", "canvas", "video", "audio",
    "svg",
  ]);
  const REMOVED_LINK_RELS = new Set(["stylesheet", "preload", "prefetch", "modulepreload"]);
  // Rule 5: attributes removed by name.
  const REMOVED_ATTRIBUTES = new Set(["style", "srcset", "sizes", "nonce", "integrity"]);

  function mimeEssence(type) {
    return String(type || "").split(";")[0].trim().toLowerCase();
  }

  // Rules 1 and 2, from the element itself.
  function removedByKind(element) {
    const name = element.localName;
    if (name === "script") return mimeEssence(element.getAttribute("type")) !== "application/ld+json";
    if (REMOVED_ELEMENTS.has(name)) return true;
    if (name === "link") {
      const rels = String(element.getAttribute("rel") || "").toLowerCase().split(/\s+/);
      return rels.some((rel) => REMOVED_LINK_RELS.has(rel));
    }
    if (name === "input") return String(element.getAttribute("type") || "").trim().toLowerCase() === "hidden";
    return false;
  }

  // Kept whatever their computed style: data, never shown by design (JSON-LD, head and
  // microdata <meta>/<link>, the <title>).
  function alwaysData(element) {
    const name = element.localName;
    return name === "script" || name === "meta" || name === "link" || name === "title";
  }

  // Rule 3, read from the live element. Screen-reader-only text and aria-hidden="true" are kept.
  function isHidden(liveElement, view) {
    if (liveElement.hasAttribute("hidden")) return true;
    const style = view.getComputedStyle(liveElement);
    return style.display === "none" || style.visibility === "hidden";
  }

  // Rule 5.
  function keepAttribute(name, value) {
    const lower = name.toLowerCase();
    if (lower.startsWith("on")) return false;
    if (REMOVED_ATTRIBUTES.has(lower)) return false;
    return String(value).length <= MAX_ATTRIBUTE_CHARS;
  }

  function trimAttributes(element) {
    for (const attribute of Array.from(element.attributes)) {
      if (!keepAttribute(attribute.name, attribute.value)) {
        element.removeAttribute(attribute.name);
      }
    }
  }

  // 2026-11-26T09:30:00.000+09:00: the local time with its UTC offset.
  function formatLocalIso(date) {
    const pad = (n, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");
    const offsetMinutes = -date.getTimezoneOffset();
    const sign = offsetMinutes >= 0 ? "+" : "-";
    return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
      + `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
      + `.${pad(date.getMilliseconds(), 3)}`
      + `${sign}${pad(offsetMinutes / 60)}:${pad(offsetMinutes % 60)}`;
  }

  // Walks the live tree and the copy together (the copy has the same children at the same
  // indexes), decides from the live nodes, and only then removes from the copy.
  function trimCopy(liveRoot, copyRoot, liveBody, view) {
    const doomed = [];
    const stack = [[liveRoot, copyRoot, false]];
    while (stack.length > 0) {
      const [live, copy, inBody] = stack.pop();
      const liveChildren = live.childNodes;
      const copyChildren = copy.childNodes;
      for (let i = 0; i < liveChildren.length && i < copyChildren.length; i += 1) {
        const liveChild = liveChildren[i];
        const copyChild = copyChildren[i];
        if (liveChild.nodeType === 8) { // comments: rule 4
          doomed.push(copyChild);
          continue;
        }
        if (liveChild.nodeType !== 1) continue;
        if (removedByKind(liveChild)
            || (inBody && !alwaysData(liveChild) && isHidden(liveChild, view))) {
          doomed.push(copyChild);
          continue;
        }
        trimAttributes(copyChild);
        stack.push([liveChild, copyChild, inBody || liveChild === liveBody]);
      }
    }
    for (const node of doomed) node.remove();
  }

  function serialize(doc, view) {
    const capturedAt = formatLocalIso(new Date());
    const live = doc.documentElement;
    const inert = doc.implementation.createHTMLDocument("");
    const copy = inert.importNode(live, true);
    trimAttributes(copy);
    trimCopy(live, copy, doc.body, view);
    const html = `${DOCTYPE}\n${copy.outerHTML}`;
    const payload = {
      url: view.location.href,
      title: doc.title,
      html,
      captured_at: capturedAt,
    };
    if (html.length > MAX_HTML_CHARS) {
      // Too big for the companion: say so instead of carrying megabytes back to be refused.
      return {
        ...payload,
        html: null,
        error: { code: "too_large", chars: html.length, limit: MAX_HTML_CHARS },
      };
    }
    return payload;
  }

  return serialize(document, window);
})();
