"""Quản trị → Giọng đọc: upload a recorded voice set (#18).

The announcer plays one WAV per word (``appliance/audio/plan.py``); a recorded clip replaces the
espeak-ng one of the same name. This page lists every clip this office's announcer needs (from
its services' prefixes and number ranges, its counters and the number style of ``[audio].voice``),
which are recorded and which are still said by espeak-ng, takes WAV files or one ZIP of them, and
can remove the recordings (back to espeak-ng). Files go to ``[audio].clips_dir`` (empty: the
state directory's ``voice/``).
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...audio.blueprint import _state as audio_state
from ...audio.clips import overrides_folder
from ...audio.plan import CHIME, NumberStyle
from ...audio.voice_set import MAX_UPLOAD_BYTES, clip_text, needed_clips, readable, remove_all, save_upload
from ...store import office_store
from ..auth import appliance
from ..i18n import current_language
from .blueprint import bp


def _needed() -> list[str]:
    app_ = appliance()
    with app_.db.read() as conn:
        services = [(r["prefix"] or "", r["range_start"], r["range_end"]) for r in office_store.list_services(conn)]
        counters = [c["id"] for c in office_store.list_counters(conn)]
    return needed_clips(services, counters, NumberStyle.for_voice(app_.settings.audio.voice))


@bp.get("/voice")
def voice():
    folder = overrides_folder(appliance().settings)
    store = audio_state()["store"]
    rows = []
    for name in _needed():
        path = folder / f"{name}.wav"
        recorded = path.exists() and readable(path)
        rows.append({"name": name, "text": clip_text(name), "recorded": recorded,
                     "problem": path.exists() and not recorded})
    # the words still said by espeak-ng (the chime is made by the appliance, not spoken)
    missing = [r["name"] for r in rows if not r["recorded"] and r["name"] != CHIME]
    return render_template("admin/voice.html", rows=rows, missing=missing, folder=folder,
                           espeak=getattr(store.synthesizer, "key", ""), max_mb=MAX_UPLOAD_BYTES // 1024 // 1024)


@bp.post("/voice")
def voice_upload():
    request.max_content_length = MAX_UPLOAD_BYTES          # a whole set is larger than [web].max_body_kb
    files = [(f.filename or "", f.read()) for f in request.files.getlist("clips") if f and f.filename]
    if not files:
        flash(_("Chưa chọn tệp nào: chọn các tệp WAV (hoặc một tệp ZIP) của bộ giọng đọc."), "error")
        return redirect(url_for("admin.voice")), 303
    folder = Path(overrides_folder(appliance().settings))
    result = save_upload(folder, files)
    english = current_language() == "en"
    if result.saved:
        flash(_("Đã lưu %(n)s đoạn ghi âm: %(names)s.", n=len(result.saved), names=", ".join(result.saved)), "ok")
    for filename, vi, en in result.rejected:
        flash(_("Bỏ qua %(file)s: %(why)s.", file=filename, why=en if english else vi), "error")
    with appliance().units() as tx:
        tx.audit(_login(), "audio.voice_upload", "audio:voice", f"saved {len(result.saved)}, "
                 f"rejected {len(result.rejected)}")
    current_app.logger.info("voice set upload: %s saved, %s rejected", len(result.saved), len(result.rejected))
    return redirect(url_for("admin.voice")), 303


@bp.post("/voice/remove")
def voice_remove():
    removed = remove_all(Path(overrides_folder(appliance().settings)))
    with appliance().units() as tx:
        tx.audit(_login(), "audio.voice_remove", "audio:voice", f"removed {removed}")
    flash(_("Đã xóa %(n)s đoạn ghi âm; máy đọc bằng giọng tổng hợp espeak-ng.", n=removed), "ok")
    return redirect(url_for("admin.voice")), 303


def _login() -> str | None:
    from ..auth import login_name
    return login_name()
