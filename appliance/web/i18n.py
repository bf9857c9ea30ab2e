"""Language choice: Vietnamese by default, English on request (``?lang=en``, cookie, or setting)."""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import Babel

LANGUAGES = ("vi", "en")


def current_language() -> str:
    lang = request.args.get("lang") or request.cookies.get("lang")
    if lang in LANGUAGES:
        return lang
    appliance = current_app.extensions["motcua"]
    default = appliance.settings.office.language
    if request.path.startswith("/api/"):
        best = request.accept_languages.best_match(LANGUAGES)
        if best and request.accept_languages and request.accept_languages[0][0].startswith("en"):
            return best
    return default


def counter_name(counter) -> str:
    """A counter's name in the page's language: its ``name_en`` on an English page when it has one,
    else its (Vietnamese) name. ``counter`` is a row dict or an object with those attributes."""
    def get(key: str) -> str:
        value = counter.get(key) if isinstance(counter, dict) else getattr(counter, key, None)
        return value or ""
    english = get("name_en")
    return english if english and current_language() == "en" else get("name")


def init_app(app: Flask) -> None:
    from pathlib import Path
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "vi")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES",
                          str(Path(__file__).parent / "translations"))
    Babel(app, locale_selector=current_language)
    app.jinja_env.globals["counter_name"] = counter_name
