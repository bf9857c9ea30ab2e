"""What each audit-log action and dossier state is called, in Vietnamese and English: one table.

Actions are dotted ``object.verb`` codes, the same scheme whoever writes them: the panel, the
``motcua`` command line and the dossier service. Rows written before the panel used this scheme
(``user_created`` …) keep their label through :data:`LEGACY`. An unknown code is shown as it is.
"""
from __future__ import annotations

import re

from ...domain.dossiers import STATES

# action code -> (Vietnamese, English)
ACTIONS: dict[str, tuple[str, str]] = {
    # sign-in and devices
    "session.login": ("Đăng nhập", "Signed in"),
    "session.login_failed": ("Đăng nhập sai", "Failed sign-in"),
    "session.logout": ("Đăng xuất", "Signed out"),
    "device.enroll": ("Ghi danh thiết bị", "Device enrolled"),
    # first boot
    "setup.admin_created": ("Tạo tài khoản quản trị lần đầu", "First administrator created"),
    "setup.refused": ("Từ chối cài đặt lần đầu", "First setup refused"),
    "setup.office": ("Cài đặt lần đầu: thông tin cơ quan", "First setup: office details"),
    "setup.services": ("Cài đặt lần đầu: lĩnh vực và quầy", "First setup: services and counters"),
    "setup.devices": ("Cài đặt lần đầu: máy in và thẻ rung", "First setup: printer and pagers"),
    # paired screens
    "screen.approve": ("Duyệt ghép nối màn hình", "Screen pairing approved"),
    "screen.paired": ("Màn hình đã nhận quyền", "Screen paired"),
    "screen.refuse": ("Từ chối ghép nối màn hình", "Screen pairing refused"),
    "screen.rename": ("Đổi tên màn hình", "Screen renamed"),
    "screen.revoke": ("Thu hồi màn hình", "Screen revoked"),
    # users and access tokens
    "user.create": ("Tạo người dùng", "User created"),
    "user.activate": ("Mở lại người dùng", "User reactivated"),
    "user.deactivate": ("Khóa người dùng", "User deactivated"),
    "user.role": ("Đổi vai trò", "Role changed"),
    "user.password": ("Đổi mật khẩu", "Password changed"),
    "user.password_reset": ("Đặt lại mật khẩu", "Password reset"),
    "user.unlock": ("Mở khóa đăng nhập", "Login unlocked"),
    "token.create": ("Tạo mã truy cập", "Access token created"),
    "token.revoke": ("Thu hồi mã truy cập", "Access token revoked"),
    # the office
    "service.create": ("Tạo lĩnh vực", "Service created"),
    "service.update": ("Sửa lĩnh vực", "Service changed"),
    "service.save": ("Lưu lĩnh vực", "Service saved"),
    "counter.create": ("Tạo quầy", "Counter created"),
    "counter.update": ("Sửa quầy", "Counter changed"),
    "counter.save": ("Lưu quầy", "Counter saved"),
    "counter.delete": ("Xóa quầy", "Counter deleted"),
    "counter.open": ("Mở quầy", "Counter opened"),
    "counter.pause": ("Tạm nghỉ quầy", "Counter paused (on a break)"),
    "counter.close": ("Đóng quầy", "Counter closed"),
    "counter.undo": ("Hoàn tác ở quầy", "Undone at the counter"),
    "settings.update": ("Sửa cài đặt cơ quan", "Office settings changed"),
    "holidays.update": ("Sửa ngày nghỉ", "Holidays changed"),
    "backup.download": ("Tải bản sao lưu", "Backup downloaded"),
    # device tests
    "printer.test": ("In thử", "Test print"),
    "printer.reprint": ("In lại", "Reprint"),
    "pager.test": ("Rung thử thẻ", "Test page"),
    "pager.detach": ("Tách thẻ rung khỏi hồ sơ", "Pager detached from its dossier"),
    "pager.lost": ("Báo mất thẻ rung", "Pager reported lost"),
    "gpio.test_press": ("Bấm thử nút", "Test button press"),
    # dossiers
    "draft.create": ("Lưu bản nháp hồ sơ", "Dossier draft saved"),
    # chứng thực books
    "certification.record": ("Ghi sổ chứng thực", "Certification recorded"),
    "certification.view": ("Xem mục sổ chứng thực", "Certification entry viewed"),
    "certification.book": ("Xem, in sổ chứng thực", "Certification book viewed"),
    "certification.volume": ("Sang quyển sổ chứng thực mới", "New certification volume"),
    "dossier.create": ("Tiếp nhận hồ sơ", "Dossier received"),
    "dossier.submit_repeat": ("Nộp lại bản nháp đã nộp", "Draft submitted again"),
    "dossier.view": ("Xem hồ sơ", "Dossier viewed"),
    "dossier.list": ("Xem danh sách hồ sơ", "Dossier list viewed"),
    "dossier.processing": ("Chuyển giải quyết hồ sơ", "Dossier processing started"),
    "dossier.ready": ("Báo hồ sơ có kết quả", "Dossier marked ready"),
    "dossier.return": ("Trả kết quả hồ sơ", "Dossier result handed over"),
    "dossier.call": ("Gọi lại công dân có kết quả", "Citizen called again for a ready result"),
    "dossier.supplement": ("Yêu cầu bổ sung hồ sơ (Mẫu 02)", "Documents requested (form 02)"),
    "dossier.refuse": ("Từ chối hồ sơ (Mẫu 03)", "Dossier refused (form 03)"),
    "dossier.overdue": ("Xin lỗi và gia hạn (Mẫu 04)", "Apology and extension (form 04)"),
    "dossier.extend": ("Xin lỗi và gia hạn (Mẫu 04)", "Apology and extension (form 04)"),
    "dossier.stop": ("Dừng giải quyết hồ sơ (Mẫu 05)", "Dossier stopped (form 05)"),
    "dossier.withdraw": ("Công dân rút hồ sơ", "Dossier withdrawn by the citizen"),
    "dossier.province_code": ("Ghi mã hồ sơ của tỉnh", "Provincial dossier code recorded"),
    "dossier.handover": ("Bàn giao hồ sơ", "Dossier handed over"),
    "dossier.purge": ("Xóa dữ liệu cá nhân của hồ sơ", "Dossier personal data purged"),
    "privacy.purge": ("Xóa dữ liệu cá nhân quá hạn lưu", "Expired personal data purged"),
    "postal.handover": ("Bàn giao kết quả cho bưu điện", "Results handed over to the post"),
    "audio.voice_upload": ("Tải lên bộ giọng đọc ghi âm", "Recorded voice set uploaded"),
    "audio.voice_remove": ("Xóa bộ giọng đọc ghi âm", "Recorded voice set removed"),
    "sms.test": ("Gửi tin nhắn thử", "Test SMS sent"),
    "sms.purge": ("Xóa số điện thoại và nội dung tin nhắn cũ", "Old SMS phone numbers and texts purged"),
    # appointments
    "appointment.slots": ("Tạo khung giờ hẹn", "Appointment slots created"),
    "appointment.slot_delete": ("Xóa khung giờ hẹn", "Appointment slot removed"),
    "appointment.book": ("Đặt lịch hẹn", "Appointment booked"),
    "appointment.change": ("Đổi lịch hẹn", "Appointment moved"),
    "appointment.cancel": ("Hủy lịch hẹn", "Appointment cancelled"),
    "appointment.check_in": ("Nhận số theo lịch hẹn", "Appointment checked in"),
    "appointment.hub": ("Lịch hẹn từ máy chủ cấp trên", "Appointments from the hub"),
    "appointment.purge": ("Xóa số điện thoại lịch hẹn cũ", "Old appointment phone numbers purged"),
}

