"""Domain errors: a stable code, the offending field, and a message in Vietnamese (and English).

Views turn a :class:`DomainError` into JSON ``{"error": {"code", "message", "field"}}`` or a
flash message; the domain never formats HTTP. The class says what kind of refusal it is (a broken
rule, :class:`NotFound`, :class:`Conflict`, :class:`Unprocessable`, :class:`Unavailable`); the web
layer maps kinds to HTTP statuses (``appliance.web.errors.STATUS``).

A free-text parameter (``detail``, ``what``, ``action``) is given in both languages as a
``(vietnamese, english)`` pair, e.g.
``DomainError("invalid", "code", detail=("mã sai", "bad code"))``; ``message(lang)`` picks one.
A plain string is used for both languages (numbers, codes, names typed by the user).
"""
from __future__ import annotations

from typing import Any

from appliance.errors import MotcuaError

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_service": ("Không có lĩnh vực '{service}'.", "Unknown service '{service}'."),
    "service_inactive": ("Lĩnh vực '{service}' đang tạm ngừng nhận số.", "Service '{service}' is not taking tickets."),
    "unknown_counter": ("Không có quầy số {counter}.", "Unknown counter {counter}."),
    "counter_inactive": ("Quầy số {counter} đang đóng.", "Counter {counter} is closed."),
    "counter_not_serving": ("Quầy số {counter} không phục vụ lĩnh vực '{service}'.",
                            "Counter {counter} does not serve '{service}'."),
    "counter_busy": ("Quầy số {counter} đang gọi số {number}: hãy hoàn tất, đánh vắng mặt hoặc chuyển số này trước.",
                     "Counter {counter} is still on {number}: finish, mark absent or transfer it first."),
    "counter_idle": ("Quầy số {counter} không có số nào đang gọi.", "Counter {counter} has no current ticket."),
    "counter_paused": ("Quầy số {counter} đang tạm nghỉ: bấm \"Mở quầy\" trên máy tính của quầy trước khi gọi số.",
                       "Counter {counter} is on a break: press \"Open counter\" on its console before calling."),
    "counter_closed": ("Quầy số {counter} đã đóng: bấm \"Mở quầy\" trên máy tính của quầy trước khi gọi số.",
                       "Counter {counter} is closed: press \"Open counter\" on the counter's console before calling."),
    "counter_already": ("Quầy số {counter} đã ở trạng thái: {state}.", "Counter {counter} is already: {state}."),
    "counter_has_ticket": ("Số {number} còn ở quầy số {counter}: hãy xong (X), đánh vắng mặt (V) hoặc chuyển (C) "
                           "số này trước khi {action}.",
                           "Ticket {number} is still at counter {counter}: finish (X), mark absent (V) or "
                           "transfer (C) it before you {action}."),
    "counter_not_assigned": ("Bạn chưa được phân công làm việc ở quầy số {counter}; quản trị viên phân công ở "
                             "Quản trị → Quầy.",
                             "You are not assigned to counter {counter}; an administrator assigns officers in "
                             "Admin → Counters."),
    "nothing_to_undo": ("Quầy số {counter} không có thao tác nào để hoàn tác.",
                        "Counter {counter} has nothing to undo."),
    "undo_expired": ("Đã quá {seconds} giây: không hoàn tác được nữa.",
                     "More than {seconds} seconds have passed: it can no longer be undone."),
    "undo_stale": ("Không hoàn tác được: quầy số {counter} đã có thao tác khác sau đó.",
                   "Cannot undo: something else happened at counter {counter} since."),
    "stale_ticket": ("Số {number} không còn là số hiện tại của quầy {counter}; màn hình đã cũ, hãy tải lại.",
                     "Ticket {number} is no longer current at counter {counter}; reload."),
    "nobody_waiting": ("Không còn ai chờ ở các lĩnh vực của quầy số {counter}.",
                       "Nobody is waiting for counter {counter}'s services."),
    "too_many_recalls": ("Đã gọi lại số {number} {recalls} lần; hãy đánh dấu vắng mặt.",
                         "Ticket {number} was recalled {recalls} times; mark it absent."),
    "transfer_counter_closed": ("Quầy số {counter} đã đóng: không chuyển số {number} đến quầy này được; hãy chuyển "
                                "sang lĩnh vực hoặc một quầy đang mở.",
                                "Counter {counter} is closed: {number} cannot be sent there; transfer it to a "
                                "service or an open counter."),
    "transfer_to_itself": ("Không thể chuyển số {number} sang chính lĩnh vực và quầy đang phục vụ.",
                           "Cannot transfer {number} to the same service and counter."),
    "unknown_ticket": ("Không có số thứ tự mã {ticket}.", "Unknown ticket {ticket}."),
    "bad_state": ("Số {number} đang ở trạng thái '{state}', không thể {action}.",
                  "Ticket {number} is '{state}'; cannot {action}."),
    "pager_out_of_pool": ("Thẻ rung số {pager} không có trong bộ thẻ (1–{pool}).",
                          "Pager {pager} is not in the pool (1–{pool})."),
    "pager_busy": ("Thẻ rung số {pager} đang được dùng hoặc đã báo mất.", "Pager {pager} is in use or lost."),
    "pager_pool_empty": ("Đã hết thẻ rung trống.", "No free pager left."),
    "pager_held_by_dossier": ("Thẻ rung số {pager} đang gắn với hồ sơ {dossier} chưa trả kết quả: thẻ sẽ rung khi "
                              "hồ sơ có kết quả. Hãy để người nộp giữ thẻ, hoặc tách thẻ khỏi hồ sơ (hồ sơ sẽ "
                              "không còn báo bằng thẻ rung).",
                              "Pager {pager} belongs to dossier {dossier}, whose result is not handed over yet: it "
                              "buzzes when the result is ready. Let the applicant keep it, or detach it from the "
                              "dossier (the dossier will no longer page anyone)."),
    "pager_not_assigned": ("Thẻ rung số {pager} không được giao cho ai.", "Pager {pager} is not assigned."),
    "bad_rating": ("Mức đánh giá '{level}' không hợp lệ.", "Invalid rating level '{level}'."),
    "nothing_to_rate": ("Quầy số {counter} chưa phục vụ ai để đánh giá.",
                        "Counter {counter} has served nobody to rate."),
    "already_rated": ("Lượt phục vụ này đã được đánh giá; cảm ơn ông/bà.",
                      "This service has already been rated; thank you."),
    "rating_not_here": ("Số này không được phục vụ tại quầy {counter}: không đánh giá ở đây được.",
                        "This ticket was not served at counter {counter}: it cannot be rated here."),
    "csrf": ("Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF): hãy tải lại trang rồi thử lại.",
             "Missing or invalid CSRF token: reload the page and try again."),
    "invalid": ("Giá trị không hợp lệ: {detail}", "Invalid value: {detail}"),
    "required": ("Thiếu trường bắt buộc '{name}'.", "Missing required field '{name}'."),
    "duplicate": ("'{value}' đã tồn tại.", "'{value}' already exists."),
    "not_found": ("Không tìm thấy {what}.", "{what} not found."),
    "code_approved": ("Mã {shown} đã được duyệt; màn hình đang tự nhận quyền, hãy đợi vài giây.",
                      "Code {shown} is already approved; the screen is collecting its access, wait a few seconds."),
    "not_office_network": ("Chỉ máy trong mạng nội bộ của cơ quan mới được cài đặt lần đầu (địa chỉ {address} "
                           "không phải mạng nội bộ).",
                           "Only a computer on the office network may run the first setup ({address} is not a "
                           "LAN address)."),
    "bad_setup_code": ("Mã cài đặt không đúng. Mã gồm 8 ký tự, in trên phiếu khởi động và hiện trên tivi sảnh.",
                       "Wrong setup code. It has 8 characters, printed on the boot slip and shown on the hall TV."),
    "already_set_up": ("Thiết bị đã có tài khoản quản trị; hãy đăng nhập.",
                       "This appliance already has an administrator; log in."),
    "too_many_setup_attempts": ("Nhập sai mã cài đặt quá nhiều lần; hãy thử lại sau {minutes} phút.",
                                "Too many wrong setup codes; try again in {minutes} minutes."),
    "too_many_codes": ("Màn hình này đã xin quá nhiều mã ghép nối; hãy đợi {minutes} phút rồi tải lại trang.",
                       "This screen asked for too many pairing codes; wait {minutes} minutes and reload."),
    "unknown_slot": ("Không có khung giờ hẹn số {slot}.", "Unknown appointment slot {slot}."),
    "unknown_appointment": ("Không tìm thấy lịch hẹn '{ref}'. Kiểm tra lại mã 6 chữ số hoặc số điện thoại.",
                            "No appointment '{ref}'. Check the 6-digit code or the phone number."),
    "slot_not_owned": ("Khung giờ này do {owner} nhận đặt, không đặt ở đây được.",
                       "This slot is booked by {owner}, not here."),
    "slot_past": ("Khung giờ này đã qua.", "This slot has passed."),
    "slot_not_today": ("Máy lấy số chỉ đặt hẹn cho các giờ còn lại hôm nay.",
                       "The kiosk books only the rest of today."),
    "slot_full": ("Khung giờ này đã đủ người đặt; hãy chọn giờ khác.", "This slot is full; choose another time."),
    "slot_has_bookings": ("Khung giờ này đã có {count} người đặt: hãy hủy hoặc đổi lịch của họ trước.",
                          "This slot has {count} bookings: cancel or move them first."),
    "slot_outside_hours": ("Khung giờ {at} nằm ngoài giờ làm việc (ngày nghỉ, giờ nghỉ trưa hoặc sau giờ làm).",
                           "The slot at {at} is outside working hours (a day off, lunch or after closing)."),
    "appointment_other_day": ("Lịch hẹn này vào {at} ngày {day}, chưa phải hôm nay.",
                              "This appointment is at {at} on {day}, not today."),
    "appointment_passed": ("Lịch hẹn này đã qua (ngày {day}); hãy lấy số thường hoặc đặt lịch mới.",
                           "This appointment has passed ({day}); take a normal ticket or book again."),
    "appointment_closed": ("Lịch hẹn {ref} đã {state}.", "Appointment {ref} is already {state}."),
    "phone_required": ("Cần số điện thoại di động của người đặt (ví dụ 0912345678).",
                       "A mobile phone number is needed (e.g. 0912345678)."),
    "several_appointments": ("Số điện thoại này có {count} lịch hẹn hôm nay; hãy nhập mã lịch hẹn.",
                             "This phone has {count} appointments today; enter the appointment code."),
    "unknown_print_job": ("Không có việc in '{job}' trong nhật ký máy in (GET /api/v1/printer/jobs liệt kê các việc "
                          "còn giữ).", "No print job '{job}' in the printer's journal (GET /api/v1/printer/jobs "
                          "lists those kept)."),
    "no_printer": ("Chưa cấu hình máy in ([printer].url trong tệp cấu hình).",
                   "No printer is configured ([printer].url in the configuration file)."),
}

