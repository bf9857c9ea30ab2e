"""Labels of the codes the appliances send (states, channels, outcomes), in Vietnamese and in English."""
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


# --- English (the pages' ?lang=en; Excel, CSV and the provincial export stay Vietnamese) -----------
DOSSIER_STATES_EN = {
    "draft": "Registered", "received": "Received", "processing": "Being processed",
    "in_progress": "Being processed", "supplement": "Documents to be added", "need_documents": "Documents to be added",
    "fee": "Waiting for the fee", "ready": "Result ready, please collect it",
    "resolved": "Result ready, please collect it",
    "returned": "Result returned", "refused": "Not accepted", "rejected": "Not accepted",
    "withdrawn": "Withdrawn", "cancelled": "Cancelled", "stopped": "Stopped",
    "supplement_requested": "Documents to be added",
}
CHANNELS_EN = {"truc_tiep": "In person", "truc_tuyen_toan_trinh": "Fully online",
               "truc_tuyen_mot_phan": "Partly online", "buu_chinh": "By post"}
OUTCOMES_EN = {"early": "Early", "on_time": "On time", "late": "Late"}
TICKET_STATES_EN = {"waiting": "Waiting", "called": "Called", "serving": "Being served", "done": "Done",
                    "no_show": "Absent"}
RATING_EN = {"Rất hài lòng": "Very satisfied", "Hài lòng": "Satisfied", "Bình thường": "Neutral",
             "Không hài lòng": "Unsatisfied", "Rất không hài lòng": "Very unsatisfied"}
_TABLES = {"state": (DOSSIER_STATES, DOSSIER_STATES_EN), "channel": (CHANNELS, CHANNELS_EN),
           "outcome": (OUTCOMES, OUTCOMES_EN), "ticket_state": (TICKET_STATES, TICKET_STATES_EN)}


def label(kind: str, code: str | None, lang: str = "vi") -> str:
    """The name of a code the appliances send (``state``, ``channel``, ``outcome``, ``ticket_state``)
    in ``lang``; a state it does not know reads "being processed", other codes as they are."""
    vi, en = _TABLES[kind]
    if kind == "state":
        return (DOSSIER_STATES_EN.get(code or "", "Being processed") if lang == "en" else dossier_state(code))
    return (en if lang == "en" else vi).get(code or "", code or "")

