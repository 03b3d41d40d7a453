"""Registering ``goen-native-host`` with the browsers (``goen install`` / ``uninstall`` / ``doctor``).

A browser finds a native messaging host through a JSON manifest named after the host, in a
per-user folder it knows (Linux, macOS) or through a registry key whose default value is the
manifest's path (Windows):

- Chrome and Chromium: https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-location
  (the folder is ``<user data dir>/NativeMessagingHosts``, which is why ``--user-data-dir``
  works for any profile, the end-to-end tests' included)
- Edge: https://learn.microsoft.com/microsoft-edge/extensions/developer-guide/native-messaging
- Firefox: https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_manifests#manifest_location
- Brave and Vivaldi document nothing; their folders are the user data dirs they create, and on
  Windows Vivaldi reads Chrome's key (keepassxreboot/keepassxc-browser#48).

Everything here but ``write_registry`` / ``delete_registry`` is plain path arithmetic, tested
on any OS. What ``install`` wrote is recorded in the data folder, so that ``uninstall`` removes
exactly that and nothing else.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from native_host import framing
from native_host.main import FIREFOX_EXTENSION_ID

HOST_NAME = "jp.goen.companion"
# The extension's fixed id (the "key" in its manifest.json, docs/EXTENSION.md); also the
# default of the extension_ids setting.
CHROMIUM_EXTENSION_ID = "bddjgpkhpndbfbomeobifkpedemfoeno"
DESCRIPTION = "Goen (ご縁): tells the Goen extension how to reach the local companion"
HOST_SCRIPT = "goen-native-host"
RECORD_NAME = "native-host-install.json"
RECORD_VERSION = 1
PING_TIMEOUT_SECONDS = 5.0

CHROMIUM, FIREFOX = "chromium", "firefox"
LINUX, MACOS, WINDOWS = "linux", "macos", "windows"


class InstallError(RuntimeError):
    """Something the user must fix before the manifests can be written."""


@dataclasses.dataclass(frozen=True)
class Browser:
    name: str          # what --browser takes
    label: str
    family: str        # CHROMIUM (allowed_origins) or FIREFOX (allowed_extensions)
    # The browser's own folder, whose presence means it is installed. "~" is the home folder,
    # "$XDG_CONFIG_HOME" is that variable or ~/.config, "%LOCALAPPDATA%" / "%APPDATA%" the
    # Windows folders.
    linux_profile: str
    macos_profile: str
    windows_profile: str
    # Where the manifest goes when it is not <profile>/NativeMessagingHosts (Firefox).
    linux_manifests: str | None
    macos_manifests: str | None
    windows_key: str   # under HKEY_CURRENT_USER, without \NativeMessagingHosts\<name>


_MAC = "~/Library/Application Support"
BROWSERS: tuple[Browser, ...] = (
    Browser("chrome", "Google Chrome", CHROMIUM, "$XDG_CONFIG_HOME/google-chrome",
            f"{_MAC}/Google/Chrome", "%LOCALAPPDATA%/Google/Chrome/User Data",
            None, None, r"Software\Google\Chrome"),
    Browser("chromium", "Chromium", CHROMIUM, "$XDG_CONFIG_HOME/chromium",
            f"{_MAC}/Chromium", "%LOCALAPPDATA%/Chromium/User Data",
            None, None, r"Software\Chromium"),
    Browser("edge", "Microsoft Edge", CHROMIUM, "$XDG_CONFIG_HOME/microsoft-edge",
            f"{_MAC}/Microsoft Edge", "%LOCALAPPDATA%/Microsoft/Edge/User Data",
            None, None, r"Software\Microsoft\Edge"),
    Browser("brave", "Brave", CHROMIUM, "$XDG_CONFIG_HOME/BraveSoftware/Brave-Browser",
            f"{_MAC}/BraveSoftware/Brave-Browser",
            "%LOCALAPPDATA%/BraveSoftware/Brave-Browser/User Data",
            None, None, r"Software\BraveSoftware\Brave-Browser"),
    Browser("vivaldi", "Vivaldi", CHROMIUM, "$XDG_CONFIG_HOME/vivaldi",
            f"{_MAC}/Vivaldi", "%LOCALAPPDATA%/Vivaldi/User Data",
            None, None, r"Software\Google\Chrome"),
    Browser("firefox", "Firefox", FIREFOX, "~/.mozilla", f"{_MAC}/Firefox",
            "%APPDATA%/Mozilla/Firefox",
            "~/.mozilla/native-messaging-hosts", f"{_MAC}/Mozilla/NativeMessagingHosts",
            r"Software\Mozilla"),
)
BY_NAME = {b.name: b for b in BROWSERS}


def current_system(platform: str = sys.platform) -> str:
    if platform == "darwin":
        return MACOS
    if platform in ("win32", "cygwin"):
        return WINDOWS
    return LINUX  # the BSDs put Chromium's folders where Linux does


# -- paths ------------------------------------------------------------------------------------

def _expand(template: str, home: Path, env: Mapping[str, str]) -> Path:
    def from_env(name: str, fallback: Path) -> Path:
        value = env.get(name, "")
        return Path(value) if value and Path(value).is_absolute() else fallback

    roots = {
        "~": home,
        "$XDG_CONFIG_HOME": from_env("XDG_CONFIG_HOME", home / ".config"),
        "%LOCALAPPDATA%": from_env("LOCALAPPDATA", home / "AppData" / "Local"),
        "%APPDATA%": from_env("APPDATA", home / "AppData" / "Roaming"),
    }
    root, _, rest = template.partition("/")
    return roots[root].joinpath(*rest.split("/")) if rest else roots[root]


def profile_dir(browser: Browser, system: str, home: Path, env: Mapping[str, str]) -> Path:
    """The browser's own folder: it exists when the browser has run for this user."""
    template = {LINUX: browser.linux_profile, MACOS: browser.macos_profile,
                WINDOWS: browser.windows_profile}[system]
    return _expand(template, home, env)


