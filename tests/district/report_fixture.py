"""A hand-computed report fixture: November 2025, two fields, eleven dossiers, five ballots.

Expected numbers (worked by hand, see the comments on each dossier):

HT: online 2 (#4, #9), in person/postal 2 (#5, #6), carried over 2 (#1, #2) -> received 6;
    early 1 (#1), on time 1 (#4), late 1 (#5) -> resolved 3; within 1 (#6), overdue 2 (#2, #9) -> 3;
    on-time rate 2/3 = 66.67 %; online rate 2/4 = 50 %.
CT: in person 2 (#10, #11) -> received 2; early 1 (#10), late 1 (#11, no outcome recorded,
    returned after due) -> resolved 2; pending 0; on-time 50 %; online 0 %.
Total: received 8 = 2 + 4 + 2; resolved 5 = 2 + 1 + 2; pending 3 = 1 + 2; on-time 60 %; online 33.33 %.
Postal: HT received by post 1 (#6), registered 1 (#6), returned by post 0;
        CT 0, 1 (#10), 1 (#10); total 1, 2, 1.
Ballots: very satisfied 3, satisfied 1, unsatisfied 1 -> 60 / 20 / 0 / 20 / 0 %.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.district.conftest import VN


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=VN)


# (no, field, channel, received, due, returned, outcome, state, return_by_post, returned_by_post)
DOSSIERS = [
    (1, "HT", "truc_tiep", at(10, 28), at(11, 3), at(11, 2), "early", None, False, False),   # carried, early
    (2, "HT", "truc_tiep", at(10, 30), at(11, 5), None, None, "processing", False, None),    # carried, overdue
    (3, "HT", "truc_tiep", at(10, 10), at(10, 21), at(10, 20), "early", None, False, False),  # before period
    (4, "HT", "truc_tuyen_toan_trinh", at(11, 10), at(11, 10, 11), at(11, 10, 10), "on_time", None, False, False),
    (5, "HT", "truc_tiep", at(11, 12), at(11, 17), at(11, 20), "late", None, False, False),
    (6, "HT", "buu_chinh", at(11, 25), at(12, 3), None, None, "processing", True, None),     # within deadline
    (7, "HT", "truc_tiep", at(11, 15), at(11, 18), None, None, "refused", False, None),      # leaves the tables
    (8, "HT", "truc_tiep", at(12, 2), at(12, 5), None, None, "processing", False, None),     # after period
    (9, "HT", "truc_tuyen_mot_phan", at(11, 29), at(11, 30, 12), at(12, 2), "late", None, False, False),
    (10, "CT", "truc_tiep", at(11, 5), at(11, 5, 11), at(11, 5, 10), "early", None, True, True),
    (11, "CT", "truc_tiep", at(11, 6), at(11, 6, 10), at(11, 6, 11), None, None, False, False),
]
RATINGS = [("very_satisfied", "can_bo_lan"), ("very_satisfied", "can_bo_lan"), ("very_satisfied", "can_bo_minh"),
           ("satisfied", "can_bo_minh"), ("unsatisfied", None)]

FIELD_ROWS = {  # code: (received, online, direct_postal, carried, resolved, early, on_time, late, pending,
                #        within, overdue, on_time_rate, online_rate)
    "HT": (6, 2, 2, 2, 3, 1, 1, 1, 3, 1, 2, 66.67, 50.0),
    "CT": (2, 0, 2, 0, 2, 1, 0, 1, 0, 0, 0, 50.0, 0.0),
    "TONG": (8, 2, 4, 2, 5, 2, 1, 2, 3, 1, 2, 60.0, 33.33),
}
POSTAL_ROWS = {"HT": (1, 1, 0), "CT": (0, 1, 1), "TONG": (1, 2, 1)}
LEVEL_COUNTS = [3, 1, 0, 1, 0]
LEVEL_PERCENTS = [60.0, 20.0, 0.0, 20.0, 0.0]
START, END = at(11, 1, 0), at(12, 1, 0)


def code(no: int) -> str:
    return f"000.00.06.H56-2511{no:02d}-{no:04d}"


def as_events(first_seq: int = 1) -> list[dict]:
    """The fixture as appliance outbox events (synced clock), in time order."""
    from tests.district.conftest import event
    timeline = []
    for no, field, channel, received, due, returned, outcome, state, by_post, returned_by_post in DOSSIERS:
        timeline.append((received, "dossier.received", {"dossier": {
            "code": code(no), "procedure_code": "1.001193" if field == "HT" else "2.000815",
            "procedure_name": "Đăng ký khai sinh" if field == "HT" else "Chứng thực bản sao",
            "field_code": field, "channel": channel, "received_at": received.isoformat(),
            "due_at": due.isoformat(), "state": "received", "return_by_post": by_post,
            "applicant": {"name": "NGUYỄN VĂN BÍ MẬT", "id_number": "001099012345", "phone": "0912345678"}}}))
        if state:
            timeline.append((received + timedelta(minutes=1), "dossier.state", {
                "code": code(no), "state": state, "at": (received + timedelta(minutes=1)).isoformat(),
                "by": "can_bo_lan", "note": None}))
        if returned:
            payload = {"code": code(no), "at": returned.isoformat(),
                       "outcome": outcome or ("late" if returned > due else "on_time"),
                       "by_post": bool(returned_by_post)}
            timeline.append((returned, "dossier.returned", payload))
    for i, (level, officer) in enumerate(RATINGS):
        when = at(11, 10 + i)
        timeline.append((when, "rating.given", {"counter_id": 1, "ticket_id": i + 1, "level": level,
                                                "officer": officer, "at": when.isoformat()}))
    timeline.sort(key=lambda t: t[0])
    return [event(first_seq + i, kind, payload, when) for i, (when, kind, payload) in enumerate(timeline)]
