"""Vietnamese labels of the codes the appliances send (states, channels, outcomes)."""
from __future__ import annotations

DOSSIER_STATES = {
    "draft": "Mới đăng ký", "received": "Đã tiếp nhận", "processing": "Đang giải quyết",
    "in_progress": "Đang giải quyết", "supplement": "Cần bổ sung giấy tờ", "need_documents": "Cần bổ sung giấy tờ",
    "fee": "Chờ nộp phí, lệ phí", "ready": "Đã có kết quả, mời đến nhận", "resolved": "Đã có kết quả, mời đến nhận",
    "returned": "Đã trả kết quả", "refused": "Không được tiếp nhận", "rejected": "Không được tiếp nhận",
    "withdrawn": "Đã rút hồ sơ", "cancelled": "Đã hủy", "stopped": "Dừng xử lý",
}
CHANNELS = {"truc_tiep": "Trực tiếp", "truc_tuyen_toan_trinh": "Trực tuyến toàn trình",
            "truc_tuyen_mot_phan": "Trực tuyến một phần", "buu_chinh": "Bưu chính"}
OUTCOMES = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
TICKET_STATES = {"waiting": "Đang chờ", "called": "Đã gọi", "serving": "Đang phục vụ", "done": "Đã xong",
                 "no_show": "Vắng mặt"}


def dossier_state(code: str | None) -> str:
    return DOSSIER_STATES.get(code or "", "Đang giải quyết")
