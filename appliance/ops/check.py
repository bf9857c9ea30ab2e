"""One line of a ``motcua doctor`` report: what was checked, how it went, what to do."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
LABELS = {OK: "ỔN", WARN: "CẢNH BÁO", FAIL: "LỖI", SKIP: "BỎ QUA"}


@dataclass(frozen=True)
class Check:
    """``area``: what was checked (Vietnamese, e.g. "Máy in"); ``status``: ok/warn/fail/skip;
    ``message``: what was found; ``action``: what the officer should do (empty when nothing)."""
    area: str
    status: str
    message: str
    action: str = ""

    def __post_init__(self) -> None:
        if self.status not in LABELS:
            raise ValueError(f"status must be one of {sorted(LABELS)}")
        for name in ("area", "message", "action"):
            object.__setattr__(self, name, unicodedata.normalize("NFC", getattr(self, name)))

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    def as_dict(self) -> dict[str, str]:
        return {"area": self.area, "status": self.status, "message": self.message,
                "action": self.action}


def exit_status(checks: Iterable[Check]) -> int:
    """0 when nothing failed (warnings allowed), 1 otherwise: for scripts and monitoring."""
    return 1 if any(c.failed for c in checks) else 0


def format_report(checks: Iterable[Check], title: str = "Kiểm tra thiết bị motcua") -> str:
    checks = list(checks)
    width = max(len(label) for label in LABELS.values())
    lines = [title, "=" * len(title)]
    for c in checks:
        lines.append(f"[{LABELS[c.status]:^{width}}] {c.area}: {c.message}")
        if c.action:
            lines.append(f"{'':{width + 3}}→ Cần làm: {c.action}")
    fails = sum(c.status == FAIL for c in checks)
    warns = sum(c.status == WARN for c in checks)
    if fails:
        summary = f"Kết quả: {fails} lỗi, {warns} cảnh báo. Hãy xử lý các mục LỖI trước."
    elif warns:
        summary = f"Kết quả: không có lỗi, {warns} cảnh báo."
    else:
        summary = "Kết quả: mọi mục đều ổn."
    lines += ["", summary]
    return "\n".join(lines) + "\n"