def manifest_dir(browser: Browser, system: str, home: Path, env: Mapping[str, str]) -> Path:
    """The per-user folder the browser reads host manifests from (Linux and macOS)."""
    if system == WINDOWS:
        raise ValueError("on Windows the registry points at the manifest")
    special = browser.linux_manifests if system == LINUX else browser.macos_manifests
    if special:
        return _expand(special, home, env)
    return profile_dir(browser, system, home, env) / "NativeMessagingHosts"


def registry_key(browser: Browser) -> str:
    """The HKEY_CURRENT_USER key whose default value is the manifest's path (Windows)."""
    return f"{browser.windows_key}\\NativeMessagingHosts\\{HOST_NAME}"


def allowed_chromium_ids(extension_ids: Iterable[str]) -> list[str]:
    ids = [CHROMIUM_EXTENSION_ID]
    ids += [i for i in extension_ids if i not in ids]
    return ids


def manifest(family: str, host_path: Path, extension_ids: Iterable[str]) -> dict:
    body = {"name": HOST_NAME, "description": DESCRIPTION, "path": str(host_path),
            "type": "stdio"}
    if family == FIREFOX:
        body["allowed_extensions"] = [FIREFOX_EXTENSION_ID]
    else:
        body["allowed_origins"] = [f"chrome-extension://{i}/"
                                   for i in allowed_chromium_ids(extension_ids)]
    return body


def find_host_executable(system: str | None = None, executable: str = sys.executable,
                         which: Callable[[str], str | None] = shutil.which) -> Path:
    """The absolute path of this install's ``goen-native-host`` script.

    pip puts console scripts beside the interpreter (a venv's bin/ or Scripts\\), so look there
    first: PATH may find another install's copy. Not resolved: a venv's python is a symlink.
    """
    system = system or current_system()
    names = ([f"{HOST_SCRIPT}.exe", f"{HOST_SCRIPT}.bat", f"{HOST_SCRIPT}.cmd"]
             if system == WINDOWS else [HOST_SCRIPT])
    beside = Path(executable).absolute().parent
    for name in names:
        candidate = beside / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = which(HOST_SCRIPT)
    if found:
        return Path(found).absolute()
    raise InstallError(f"cannot find the {HOST_SCRIPT} command next to {executable} or on "
                       "PATH; install Goen with pip (it creates the command) and try again")


