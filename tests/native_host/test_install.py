"""`goen install` / `goen uninstall`: the path tables for every browser and OS, and the real
command in a temporary HOME (a subprocess with its own environment)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion.settings import SETTINGS
from native_host import install as nm
from native_host.main import FIREFOX_EXTENSION_ID

HOME = Path("/home/u")
GOEN_ID = "bddjgpkhpndbfbomeobifkpedemfoeno"
OTHER_ID = "abcdefghijklmnopabcdefghijklmnop"
MANIFEST = "jp.goen.companion.json"

# Written out by hand from the browsers' documentation (see native_host/install.py).
LINUX = {
    "chrome": "/home/u/.config/google-chrome/NativeMessagingHosts",
    "chromium": "/home/u/.config/chromium/NativeMessagingHosts",
    "edge": "/home/u/.config/microsoft-edge/NativeMessagingHosts",
    "brave": "/home/u/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    "vivaldi": "/home/u/.config/vivaldi/NativeMessagingHosts",
    "firefox": "/home/u/.mozilla/native-messaging-hosts",
}
MACOS = {
    "chrome": "/home/u/Library/Application Support/Google/Chrome/NativeMessagingHosts",
    "chromium": "/home/u/Library/Application Support/Chromium/NativeMessagingHosts",
    "edge": "/home/u/Library/Application Support/Microsoft Edge/NativeMessagingHosts",
    "brave": "/home/u/Library/Application Support/BraveSoftware/Brave-Browser/"
             "NativeMessagingHosts",
    "vivaldi": "/home/u/Library/Application Support/Vivaldi/NativeMessagingHosts",
    "firefox": "/home/u/Library/Application Support/Mozilla/NativeMessagingHosts",
}
WINDOWS_KEYS = {
    "chrome": r"Software\Google\Chrome\NativeMessagingHosts\jp.goen.companion",
    "chromium": r"Software\Chromium\NativeMessagingHosts\jp.goen.companion",
    "edge": r"Software\Microsoft\Edge\NativeMessagingHosts\jp.goen.companion",
    "brave": r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\jp.goen.companion",
    "vivaldi": r"Software\Google\Chrome\NativeMessagingHosts\jp.goen.companion",
    "firefox": r"Software\Mozilla\NativeMessagingHosts\jp.goen.companion",
}


# -- the tables -------------------------------------------------------------------------------

def test_every_browser_is_in_every_table():
    assert set(nm.BY_NAME) == set(LINUX) == set(MACOS) == set(WINDOWS_KEYS)


@pytest.mark.parametrize("name", sorted(LINUX))
def test_linux_paths(name):
    assert nm.manifest_dir(nm.BY_NAME[name], nm.LINUX, HOME, {}) == Path(LINUX[name])


@pytest.mark.parametrize("name", sorted(MACOS))
def test_macos_paths(name):
    assert nm.manifest_dir(nm.BY_NAME[name], nm.MACOS, HOME, {}) == Path(MACOS[name])


@pytest.mark.parametrize("name", sorted(WINDOWS_KEYS))
def test_windows_registry_keys(name):
    assert nm.registry_key(nm.BY_NAME[name]) == WINDOWS_KEYS[name]


def test_linux_chromium_family_follows_xdg_config_home_and_firefox_does_not():
    env = {"XDG_CONFIG_HOME": "/cfg"}
    assert nm.manifest_dir(nm.BY_NAME["chrome"], nm.LINUX, HOME, env) == Path(
        "/cfg/google-chrome/NativeMessagingHosts")
    assert nm.manifest_dir(nm.BY_NAME["firefox"], nm.LINUX, HOME, env) == Path(LINUX["firefox"])
    # a relative value is ignored, as the XDG spec says
    assert nm.manifest_dir(nm.BY_NAME["chrome"], nm.LINUX, HOME,
                           {"XDG_CONFIG_HOME": "cfg"}) == Path(LINUX["chrome"])


def test_profile_folders_used_to_detect_browsers():
    win_env = {"LOCALAPPDATA": "/w/Local", "APPDATA": "/w/Roaming"}
    assert nm.profile_dir(nm.BY_NAME["edge"], nm.WINDOWS, HOME, win_env) == Path(
        "/w/Local/Microsoft/Edge/User Data")
    assert nm.profile_dir(nm.BY_NAME["firefox"], nm.WINDOWS, HOME, win_env) == Path(
        "/w/Roaming/Mozilla/Firefox")
    assert nm.profile_dir(nm.BY_NAME["firefox"], nm.MACOS, HOME, {}) == Path(
        "/home/u/Library/Application Support/Firefox")
    assert nm.profile_dir(nm.BY_NAME["brave"], nm.LINUX, HOME, {}) == Path(
        "/home/u/.config/BraveSoftware/Brave-Browser")


@pytest.mark.parametrize("platform, system", [("linux", "linux"), ("darwin", "macos"),
                                              ("win32", "windows"), ("freebsd14", "linux")])
def test_current_system(platform, system):
    assert nm.current_system(platform) == system


def test_the_extension_id_is_the_settings_default():
    [setting] = [s for s in SETTINGS if s.name == "extension_ids"]
    assert setting.default == (nm.CHROMIUM_EXTENSION_ID,) == (GOEN_ID,)


def test_manifests_list_exact_ids():
    host = Path("/opt/goen/bin/goen-native-host")
    assert nm.manifest(nm.CHROMIUM, host, [GOEN_ID, OTHER_ID]) == {
        "name": "jp.goen.companion", "description": nm.DESCRIPTION,
        "path": "/opt/goen/bin/goen-native-host", "type": "stdio",
        "allowed_origins": [f"chrome-extension://{GOEN_ID}/", f"chrome-extension://{OTHER_ID}/"]}
    # Goen's own id is always there, once
    assert nm.manifest(nm.CHROMIUM, host, [OTHER_ID])["allowed_origins"] == [
        f"chrome-extension://{GOEN_ID}/", f"chrome-extension://{OTHER_ID}/"]
    firefox = nm.manifest(nm.FIREFOX, host, [OTHER_ID])
    assert firefox["allowed_extensions"] == ["goen@goen.example"] == [FIREFOX_EXTENSION_ID]
    assert "allowed_origins" not in firefox


def test_windows_plan_one_manifest_per_family_and_one_key_per_vendor(tmp_path):
    targets = nm.plan(list(nm.BROWSERS), system=nm.WINDOWS, home=HOME, env={},
                      data_dir=tmp_path)
    by_key = {t.key: t for t in targets}
    assert set(by_key) == set(WINDOWS_KEYS.values())
    assert by_key[WINDOWS_KEYS["chrome"]].browsers == ("chrome", "vivaldi")
    assert {t.path for t in targets} == {
        tmp_path / "native-messaging" / "jp.goen.companion.chromium.json",
        tmp_path / "native-messaging" / "jp.goen.companion.firefox.json"}
    assert by_key[WINDOWS_KEYS["firefox"]].family == nm.FIREFOX


def test_the_host_executable_is_this_installs_console_script():
    host = nm.find_host_executable()
    assert host.is_absolute() and host.name == "goen-native-host"
    assert host.parent == Path(sys.executable).absolute().parent
    assert os.access(host, os.X_OK)


def test_the_host_executable_on_windows_and_when_missing(tmp_path):
    python = tmp_path / "python.exe"
    exe = tmp_path / "goen-native-host.exe"
    exe.write_bytes(b"MZ")
    exe.chmod(0o755)
    assert nm.find_host_executable(nm.WINDOWS, str(python), lambda name: None) == exe
    assert nm.find_host_executable(nm.LINUX, str(tmp_path / "bin" / "python"),
                                   lambda name: "/usr/bin/goen-native-host") == Path(
        "/usr/bin/goen-native-host")
    with pytest.raises(nm.InstallError, match="cannot find the goen-native-host"):
        nm.find_host_executable(nm.LINUX, str(python), lambda name: None)


# -- the command in a temporary HOME ----------------------------------------------------------

@pytest.fixture
def home(tmp_path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


def goen(home: Path, data_dir: Path, *args, extra_env=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GOEN_") and k != "XDG_CONFIG_HOME"}
    env.update(HOME=str(home), GOEN_DATA_DIR=str(data_dir), GOEN_TOKEN_BACKEND="file",
               **(extra_env or {}))
    return subprocess.run([sys.executable, "-m", "companion", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def tree(*roots: Path) -> set[str]:
    return {str(p) for root in roots if root.exists() for p in [root, *root.rglob("*")]}


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_default_installs_for_the_browsers_found_and_names_the_others(home, data_dir):
    (home / ".config" / "google-chrome").mkdir(parents=True)
    (home / ".mozilla").mkdir()
    before = tree(home)
    result = goen(home, data_dir, "install")
    assert result.returncode == 0, result.stderr
    chrome = home / ".config/google-chrome/NativeMessagingHosts" / MANIFEST
    firefox = home / ".mozilla/native-messaging-hosts" / MANIFEST
    assert {Path(p) for p in tree(home) - before} == {chrome, chrome.parent, firefox,
                                                      firefox.parent}
    for name in ("Chromium", "Microsoft Edge", "Brave", "Vivaldi"):
        assert f"Skipped {name}:" in result.stdout
    assert "Skipped Google Chrome" not in result.stdout and "Skipped Firefox" not in result.stdout

    host = Path(read(chrome)["path"])
    assert host.is_absolute() and host.is_file() and os.access(host, os.X_OK)
    assert host.name == "goen-native-host"
    assert read(chrome) == {"name": "jp.goen.companion", "description": nm.DESCRIPTION,
                            "path": str(host), "type": "stdio",
                            "allowed_origins": [f"chrome-extension://{GOEN_ID}/"]}
    assert read(firefox) == {"name": "jp.goen.companion", "description": nm.DESCRIPTION,
                             "path": str(host), "type": "stdio",
                             "allowed_extensions": ["goen@goen.example"]}
    assert (data_dir / "native-host-install.json").stat().st_mode & 0o777 == 0o600

    result = goen(home, data_dir, "uninstall")
    assert result.returncode == 0, result.stderr
    assert tree(home) == before
    assert not (data_dir / "native-host-install.json").exists()


def test_every_browser_by_name_then_uninstall_leaves_nothing(home, data_dir):
    before = tree(home)
    args = [a for name in sorted(LINUX) for a in ("--browser", name)]
    result = goen(home, data_dir, "install", *args)
    assert result.returncode == 0, result.stderr
    for name, folder in LINUX.items():
        path = home / Path(folder).relative_to(HOME) / MANIFEST
        assert read(path)["name"] == "jp.goen.companion", name
        assert f"Wrote {path}" in result.stdout
    assert goen(home, data_dir, "uninstall").returncode == 0
    assert tree(home) == before == {str(home)}  # the folders it made are gone too


def test_extra_extension_ids_are_allowed_too(home, data_dir):
    result = goen(home, data_dir, "install", "--browser", "chromium",
                  extra_env={"GOEN_EXTENSION_IDS": f"{GOEN_ID},{OTHER_ID}"})
    assert result.returncode == 0, result.stderr
    manifest = read(home / ".config/chromium/NativeMessagingHosts" / MANIFEST)
    assert manifest["allowed_origins"] == [f"chrome-extension://{GOEN_ID}/",
                                           f"chrome-extension://{OTHER_ID}/"]


def test_user_data_dir_writes_into_its_native_messaging_hosts(home, data_dir, tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    result = goen(home, data_dir, "install", "--user-data-dir", str(profile))
    assert result.returncode == 0, result.stderr
    path = profile / "NativeMessagingHosts" / MANIFEST
    assert read(path)["allowed_origins"] == [f"chrome-extension://{GOEN_ID}/"]
    assert tree(home) == {str(home)}  # no browser folder was touched
    assert goen(home, data_dir, "uninstall").returncode == 0
    assert tree(profile) == {str(profile)}


def test_user_data_dir_that_does_not_exist_yet_is_removed_again(home, data_dir, tmp_path):
    profile = tmp_path / "new" / "profile"
    assert goen(home, data_dir, "install", "--user-data-dir", str(profile)).returncode == 0
    assert (profile / "NativeMessagingHosts" / MANIFEST).is_file()
    assert goen(home, data_dir, "uninstall").returncode == 0
    assert not (tmp_path / "new").exists()


def test_dry_run_writes_nothing(home, data_dir):
    (home / ".config" / "chromium").mkdir(parents=True)
    before = tree(home)
    result = goen(home, data_dir, "install", "--dry-run")
    assert result.returncode == 0, result.stderr
    path = home / ".config/chromium/NativeMessagingHosts" / MANIFEST
    assert f"Would write {path} (Chromium)" in result.stdout
    assert f'"chrome-extension://{GOEN_ID}/"' in result.stdout
    assert tree(home) == before and not data_dir.exists()


def test_uninstall_removes_only_what_it_wrote(home, data_dir):
    folder = home / ".config/chromium/NativeMessagingHosts"
    folder.mkdir(parents=True)
    other = folder / "org.example.other.json"
    other.write_text("{}")
    assert goen(home, data_dir, "install", "--browser", "chromium", "--browser",
                "firefox").returncode == 0
    # installing twice records each file once
    assert goen(home, data_dir, "install", "--browser", "chromium").returncode == 0
    record = read(data_dir / "native-host-install.json")
    assert len(record["files"]) == 2 and str(folder) not in record["dirs"]
    # the user replaced the Firefox manifest with something else since
    firefox = home / ".mozilla/native-messaging-hosts" / MANIFEST
    firefox.write_text('{"name": "something.else"}')
    result = goen(home, data_dir, "uninstall")
    assert result.returncode == 0, result.stderr
    assert other.read_text() == "{}" and folder.is_dir()  # not ours: kept
    assert not (folder / MANIFEST).exists()
    assert firefox.read_text() == '{"name": "something.else"}'
    assert "Left alone" in result.stdout and "not empty" in result.stdout
    assert goen(home, data_dir, "uninstall").stdout.startswith("Nothing to remove")


def test_no_browser_found_is_an_error(home, data_dir):
    result = goen(home, data_dir, "install")
    assert result.returncode == 1 and "no browser folder found" in result.stderr
    assert tree(home) == {str(home)}


def test_browser_and_user_data_dir_do_not_mix(home, data_dir, tmp_path):
    result = goen(home, data_dir, "install", "--browser", "chrome", "--user-data-dir",
                  str(tmp_path))
    assert result.returncode == 2


def test_unknown_browser_is_refused(home, data_dir):
    result = goen(home, data_dir, "install", "--browser", "netscape")
    assert result.returncode == 2 and "netscape" in result.stderr
