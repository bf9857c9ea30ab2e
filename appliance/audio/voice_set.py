"""A recorded voice set, uploaded from the admin panel (#18): which clips the announcer needs for
this office, which of them are recorded, and saving an upload (WAV files or one ZIP of them).

The clips an office needs follow from its services and counters: every word of every ticket
number a service can print (its prefix letters, its number range) said the office's way
(:class:`appliance.audio.plan.NumberStyle`), every counter number, the ready-result calls and the
chime. A clip with no recording is said by espeak-ng (the fallback), so a partial set works; the
page lists what is missing.

An uploaded file is kept only if its name is a known clip (``moi_so.wav``, ``chu_a.wav``, …) and it
is a readable PCM WAV; each is written atomically into the overrides folder, where
:class:`appliance.audio.clips.ClipStore` finds it on the next call.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from appliance.audio.plan import (
    CHIME,
    CLIP_TEXTS,
    KNOWN_CLIPS,
    NORTHERN,
    NumberStyle,
    announcement_clips,
    result_clips,
)
from appliance.audio.wavfile import BadWav, wav_info

MAX_FILE_BYTES = 5 * 1024 * 1024          # one clip: a word or a phrase, a few seconds
MAX_UPLOAD_BYTES = 40 * 1024 * 1024       # the whole set (the route's body limit)
MAX_ZIP_MEMBERS = 500


@dataclass
class UploadResult:
    saved: list[str] = field(default_factory=list)
    #: (file name, Vietnamese reason, English reason)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)


def needed_clips(services: Iterable[tuple[str, int, int]], counters: Iterable[int],
                 style: NumberStyle = NORTHERN) -> list[str]:
    """Every clip the announcer can play for these services ``(prefix, range_start, range_end)``
    and counters, in :data:`KNOWN_CLIPS` order."""
    wanted: set[str] = {CHIME}
    counter_list = sorted(set(counters)) or [1]
    numbers: set[int] = set()
    for prefix, start, end in services:
        width = max(3, len(str(end)))
        for value in range(max(start, 0), end + 1):
            if value not in numbers or prefix:
                wanted.update(announcement_clips(f"{prefix}{value:0{width}d}", counter_list[0], style=style,
                                                 chime=False))
            numbers.add(value)
    for counter in counter_list:
        wanted.update(announcement_clips("1", counter, style=style, chime=False))
        wanted.update(result_clips(1, counter, style=style, chime=False))
    wanted.update(result_clips(1, None, style=style, chime=False))
    for n in range(1, 1000):            # the dossier numbers of the day called on the display
        wanted.update(result_clips(n, None, style=style, chime=False))
    return [name for name in KNOWN_CLIPS if name in wanted]


def clip_text(name: str) -> str:
    """What the person recording should say for ``name``."""
    return "(tiếng chuông)" if name == CHIME else CLIP_TEXTS[name]


def _clip_name(filename: str) -> str | None:
    path = PurePosixPath(filename.replace("\\", "/"))
    if path.suffix.lower() != ".wav":
        return None
    name = path.stem.lower()
    return name if name in KNOWN_CLIPS else None


def _check_and_write(folder: Path, name: str, data: bytes) -> None:
    """Write ``data`` as ``<folder>/<name>.wav`` if it is a readable PCM WAV (BadWav otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".wav", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        wav_info(tmp)
        os.replace(tmp, folder / f"{name}.wav")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_upload(folder: Path, files: Iterable[tuple[str, bytes]]) -> UploadResult:
    """Keep every good clip of ``files`` (``(file name, bytes)``; a ``.zip`` is opened and its WAV
    files taken by their base name)."""
    result = UploadResult()
    for filename, data in files:
        if filename.lower().endswith(".zip"):
            _save_zip(folder, filename, data, result)
        else:
            _save_one(folder, filename, data, result)
    return result


def _save_one(folder: Path, filename: str, data: bytes, result: UploadResult) -> None:
    name = _clip_name(filename)
    if name is None:
        result.rejected.append((filename, "tên tệp không phải một đoạn của bộ giọng đọc (xem danh sách tên bên dưới)",
                                "the file name is not a clip of the voice set (see the names below)"))
        return
    if len(data) > MAX_FILE_BYTES:
        result.rejected.append((filename, f"tệp quá lớn (tối đa {MAX_FILE_BYTES // 1024 // 1024} MB một đoạn)",
                                f"file too large (at most {MAX_FILE_BYTES // 1024 // 1024} MB a clip)"))
        return
    try:
        _check_and_write(folder, name, data)
    except BadWav:
        result.rejected.append((filename, "không phải tệp WAV PCM đọc được (ghi âm lại, lưu dạng WAV 16-bit)",
                                "not a readable PCM WAV file (record again, save as 16-bit WAV)"))
        return
    result.saved.append(name)


# what reading one member of a ZIP whose directory opened can raise: a wrong CRC (BadZipFile), a
# broken deflate stream (zlib.error), offsets pointing outside the file (ValueError, EOFError), a
# method or an encryption the reader does not know (NotImplementedError, RuntimeError)
BROKEN_MEMBER = (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError, RuntimeError,
                 OSError)


def _save_zip(folder: Path, filename: str, data: bytes, result: UploadResult) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except BROKEN_MEMBER:
        result.rejected.append((filename, "tệp ZIP hỏng", "broken ZIP file"))
        return
    if len(members) > MAX_ZIP_MEMBERS:
        result.rejected.append((filename, "tệp ZIP có quá nhiều tệp", "the ZIP file holds too many files"))
        return
    for member in members:
        base = PurePosixPath(member.filename.replace("\\", "/")).name
        if base.startswith(".") or base.startswith("__MACOSX"):
            continue
        if member.file_size > MAX_FILE_BYTES:
            result.rejected.append((base, "tệp quá lớn", "file too large"))
            continue
        try:
            data = archive.read(member)
        except BROKEN_MEMBER:
            result.rejected.append((f"{filename}: {base}", "tệp ZIP hỏng (không giải nén được tệp này)",
                                    "broken ZIP file (this file cannot be extracted)"))
            continue
        _save_one(folder, base, data, result)


def remove_all(folder: Path) -> int:
    """Delete every recorded clip (back to espeak-ng); the number removed."""
    removed = 0
    for name in KNOWN_CLIPS:
        path = folder / f"{name}.wav"
        if path.exists():
            path.unlink()
            removed += 1
    return removed


def readable(path: Path) -> bool:
    try:
        wav_info(path)
        return True
    except BadWav:
        return False
