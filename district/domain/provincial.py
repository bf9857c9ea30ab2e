"""The provincial export shape (shared/domain.md, "Sync fields used by a provincial system").

No public API exists: the hub exports in this shape, it does not call the national portal. The
numeric codes (KenhThucHien, HinhThuc, TrangThaiHoSo) follow the provincial systems we read
[copy]; they are data here so that a province can adjust them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

CHANNEL_CODES = {"truc_tiep": 1, "truc_tuyen_toan_trinh": 2, "truc_tuyen_mot_phan": 2, "buu_chinh": 3}
# 1 Mới đăng ký, 2 Được tiếp nhận, 3 Không được tiếp nhận, 4 Đang xử lý, 5 Yêu cầu bổ sung,
# 6 Yêu cầu nghĩa vụ tài chính, 7 Công dân rút hồ sơ, 8 Dừng xử lý, 9 Đã xử lý xong, 10 Đã trả kết quả
STATE_CODES = {
    "draft": 1, "received": 2, "refused": 3, "rejected": 3, "processing": 4, "in_progress": 4,
    "supplement": 5, "need_documents": 5, "fee": 6, "withdrawn": 7, "cancelled": 8, "stopped": 8,
    "ready": 9, "resolved": 9, "returned": 10,
}
STEP_TEXT = {"received": "Tiếp nhận hồ sơ", "state": "Chuyển trạng thái", "ready": "Có kết quả, báo công dân",
             "returned": "Trả kết quả"}
FIELDS = ("MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "KenhThucHien", "ChuHoSo", "SoGiayToChuHoSo",
          "LoaiDoiTuong", "SoDienThoai", "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra",
          "TrangThaiHoSo", "HinhThuc", "DonViXuLy", "TaiLieuNop", "DanhSachLePhi", "QuaTrinhXuLy")


# Fees (DanhSachLePhi) and papers (TaiLieuNop): the keys of the provincial systems we read [copy];
# LoaiPhiLePhi 1 = lệ phí; HinhThucThu 1 = thu trực tiếp tại Bộ phận một cửa [inferred].
FEE_KIND_LEPHI, FEE_COLLECT_AT_DESK = 1, 1
DOCUMENT_MODE_TEXT = {"submit": "Nộp", "show": "Xuất trình (đối chiếu)"}


def fee_items(d: dict) -> list[dict]:
    """DanhSachLePhi of one dossier from the fee lines its appliance sent (an older appliance sent
    only the total, which the hub keeps as one line); empty when it sent neither."""
    return [{"TenPhiLePhi": f.get("name") or "Lệ phí", "MaPhiLePhi": d.get("procedure_code") or "",
             "LoaiPhiLePhi": FEE_KIND_LEPHI, "HinhThucThu": FEE_COLLECT_AT_DESK, "Gia": int(f.get("amount") or 0),
             "MienGiam": bool(f.get("exempt_reason")), "LyDoMienGiam": f.get("exempt_reason") or ""}
            for f in d.get("fees") or []]


def document_items(d: dict) -> list[dict]:
    """TaiLieuNop of one dossier: the papers its procedure lists in the appliance's catalog, each
    marked digitised when the dossier's papers were scanned at receipt."""
    return [{"TenTaiLieu": doc.get("name") or "", "HinhThucNop": DOCUMENT_MODE_TEXT.get(doc.get("mode") or "", "Nộp"),
             "BatBuoc": bool(doc.get("required", True)), "DuocSoHoa": bool(d.get("digitised"))}
            for doc in d.get("documents") or []]


@dataclass(frozen=True)
class StepRecord:
    at: datetime
    kind: str
    state: str
    actor: str | None
    note: str | None


def stamp(value: datetime | None, tz: tzinfo) -> str:
    """``yyyyMMddHHmmss`` in the office's time zone, or an empty string."""
    return value.astimezone(tz).strftime("%Y%m%d%H%M%S") if value else ""


def to_provincial(d: dict, steps: Iterable[StepRecord], unit_name: str, tz: tzinfo) -> dict:
    """One dossier row (the hub's ``dossiers`` columns) as the provincial record."""
    return {
        "MaHoSo": d["code"],
        "MaTTHC": d.get("procedure_code") or "",
        "TenTTHC": d.get("procedure_name") or "",
        "MaLinhVuc": d.get("field_code") or "",
        "KenhThucHien": CHANNEL_CODES.get(d.get("channel") or "", 1),
        "ChuHoSo": d.get("applicant_name") or "",
        "SoGiayToChuHoSo": d.get("applicant_id_number") or "",
        "LoaiDoiTuong": 1,  # 1 = công dân; organisations are not served at the commune counter
        "SoDienThoai": d.get("applicant_phone") or "",
        "NgayNopHoSo": stamp(d.get("received_at"), tz),
        "NgayTiepNhan": stamp(d.get("received_at"), tz),
        "NgayHenTra": stamp(d.get("due_at"), tz),
        "NgayTra": stamp(d.get("returned_at"), tz),
        "TrangThaiHoSo": STATE_CODES.get(d.get("state") or "", 4),
        "HinhThuc": 1 if d.get("return_by_post") else 0,  # 0 trả tại Bộ phận một cửa, 1 qua bưu chính
        "DonViXuLy": unit_name,
        "TaiLieuNop": document_items(d),
        "DanhSachLePhi": fee_items(d),
        "QuaTrinhXuLy": [
            {"NguoiXuLy": s.actor or "", "ChucDanh": "Cán bộ một cửa", "ThoiDiemXuLy": stamp(s.at, tz),
             "NoiDungXuLy": s.note if s.kind == "state" and s.note else STEP_TEXT.get(s.kind, s.kind),
             "TrangThai": STATE_CODES.get(s.state, 4), "HanXuLy": stamp(d.get("due_at"), tz)}
            for s in steps
        ],
    }
