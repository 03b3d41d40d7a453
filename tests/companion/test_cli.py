"""The `goen` command, run as a real subprocess with its own data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from companion.db import available_migrations
from tests.helpers import start_server, stop_server


def goen(data_dir, *args, extra_env=None):
    env = {**os.environ, "GOEN_DATA_DIR": str(data_dir), "GOEN_TOKEN_BACKEND": "file",
           **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "companion", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_pair_show_prints_the_token_alone_on_its_last_line(data_dir):
    result = goen(data_dir, "pair", "--show")
    assert result.returncode == 0
    token = result.stdout.splitlines()[-1]
    assert token == (data_dir / "token").read_text().strip()
    assert goen(data_dir, "pair", "--show").stdout.splitlines()[-1] == token  # stable


def test_pair_rotate_replaces_the_token(data_dir):
    old = goen(data_dir, "pair", "--show").stdout.splitlines()[-1]
    result = goen(data_dir, "pair", "--rotate")
    new = result.stdout.splitlines()[-1]
    assert result.returncode == 0 and new != old
    assert "pair again" in result.stderr
    assert (data_dir / "token").read_text().strip() == new


def test_pair_needs_show_or_rotate(data_dir):
    assert goen(data_dir, "pair").returncode == 2


def test_doctor_on_a_fresh_folder_names_each_problem(tmp_path):
    result = goen(tmp_path / "nothing-yet", "doctor", extra_env={"GOEN_PORT": "1"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(l.startswith("PROBLEM data folder:") and "does not exist yet" in l for l in lines)
    assert any(l.startswith("PROBLEM database:") for l in lines)
    assert any(l.startswith("PROBLEM token:") and "goen pair --show" in l for l in lines)
    assert any(l.startswith("OK      port:") and "free" in l for l in lines)


def test_doctor_all_good_while_serving(data_dir):
    server = start_server(data_dir)
    try:
        result = goen(data_dir, "doctor", extra_env={"GOEN_PORT": str(server.port)})
    finally:
        stop_server(server)
    assert result.returncode == 0, result.stdout
    latest = len(available_migrations())
    assert "OK      database:" in result.stdout
    assert f"schema version {latest} of {latest}" in result.stdout
    assert "OK      token: present" in result.stdout
    assert f"serving on 127.0.0.1:{server.port}" in result.stdout
    assert result.stdout.rstrip().endswith("All good.")


def test_doctor_spots_another_program_on_the_port(data_dir):
    server = start_server(data_dir)
    try:
        # Another data folder means another token: the server on the port is not "ours".
        result = goen(data_dir.parent / "other", "doctor",
                      extra_env={"GOEN_PORT": str(server.port)})
    finally:
        stop_server(server)
    assert "PROBLEM port:" in result.stdout and "another program" in result.stdout


def test_serve_prints_where_the_data_lives_and_the_urls(live_server):
    banner = "\n".join(live_server.banner)
    assert f"Data folder: {live_server.data_dir}" in banner
    assert f"Database:    {live_server.data_dir / 'goen.sqlite3'}" in banner
    assert f"Web view:    http://127.0.0.1:{live_server.port}/" in banner
    assert "127.0.0.1 only" in banner


def test_bad_setting_is_reported_not_a_traceback(data_dir):
    result = goen(data_dir, "serve", extra_env={"GOEN_PORT": "eighty"})
    assert result.returncode != 0
    assert "GOEN_PORT" in result.stderr and "Traceback" not in result.stderr


def test_settings_markdown(data_dir):
    result = goen(data_dir, "settings", "--markdown")
    assert result.returncode == 0 and "`GOEN_DATA_DIR`" in result.stdout


# -- doctor and the native messaging host ---------------------------------------------------------

def install_into_profile(data_dir, profile, **env):
    result = goen(data_dir, "install", "--user-data-dir", str(profile), extra_env=env)
    assert result.returncode == 0, result.stderr
    return profile / "NativeMessagingHosts" / "jp.goen.companion.json"


def native_host_lines(result) -> list[str]:
    return [l for l in result.stdout.splitlines() if "native host:" in l]


def test_doctor_notes_a_missing_install_without_calling_it_a_problem(data_dir):
    result = goen(data_dir, "doctor")
    [line] = native_host_lines(result)
    assert line.startswith("NOTE    native host: not installed") and "goen install" in line


def test_doctor_runs_each_installed_host_and_gets_pong(data_dir, tmp_path):
    manifest = install_into_profile(data_dir, tmp_path / "profile")
    result = goen(data_dir, "doctor")
    [line] = native_host_lines(result)
    assert line.startswith("OK      native host:") and "answers ping" in line
    assert str(manifest) in line


def write_manifest_path(manifest, path) -> None:
    body = json.loads(manifest.read_text())
    body["path"] = str(path)
    manifest.write_text(json.dumps(body))


def test_doctor_spots_a_host_that_is_missing(data_dir, tmp_path):
    manifest = install_into_profile(data_dir, tmp_path / "profile")
    write_manifest_path(manifest, tmp_path / "gone" / "goen-native-host")
    result = goen(data_dir, "doctor")
    [line] = native_host_lines(result)
    assert line.startswith("PROBLEM native host:") and "does not exist" in line
    assert result.returncode == 1


def test_doctor_spots_a_host_that_is_not_executable(data_dir, tmp_path):
    manifest = install_into_profile(data_dir, tmp_path / "profile")
    host = tmp_path / "host"
    host.write_text("#!/bin/sh\n")
    host.chmod(0o644)
    write_manifest_path(manifest, host)
    [line] = native_host_lines(goen(data_dir, "doctor"))
    assert line.startswith("PROBLEM native host:") and "not executable" in line


def test_doctor_spots_a_host_that_runs_but_does_not_answer(data_dir, tmp_path):
    manifest = install_into_profile(data_dir, tmp_path / "profile")
    host = tmp_path / "broken-host"
    host.write_text("#!/bin/sh\necho 'ModuleNotFoundError: No module named native_host' >&2\n"
                    "exit 3\n")
    host.chmod(0o755)
    write_manifest_path(manifest, host)
    [line] = native_host_lines(goen(data_dir, "doctor"))
    assert line.startswith("PROBLEM native host:") and "did not answer ping" in line
    assert "exit code 3" in line and "No module named native_host" in line


def test_doctor_spots_a_host_that_refuses_the_manifest_s_caller(data_dir, tmp_path):
    install_into_profile(data_dir, tmp_path / "profile")
    # Allowed ids changed since the install: the host would refuse the manifest's caller.
    result = goen(data_dir, "doctor",
                  extra_env={"GOEN_EXTENSION_IDS": "abcdefghijklmnopabcdefghijklmnop"})
    [line] = native_host_lines(result)
    assert line.startswith("PROBLEM native host:") and "GOEN_EXTENSION_IDS" in line


def test_doctor_spots_a_deleted_manifest(data_dir, tmp_path):
    manifest = install_into_profile(data_dir, tmp_path / "profile")
    manifest.unlink()
    [line] = native_host_lines(goen(data_dir, "doctor"))
    assert line.startswith("PROBLEM native host:") and "is missing" in line


def test_doctor_sends_its_token_only_to_a_companion_that_proves_it_knows_it(data_dir):
    other = data_dir.parent / "other"
    assert goen(other, "pair", "--show").returncode == 0  # a token of its own
    server = start_server(data_dir)
    try:
        result = goen(other, "doctor", extra_env={"GOEN_PORT": str(server.port)})
    finally:
        stop_server(server)
    assert "PROBLEM port:" in result.stdout and "does not know this token" in result.stdout
