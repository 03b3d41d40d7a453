from pathlib import Path

import pytest

from companion.settings import SETTINGS, SettingsError, load_settings, settings_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_environment_overrides_defaults(tmp_path):
    settings = load_settings(environ={"GOEN_DATA_DIR": str(tmp_path), "GOEN_PORT": "5001",
                                      "GOEN_MY_PROFILES": "https://x.com/me, https://github.com/me"})
    assert settings.data_dir == tmp_path
    assert settings.port == 5001
    assert settings.my_profiles == ("https://x.com/me", "https://github.com/me")
    assert settings.db_path == tmp_path / "goen.sqlite3"


def test_config_overrides_environment(tmp_path):
    settings = load_settings({"port": 6000}, environ={"GOEN_PORT": "5001"})
    assert settings.port == 6000


def test_default_data_dir_is_the_per_user_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    settings = load_settings(environ={})
    assert settings.data_dir == tmp_path / "xdg" / "goen"


@pytest.mark.parametrize("env, message", [
    ({"GOEN_PORT": "http"}, "GOEN_PORT"),
    ({"GOEN_PORT": "70000"}, "not a TCP port"),
    ({"GOEN_TOKEN_BACKEND": "vault"}, "must be one of"),
])
def test_bad_values_are_named(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(environ=env)


def test_unknown_config_name_is_refused():
    with pytest.raises(SettingsError, match="unknown setting"):
        load_settings({"prot": 1}, environ={})


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert len(setting.help) > 20, setting.name
    assert (ROOT / "docs" / "SETTINGS.md").read_text(encoding="utf-8") == settings_markdown(), \
        "docs/SETTINGS.md is stale: run `goen settings --markdown > docs/SETTINGS.md`"