# -- what to write ----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Target:
    """One manifest file to write, and on Windows the registry key that points at it."""

    browsers: tuple[str, ...]
    family: str
    path: Path
    key: str | None = None


def plan(browsers: Sequence[Browser], *, system: str, home: Path, env: Mapping[str, str],
         data_dir: Path, user_data_dir: Path | None = None) -> list[Target]:
    if user_data_dir is not None:
        # A Chromium-family profile given by hand (--user-data-dir): the browser reads
        # <dir>/NativeMessagingHosts first.
        return [Target(("custom profile",), CHROMIUM,
                       Path(user_data_dir).absolute() / "NativeMessagingHosts"
                       / f"{HOST_NAME}.json")]
    if system != WINDOWS:
        return [Target((b.name,), b.family, manifest_dir(b, system, home, env)
                       / f"{HOST_NAME}.json") for b in browsers]
    # Windows: one manifest per family in the data folder, one key per vendor path (Vivaldi
    # shares Chrome's).
    by_key: dict[str, Target] = {}
    for b in browsers:
        key = registry_key(b)
        path = data_dir / "native-messaging" / f"{HOST_NAME}.{b.family}.json"
        old = by_key.get(key)
        by_key[key] = Target((old.browsers if old else ()) + (b.name,), b.family, path, key)
    return list(by_key.values())


def detect(system: str, home: Path, env: Mapping[str, str]
           ) -> tuple[list[Browser], list[tuple[Browser, Path]]]:
    """(browsers whose folder exists, [(browser, folder) for the others])."""
    found, missing = [], []
    for b in BROWSERS:
        folder = profile_dir(b, system, home, env)
        if folder.is_dir():
            found.append(b)
        else:
            missing.append((b, folder))
    return found, missing


# -- the record of what was written -----------------------------------------------------------

def record_path(data_dir: Path) -> Path:
    return data_dir / RECORD_NAME


def read_record(data_dir: Path) -> dict:
    try:
        record = json.loads(record_path(data_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        record = {}
    except (OSError, ValueError) as exc:
        raise InstallError(f"cannot read {record_path(data_dir)}: {exc}") from None
    record.setdefault("version", RECORD_VERSION)
    for name in ("files", "dirs", "keys", "created_keys"):
        record.setdefault(name, [])
    return record


def _write_atomic(path: Path, text: str, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.chmod(tmp, mode)  # whatever the umask said
    os.replace(tmp, path)


def _save_record(data_dir: Path, record: dict) -> None:
    data_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
    _write_atomic(record_path(data_dir), json.dumps(record, indent=2, ensure_ascii=False)
                   + "\n", 0o600)


def _make_dirs(folder: Path) -> list[str]:
    """Create folder and any missing parents; the ones created, outermost first."""
    missing = []
    for candidate in [folder, *folder.parents]:
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        candidate.mkdir(mode=0o755)
    return [str(c) for c in reversed(missing)]


def _add(items: list, item) -> None:
    if item not in items:
        items.append(item)


def install(targets: Sequence[Target], *, host_path: Path, extension_ids: Iterable[str],
            data_dir: Path) -> list[Target]:
    """Write every target's manifest (and key), recording each as it is written."""
    # Made first, so it is never among the folders uninstall would try to remove.
    data_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
    record = read_record(data_dir)
    extension_ids = list(extension_ids)
    for target in targets:
        for created in _make_dirs(target.path.parent):
            _add(record["dirs"], created)
        text = json.dumps(manifest(target.family, host_path, extension_ids), indent=2,
                          ensure_ascii=False) + "\n"
        # Browsers read it as the user; nothing secret in it.
        _write_atomic(target.path, text, 0o644)
        _add(record["files"], str(target.path))
        if target.key:
            for created in write_registry(target.key, str(target.path)):
                _add(record["created_keys"], created)
            _add(record["keys"], {"key": target.key, "value": str(target.path)})
        _save_record(data_dir, record)
    return list(targets)


def _is_our_manifest(path: Path) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("name") == HOST_NAME
    except (OSError, ValueError, AttributeError):
        return False


def uninstall(data_dir: Path) -> list[str]:
    """Remove what the record lists; lines saying what happened to each."""
    record = read_record(data_dir)
    lines = []
    for entry in record["keys"]:
        lines.append(delete_registry(entry["key"], entry["value"]))
    for key in reversed(record["created_keys"]):
        delete_registry_if_empty(key)
    for name in record["files"]:
        path = Path(name)
        if not path.exists():
            lines.append(f"Already gone: {path}")
        elif _is_our_manifest(path):
            path.unlink()
            lines.append(f"Removed {path}")
        else:
            lines.append(f"Left alone (no longer a {HOST_NAME} manifest): {path}")
    for name in reversed(record["dirs"]):
        try:
            Path(name).rmdir()  # only when empty: the user may have put things there since
        except FileNotFoundError:
            pass
        except OSError:
            lines.append(f"Left in place (not empty): {name}")
    record_path(data_dir).unlink(missing_ok=True)
    return lines


# -- the Windows registry (winreg exists only there) ------------------------------------------

def write_registry(key: str, manifest_path: str) -> list[str]:
    """Set HKCU\\<key> to the manifest's path; the keys that had to be created, outermost
    first, so that uninstall can remove them again."""
    import winreg  # only on Windows

    parts = key.split("\\")
    created = []
    for depth in range(1, len(parts) + 1):
        sub = "\\".join(parts[:depth])
        try:
            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CURRENT_USER, sub))
        except OSError:
            created.append(sub)
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
        winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, manifest_path)
    return created


