"""The dashboard (staff login), the report pages and the public dossier lookup page."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, render_template, request, session
from flask_babel import Babel, gettext
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from district.api import HTTP_MESSAGES
from district.api import error as api_error
from district.domain import labels
from district.hub import current
from district.store import catalog
from district.web import auth, booking, csrf, dashboard, public, reports

LANGUAGES = ("vi", "en")


def _locale() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
    return session.get("lang") or current().settings.language


def _local(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return value.astimezone(current().settings.tz).strftime(fmt) if value else "—"


def _num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") if _locale() == "vi" else f"{value:,.2f}"
    return str(value)


def _tr(text: str) -> str:
    """A fixed Vietnamese text that comes as data (a report table's words) in the page's language: a
    msgid of the catalog, never formatted (its "%" is a percent sign)."""
    return gettext(text)


def _label(kind: str, code: str | None) -> str:
    """A state, channel, outcome or ticket state in the page's language."""
    return labels.label(kind, code, _locale())


def _names_markup(english: str | None, vietnamese: str | None) -> Markup:
    """The English name when there is one on an English page, else the Vietnamese marked ``lang="vi"``
    (data the catalog does not translate: a reader and the language check know it is quoted)."""
    if _locale() == "en" and english:
        return Markup.escape(english)
    if _locale() == "en" and vietnamese:
        return Markup('<span lang="vi">%s</span>') % vietnamese
    return Markup.escape(vietnamese or "")


def _procedure_name(code: str | None, name: str | None) -> Markup:
    return _names_markup(catalog.english_names()[0].get(code or ""), name)


def _field_name(code: str | None, name: str | None) -> Markup:
    return _names_markup(catalog.english_names()[1].get(code or ""), name)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "web/translations")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "vi")
    Babel(app, locale_selector=_locale)
    web = (auth.bp, dashboard.bp, reports.bp, public.bp, booking.bp)
    for bp in web:
        app.register_blueprint(bp)
    names = {bp.name for bp in web}

    app.before_request(auth.check_session)

    @app.before_request
    def _csrf():
        if request.blueprint in names:
            csrf.protect()
    app.jinja_env.globals.update(csrf_token=csrf.token, hub=current, labels=labels, lang=_locale, label=_label, tr=_tr,
                                 procedure_name=_procedure_name, field_name=_field_name)
    app.jinja_env.filters.update(local=_local, num=_num)

    @app.errorhandler(HTTPException)
    def page_error(e: HTTPException):
        if request.path.startswith("/api/"):
            return api_error(e.name.lower().replace(" ", "_"), HTTP_MESSAGES.get(e.code or 500, e.name), None,
                             e.code or 500)
        if e.description == "csrf":
            message = gettext("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại.")
        elif e.code == 404:
            message = gettext("Không tìm thấy trang này.")
        else:
            message = e.description or e.name
        return render_template("error.html", code=e.code, message=message), e.code
