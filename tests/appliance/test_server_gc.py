"""The serving process hides what it built at start from the garbage collector (``gc.freeze``): a
full collection over the ~90,000 start-up objects held the interpreter for 40 ms with 200 event
streams open (bench_streams), delaying every stream and request behind it."""
from __future__ import annotations

import gc

from appliance.server import freeze_startup_objects


def test_start_up_objects_leave_the_collectors_sight():
    gc.unfreeze()
    kept = [object() for _ in range(10)] + [{"x": [i]} for i in range(1000)]
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() >= 1000
        seen = {id(o) for o in gc.get_objects()}      # what a collection walks
        assert not any(id(o) in seen for o in kept[10:])
    finally:
        gc.unfreeze()
