"""Settings (``/settings``): my own profiles, the cadence of each tier and the language, saved as
preferences (services/preferences.py: a preference wins over the setting of the same name);
the data folder (read-only); pairing and token rotation; backups.

    POST /settings                 my_profiles (one URL a line), cadence_<tier>_days, language;
                                   or reset=1 to drop every preference but the language
    POST /settings/language        language, next (a path here): the menu's language switch
    POST /settings/token/rotate    confirm=yes: a new API token (the extension must pair again)
"""

from __future__ import annotations

from flask import current_app, request, url_for

from companion.services import preferences
from companion.web.pages_common import bp, db, go, page, render, settings
from companion.web.sessions import is_local_path


def _form_values(base) -> dict:
    """The form's values as preference changes: a value equal to the setting clears the
    preference (so a later change of the environment applies again), an empty field too."""
    changes: dict = {}
    raw_profiles = request.form.get("my_profiles")
    if raw_profiles is not None:
        parsed = preferences.parse_value("my_profiles", raw_profiles)
        changes["my_profiles"] = None if parsed == base.my_profiles else parsed
    for tier in preferences.TIERS:
        name = f"cadence_{tier}_days"
        raw = request.form.get(name)
        if raw is None:
            continue
        raw = raw.strip()
        if not raw:
            changes[name] = None
            continue
        parsed = preferences.parse_value(name, raw)
        changes[name] = None if parsed == getattr(base, name) else parsed
    language = request.form.get("language")
    if language:
        changes["language"] = preferences.parse_value("language", language)
    return changes


@bp.get("/settings")
@page
def settings_page():
    effective = settings()
    tokens = current_app.extensions["goen.tokens"]
    return render("settings.html", nav="settings_page", s=effective, base=effective.base,
                  tiers=preferences.TIERS, prefs=effective.preferences(),
                  token_location=str(tokens.location), saved=request.args.get("saved") == "1",
                  rotated=request.args.get("rotated") == "1",
                  needs_confirm=request.args.get("confirm") == "1")


@bp.post("/settings")
@page
def save_settings():
    effective = settings()
    if request.form.get("reset"):
        changes = {name: None for name in preferences.SETTING_PREFERENCES}
    else:
        changes = _form_values(effective.base)
    preferences.set_preferences(db(), changes)
    return go(url_for("web_pages.settings_page", saved=1))


@bp.post("/settings/language")
@page
def set_language():
    preferences.set_preferences(db(), {"language": request.form.get("language")})
    target = request.form.get("next", "/")
    return go(target if is_local_path(target) else "/")


@bp.post("/settings/token/rotate")
@page
def rotate_token():
    if request.form.get("confirm") != "yes":
        return go(url_for("web_pages.settings_page", confirm=1) + "#pairing")
    current_app.extensions["goen.tokens"].rotate()
    return go(url_for("web_pages.settings_page", rotated=1) + "#pairing")