# Codes the panel wrote before the dotted scheme -> today's code.
LEGACY: dict[str, str] = {
    "login": "session.login", "login_failed": "session.login_failed", "logout": "session.logout",
    "password_changed": "user.password", "device_enrolled": "device.enroll",
    "service_created": "service.create", "service_updated": "service.update",
    "counter_created": "counter.create", "counter_updated": "counter.update", "counter_deleted": "counter.delete",
    "user_created": "user.create", "user_deactivated": "user.deactivate", "user_activated": "user.activate",
    "user_password_reset": "user.password_reset", "user_role_changed": "user.role",
    "token_created": "token.create", "token_revoked": "token.revoke", "settings_changed": "settings.update",
    "holidays_changed": "holidays.update", "printer_test": "printer.test", "printer_reprint": "printer.reprint",
    "pager_test": "pager.test", "gpio_test_press": "gpio.test_press", "backup_downloaded": "backup.download",
}

_STATE_CHANGE = re.compile(r"^(\w+) → (\w+)$")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def action_label(action: str, lang: str = "vi") -> str:
    """The action as the audit page names it; the raw code when it is not in the table."""
    pair = ACTIONS.get(LEGACY.get(action, action))
    return _pick(pair, lang) if pair else action


def state_label(state: str, lang: str = "vi") -> str:
    """A dossier state's name (``received`` → ``Đã tiếp nhận``); the raw code when unknown."""
    pair = STATES.get(state)
    return _pick(pair, lang) if pair else state


