"""HTTP for the hall display's announcer.

- ``GET /audio/clip/<name>.wav``: one clip (override or generated), ``audio/wav``, ETag and
  ``Cache-Control: public, max-age=300`` (an override dropped into ``clips_dir`` is heard within
  five minutes without reloading the display);
- ``GET /audio/announce?number=A015&counter=2``: JSON list of clip URLs in playing order
  (``[]`` when ``[audio].enabled`` is false);
- ``GET /audio/announce?dossier=12&counter=2``: the same for a ready result whose citizen holds no
  pager ("Mời công dân có hồ sơ số 12 nhận kết quả tại quầy số 2"; ``counter`` may be left out).

The app factory calls ``app.register_blueprint(bp)`` and ``init_app(app, store)``; without
``init_app`` a store is built on first use from ``app.config["SETTINGS"]`` (a
:class:`appliance.config.Settings`) or the default settings.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, current_app, jsonify, request, send_file, url_for

from appliance.audio.clips import ClipStore, UnknownClip
from appliance.audio.plan import NumberStyle, announcement_clips, counter_value, dossier_number_value, result_clips
from appliance.audio.synth import SpeechError

EXTENSION = "motcua.audio"
CLIP_MAX_AGE_S = 300

bp = Blueprint("audio", __name__, url_prefix="/audio")


def init_app(app, store: ClipStore | None = None, *, enabled: bool = True,
             style: NumberStyle | None = None) -> ClipStore:
    """Attach the clip store (and announcement options) to ``app``; returns the store."""
    settings = app.config.get("SETTINGS")
    if store is None:
        store = _store_from_settings(settings)
    if settings is not None:
        enabled = enabled and settings.audio.enabled
        style = style or NumberStyle.for_voice(settings.audio.voice)
    repeat = settings.audio.repeat if settings is not None else 1
    app.extensions[EXTENSION] = {"store": store, "enabled": enabled, "style": style or NumberStyle(),
                                 "repeat": repeat}
    return store


def _store_from_settings(settings) -> ClipStore:
    if settings is None:
        from appliance.config import Settings
        settings = Settings()
    return ClipStore.from_settings(settings)


def _state() -> dict:
    if EXTENSION not in current_app.extensions:
        init_app(current_app)
    return current_app.extensions[EXTENSION]


def _error(status: int, code: str, message: str, field: str | None = None):
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


def _first_problem(checks: Iterable[tuple[str, Callable[[], object]]]):
    """The 400 of the first check that raises ValueError (its field named), or None."""
    for field, check in checks:
        try:
            check()
        except ValueError as exc:
            return _error(400, "invalid", str(exc), field)
    return None


def _clip_list(state: dict, clips: Callable[[], list[str]]):
    """The clips' addresses the page plays in order (none when the announcer is off), not cached."""
    names = clips() if state["enabled"] else []
    response = jsonify([url_for("audio.clip", name=name) for name in names])
    response.cache_control.no_store = True
    return response


@bp.get("/clip/<name>.wav")
def clip(name: str):
    store: ClipStore = _state()["store"]
    try:
        path = store.path(name)
    except UnknownClip as exc:
        return _error(404, "not_found", str(exc), "name")
    except SpeechError as exc:
        current_app.logger.error("audio clip %s: %s", name, exc)
        return _error(503, "speech_unavailable", str(exc))
    response = send_file(path, mimetype="audio/wav", conditional=True, etag=True,
                         max_age=CLIP_MAX_AGE_S)
    response.cache_control.public = True
    return response


@bp.get("/announce")
def announce():
    state = _state()
    if "dossier" in request.args:
        return _announce_result(state)
    number = request.args.get("number", "").strip()
    counter = request.args.get("counter", "").strip()
    if not number:
        return _error(400, "required", "Thiếu số thứ tự cần gọi (tham số number, ví dụ A015).", "number")
    if not counter:
        return _error(400, "required", "Thiếu số quầy (tham số counter, ví dụ 2).", "counter")
    lang = request.args.get("lang", "vi")
    problem = _first_problem((("lang", lambda: announcement_clips("1", 1, lang)),
                              ("counter", lambda: counter_value(counter)),
                              ("number", lambda: announcement_clips(number, 1, style=state["style"]))))
    if problem is not None:
        return problem
    return _clip_list(state, lambda: announcement_clips(number, counter, lang, style=state["style"],
                                                        times=state.get("repeat", 1)))


def _announce_result(state: dict):
    dossier = request.args.get("dossier", "").strip()
    counter = request.args.get("counter", "").strip() or None
    if not dossier:
        return _error(400, "required", "Thiếu số hồ sơ cần gọi (tham số dossier, ví dụ 12).", "dossier")
    lang = request.args.get("lang", "vi")
    problem = _first_problem((("lang", lambda: result_clips(1, None, lang)),
                              ("counter", lambda: counter_value(counter) if counter else None),
                              ("dossier", lambda: dossier_number_value(dossier))))
    if problem is not None:
        return problem
    return _clip_list(state, lambda: result_clips(dossier, counter, lang, style=state["style"],
                                                  times=state.get("repeat", 1)))
