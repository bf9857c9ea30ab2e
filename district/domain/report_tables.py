"""The report tables as plain (title, headers, rows) data, shared by the page, Excel and CSV."""
from __future__ import annotations

from dataclasses import dataclass

from district.domain.reports import RATING_LABELS, FieldRow, LevelCount, OfficerRow, PostalRow, TargetRow


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]


def fields_table(rows: list[FieldRow]) -> Table:
    return Table("linh-vuc", "Tình hình tiếp nhận và giải quyết hồ sơ theo lĩnh vực", (
        "Mã lĩnh vực", "Lĩnh vực", "Tổng số tiếp nhận", "Trực tuyến", "Trực tiếp và bưu chính",
        "Kỳ trước chuyển qua", "Tổng số đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn",
        "Tổng số đang giải quyết", "Trong hạn", "Quá hạn (đang giải quyết)", "Tỷ lệ đúng hạn (%)",
        "Tỷ lệ trực tuyến trên số mới tiếp nhận (%)",
    ), tuple((r.field_code, r.field_name, r.received, r.online, r.direct_postal, r.carried_over, r.resolved,
              r.early, r.on_time, r.late, r.pending, r.within_deadline, r.overdue, r.on_time_rate, r.online_rate)
             for r in rows))


def target_table(rows: list[TargetRow]) -> Table:
    return Table("trong-2-gio", "Có kết quả trong 2 giờ làm việc (mô hình “Ngày không viết, không giấy hẹn”: "
                 "mục tiêu phục vụ, không thay cho thời hạn giải quyết)", (
                     "Mã lĩnh vực", "Lĩnh vực", "Số hồ sơ áp dụng mô hình", "Có kết quả trong 2 giờ",
                     "Tỷ lệ trong 2 giờ (%)"),
                 tuple((r.field_code, r.field_name, r.with_target, r.within_target, r.rate) for r in rows))


def postal_table(rows: list[PostalRow]) -> Table:
    return Table("buu-chinh", "Tiếp nhận và trả kết quả qua dịch vụ bưu chính công ích", (
        "Mã lĩnh vực", "Lĩnh vực", "Tiếp nhận qua bưu chính", "Đăng ký nhận kết quả qua bưu chính",
        "Đã trả kết quả qua bưu chính",
    ), tuple((r.field_code, r.field_name, r.received_by_post, r.registered_post_return, r.returned_by_post)
             for r in rows))


def satisfaction_table(levels: list[LevelCount]) -> Table:
    total = sum(level.count for level in levels)
    return Table("hai-long", "Mức độ hài lòng của người dân", ("Mức độ", "Số phiếu", "Tỷ lệ (%)"),
                 tuple((level.label, level.count, level.percent) for level in levels)
                 + (("Tổng số phiếu", total, 100.0 if total else None),))


def officers_table(rows: list[OfficerRow]) -> Table:
    return Table("can-bo", "Mức độ hài lòng theo cán bộ", (
        "Cán bộ", *RATING_LABELS.values(), "Tổng số phiếu", "Tỷ lệ hài lòng (%)",
    ), tuple((r.officer, *(r.counts.get(level, 0) for level in RATING_LABELS), r.total, r.satisfied_rate)
             for r in rows))


def queue_table(rows: list[tuple[str, str, list[float]]]) -> Table:
    """Queue figures per commune from the per-day summary: tickets, no-shows, priority share, average
    wait and service time, share served within 15 minutes of taking a number."""
    def rate(a: float, b: float) -> float | None:
        return round(100.0 * a / b, 2) if b else None

    def minutes(total_s: float, n: float) -> float | None:
        return round(total_s / n / 60.0, 1) if n else None
    out = []
    every = [0.0] * 9
    for _code, name, v in rows:
        every = [a + b for a, b in zip(every, v, strict=True)]
        out.append((name, *_queue_cells(v, rate, minutes)))
    if rows:
        out.append(("Tổng cộng", *_queue_cells(every, rate, minutes)))
    return Table("xep-hang", "Lấy số thứ tự và thời gian chờ theo xã", (
        "Xã", "Số phiếu đã cấp", "Đã phục vụ", "Vắng mặt", "Tỷ lệ vắng mặt (%)", "Tỷ lệ ưu tiên (%)",
        "Chờ trung bình (phút)", "Phục vụ trong 15 phút (%)", "Thời gian phục vụ trung bình (phút)",
    ), tuple(out))


def _queue_cells(v: list[float], rate, minutes) -> tuple:
    issued, priority, served, no_show, wait_n, wait_s, wait_15, service_n, service_s = v
    return (int(issued), int(served), int(no_show), rate(no_show, issued), rate(priority, issued),
            minutes(wait_s, wait_n), rate(wait_15, wait_n), minutes(service_s, service_n))