STATE_NAMES = {
    "waiting": ("đang chờ", "waiting"), "called": ("đang gọi", "called"),
    "serving": ("đang phục vụ", "serving"), "done": ("đã xong", "done"),
    "no_show": ("vắng mặt", "absent"),
    "booked": ("được đặt", "booked"), "checked_in": ("được nhận số", "checked in"),
    "late": ("đến trễ, lấy số thường", "late, given a walk-in ticket"), "cancelled": ("bị hủy", "cancelled"),
}


def _pick(value: Any, lang: str) -> Any:
    """The ``lang`` half of a ``(vietnamese, english)`` pair; any other value as it is."""
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return value[1] if lang == "en" else value[0]
    return value


class DomainError(MotcuaError):
    """A rule was broken (the input is not acceptable); nothing was changed."""

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def message(self, lang: str = "vi") -> str:
        vi, en = MESSAGES.get(self.code, ("Lỗi: {code}", "Error: {code}"))
        template = en if lang == "en" else vi
        params = {k: _pick(v, lang) for k, v in self.params.items()}
        if "state" in params and params["state"] in STATE_NAMES:
            params["state"] = STATE_NAMES[params["state"]][1 if lang == "en" else 0]
        try:
            return template.format(code=self.code, **params)
        except (KeyError, IndexError):
            return template

    def __str__(self) -> str:
        return self.message("vi")

    def as_json(self, lang: str = "vi") -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message(lang), "field": self.field}}


class NotFound(DomainError):
    """What the command names does not exist (a counter, a ticket, a dossier, …)."""


class Conflict(DomainError):
    """The command is valid but the current state forbids it (a busy counter, a closed dossier, …)."""


class Unprocessable(DomainError):
    """The request is readable but its content breaks the rules (a form's fields, an unknown procedure)."""


class NotAllowed(DomainError):
    """Not from here, or not by this way (the first setup from outside the office network)."""


class TooManyRequests(DomainError):
    """Asked too often (pairing codes, setup code attempts): wait, then try again."""


class Unavailable(DomainError):
    """Data the rule needs (the catalog, the office calendar) cannot be used right now."""
