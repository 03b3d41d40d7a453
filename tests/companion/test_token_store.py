import logging

import pytest

from companion import token_store as ts
from companion.token_store import TokenError, TokenStore


def test_file_backend_creates_a_private_token_once(tmp_path):
    store = TokenStore(tmp_path / "d", "file")
    token = store.get_or_create()
    assert len(token) >= 40
    path = tmp_path / "d" / "token"
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text().strip() == token
    assert TokenStore(tmp_path / "d", "file").get_or_create() == token  # stable across runs


def test_rotate_replaces_the_token_for_other_readers(tmp_path):
    a, b = TokenStore(tmp_path, "file"), TokenStore(tmp_path, "file")
    old = a.get_or_create()
    assert b.matches(old)
    new = a.rotate()
    assert new != old
    assert b.matches(new) and not b.matches(old)  # b notices the file changed


def test_auto_falls_back_to_the_file_with_a_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(ts, "_usable_keyring", lambda: None)
    with caplog.at_level(logging.WARNING):
        store = TokenStore(tmp_path, "auto")
    assert store.backend == "file"
    assert "No OS keyring backend" in caplog.text


def test_keyring_required_but_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(ts, "_usable_keyring", lambda: None)
    with pytest.raises(TokenError, match="no keyring backend"):
        TokenStore(tmp_path, "keyring")


def test_keyring_backend_is_used_when_present(tmp_path, monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1
        store: dict = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        store = TokenStore(tmp_path, "auto")
        assert store.backend == "keyring"
        token = store.get_or_create()
        assert MemoryKeyring.store[("goen", store.keyring_user)] == token
        assert not (tmp_path / "token").exists()  # never written to a file as well
    finally:
        keyring.set_keyring(previous)


def test_peek_never_creates(tmp_path):
    store = TokenStore(tmp_path, "file")
    assert store.peek() is None
    assert not (tmp_path / "token").exists()