def detail_text(action: str, detail: str | None, lang: str = "vi") -> str:
    """The detail column: a dossier's ``received → processing`` with the states named."""
    if not detail:
        return ""
    match = _STATE_CHANGE.match(detail)
    if match and action.startswith("dossier.") and match.group(1) in STATES and match.group(2) in STATES:
        return f"{state_label(match.group(1), lang)} → {state_label(match.group(2), lang)}"
    return english_detail(detail) if lang == "en" else detail


def canonical(action: str) -> str:
    """Today's code for ``action`` (an older panel code becomes its dotted twin)."""
    return LEGACY.get(action, action)


def spellings(action: str) -> tuple[str, ...]:
    """``action`` and every older code that meant the same, for filtering the log."""
    code = canonical(action)
    return (code, *sorted(old for old, new in LEGACY.items() if new == code))


# The object column: ``kind:id`` as written by the services; the kind is named in the reader's language.
OBJECT_KINDS: dict[str, tuple[str, str]] = {
    "user": ("người dùng", "user"), "dossier": ("hồ sơ", "dossier"), "dossiers": ("danh sách hồ sơ", "dossier list"),
    "screen": ("màn hình", "screen"), "token": ("mã truy cập", "token"), "counter": ("quầy", "counter"),
    "service": ("lĩnh vực", "service"), "cert": ("dòng chứng thực", "certification line"),
    "book": ("sổ chứng thực", "certification book"), "pager": ("thẻ rung", "pager"), "draft": ("bản nháp", "draft"),
    "ticket": ("số", "ticket"), "holiday": ("ngày nghỉ", "holiday"), "settings": ("cài đặt", "settings"),
    "appointment": ("lịch hẹn", "appointment"), "appointments": ("lịch hẹn", "appointments"),
    "slot": ("khung giờ hẹn", "appointment slot"),
}

# Words of the details the services write in Vietnamese ("tìm theo: tên; trạng thái: tất cả; …"),
# longest first, so the English log reads in English; what is not in the table (a name, a code) stays.
DETAIL_WORDS: list[tuple[str, str]] = sorted([
    ("tìm theo", "search by"), ("trạng thái", "state"), ("thủ tục", "procedure"), ("quá hạn", "overdue"),
    ("kết quả", "results"), ("tất cả", "all"), ("không", "none"), ("mã hồ sơ", "dossier code"), ("tên", "name"),
    ("số", "number"), ("có", "yes"), ("kênh", "channel"), ("bản nháp", "draft"), ("quầy", "counter"),
    ("đang nhận số", "taking tickets"), ("tạm ngừng", "paused"), ("thẻ rung", "pager"), ("lý do", "reason"),
    ("tách khỏi hồ sơ", "detached from dossier"), ("báo mất", "reported lost"),
    # the counter desk, "Gọi lại công dân", the postal list, a reprint, the appointments (details since 12/2026)
    ("mở quầy", "counter opened"), ("tạm nghỉ", "paused"), ("đóng quầy", "counter closed"),
    ("trả về hàng chờ chung", "back to the common queue"), ("hoàn tác", "undone"),
    ("gọi lại bằng thẻ rung", "called again by pager"),
    ("gọi lại trên màn hình sảnh", "called again on the hall display"),
    ("hồ sơ", "dossier(s)"), ("in lại", "reprint"), ("khung giờ trả lại", "slots handed back"),
    ("lịch đặt qua trang công khai", "bookings from the public page"),
    ("vai trò", "role"), ("truc_tiep", "in person"), ("truc_tuyen", "online"), ("buu_chinh", "by post"),
    ("khung giờ", "slots"), ("người", "people"), ("đặt qua trang công khai", "booked on the public page"),
    ("đến trễ", "late"), ("số thường", "a walk-in ticket"), ("lịch", "bookings"), ("hủy", "cancelled"),
    ("trả lại", "handed back"), ("số điện thoại lịch hẹn", "appointment phone numbers"),
], key=lambda pair: -len(pair[0]))
_DETAIL_WORD = re.compile(r"(?<![\w])(" + "|".join(re.escape(vi) for vi, _en in DETAIL_WORDS) + r")(?![\w])")


def object_text(obj: str | None, lang: str = "vi") -> str:
    """``dossier:000.00.00.H00-…`` → ``hồ sơ 000.00.00.H00-…`` (``dossier …`` in English)."""
    if not obj:
        return ""
    kind, sep, rest = obj.partition(":")
    pair = OBJECT_KINDS.get(kind)
    if pair is None:
        return obj
    return f"{_pick(pair, lang)} {rest}".strip() if sep else _pick(pair, lang)


def english_detail(detail: str) -> str:
    """A detail the services wrote in Vietnamese, its known words in English."""
    words = dict(DETAIL_WORDS)
    return _DETAIL_WORD.sub(lambda m: words[m.group(1)], detail)
