// "Save to Goen" in the context menu (a page or a link) and the `save-page` shortcut.
// A link makes a contact from its URL and text (POST /api/v1/contacts): Goen never fetches the
// linked page. The badge shows how it went.

export const MENU_ID = "goen-save";

// Runs in the page the user right-clicked (activeTab is granted by the click): the text of the
// link, since Chrome's OnClickData has no linkText (Firefox's has).
function linkTextInPage(href) {
  for (const anchor of document.querySelectorAll("a[href]")) {
    if (anchor.href === href) {
      const text = (anchor.innerText || anchor.textContent || "").replace(/\s+/g, " ").trim();
      if (text) return text.slice(0, 200);
    }
  }
  return null;
}

export function createMenus({ api, getI18n, capture, badge, getClient }) {
  async function install() {
    const { t } = await getI18n();
    await api.contextMenus.removeAll();
    api.contextMenus.create({ id: MENU_ID, title: t("menu_save"), contexts: ["page", "link"] });
  }

  // After a language change: the same item, created again with the new title.
  const retitle = install;

  async function linkText(info, tab) {
    if (typeof info.linkText === "string" && info.linkText.trim()) return info.linkText.trim();
    if (!tab?.id || tab.id < 0) return null;
    try {
      const [result] = await api.scripting.executeScript({
        target: { tabId: tab.id }, func: linkTextInPage, args: [info.linkUrl],
      });
      return typeof result?.result === "string" ? result.result : null;
    } catch {
      return null; // the name is optional; the companion makes one from the URL
    }
  }

  async function saveTab(tabId) {
    let answer;
    try {
      answer = await capture.captureTab(tabId, "auto");
    } catch (error) {
      await badge.showError(tabId, error);
      return;
    }
    await badge.showSaved(tabId, answer);
  }

  async function onMenuClicked(info, tab) {
    if (info.menuItemId !== MENU_ID || !tab?.id) return;
    if (info.linkUrl) {
      try {
        const answer = await getClient().saveLink(info.linkUrl, await linkText(info, tab));
        await badge.showLinkSaved(tab.id, answer);
      } catch (error) {
        await badge.showError(tab.id, error);
      }
      return;
    }
    await saveTab(tab.id);
  }

  async function onCommand(command, tab) {
    if (command !== "save-page") return;
    let target = tab;
    if (!target?.id) [target] = await api.tabs.query({ active: true, currentWindow: true });
    if (target?.id) await saveTab(target.id);
  }

  return { install, retitle, onMenuClicked, onCommand };
}