def delete_registry(key: str, manifest_path: str) -> str:
    import winreg  # only on Windows

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
            value, _ = winreg.QueryValueEx(handle, "")
    except OSError:
        return f"Already gone: HKCU\\{key}"
    if value != manifest_path:
        return f"Left alone (points elsewhere now): HKCU\\{key}"
    winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
    return f"Removed HKCU\\{key}"


def delete_registry_if_empty(key: str) -> None:
    import winreg  # only on Windows

    try:
        winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)  # fails while it has subkeys
    except OSError:
        pass


# -- doctor -----------------------------------------------------------------------------------

def caller_arguments(manifest_path: Path, body: dict, extension_ids: Sequence[str]
                     ) -> list[str] | None:
    """The arguments the browser would start the host with, or None if no caller the manifest
    allows would be accepted by the host's own check."""
    if "allowed_extensions" in body:
        return ([str(manifest_path), FIREFOX_EXTENSION_ID]
                if FIREFOX_EXTENSION_ID in body["allowed_extensions"] else None)
    for origin in body.get("allowed_origins", []):
        if origin.removeprefix("chrome-extension://").rstrip("/") in extension_ids:
            return [origin]
    return None


def check_manifest(manifest_path: Path, extension_ids: Sequence[str],
                   timeout: float = PING_TIMEOUT_SECONDS) -> tuple[bool, str]:
    """Does this manifest lead to a host that answers ping? (ok, what to tell the user)."""
    try:
        body = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, f"{manifest_path} is missing (`goen install` writes it again)"
    except (OSError, ValueError) as exc:
        return False, f"{manifest_path} cannot be read: {exc}"
    host = Path(str(body.get("path", "")))
    if not host.is_absolute() or not host.is_file():
        return False, f"{manifest_path} points at {host}, which does not exist"
    if not os.access(host, os.X_OK):
        return False, f"{manifest_path} points at {host}, which is not executable"
    args = caller_arguments(manifest_path, body, extension_ids)
    if args is None:
        return False, (f"{manifest_path} allows no extension that GOEN_EXTENSION_IDS allows; "
                       "the host would refuse every caller (`goen install` again)")
    stdin = io.BytesIO()
    framing.write_frame(stdin, {"type": "ping", "id": "doctor"})
    try:
        result = subprocess.run([str(host), *args], input=stdin.getvalue(),
                                capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"{host} did not answer ping within {timeout:g} s"
    except OSError as exc:
        return False, f"{host} cannot be run: {exc}"
    try:
        reply = framing.read_frame(io.BytesIO(result.stdout))
    except framing.FramingError:
        reply = None
    if reply != {"type": "pong", "id": "doctor"}:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        return False, (f"{host} did not answer ping (exit code {result.returncode}"
                       + (f": {said[0][:200]}" if said else "") + ")")
    return True, f"{manifest_path} → {host} answers ping"
