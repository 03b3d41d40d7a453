"""Shared fixtures: a temporary data folder per test, the app, an authorised client, and the
real companion server as a subprocess on a free loopback port."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.app import create_app
from companion.settings import load_settings
from tests.helpers import EXTENSION_ID, TEST_PORT, make_client, start_server, stop_server



@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture
def settings(data_dir: Path):
    return load_settings({"data_dir": str(data_dir), "port": TEST_PORT, "token_backend": "file",
                          "extension_ids": [EXTENSION_ID]}, environ={})


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.extensions["goen.db"].close()


@pytest.fixture
def db(app):
    return app.extensions["goen.db"]


@pytest.fixture
def token(app) -> str:
    return app.extensions["goen.tokens"].get_or_create()


@pytest.fixture
def client(app, token):
    """Right Host and the bearer token."""
    return make_client(app, token)


@pytest.fixture
def anon_client(app):
    """Right Host, no token."""
    return make_client(app)


@pytest.fixture
def live_server(data_dir: Path):
    server = start_server(data_dir)
    yield server
    stop_server(server)
