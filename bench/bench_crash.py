"""SIGKILL under load (issue 15): a writer process issues tickets, calls them and presses ratings
as fast as it can on the appliance's SQLite file (the queue engine itself, as the panel and the
buttons use it) and prints each acknowledged item; it is killed with SIGKILL at a random moment,
300 times over the same database. After each kill every acknowledged item must be in the file,
and ``PRAGMA integrity_check`` must say ok.

    .venv/bin/python -m bench.bench_crash [KILLS]
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

KILLS = 300


def writer(db: Path, out: int) -> None:
    """The child: open the appliance, then issue, call and rate for ever, one line per ack."""
    from appliance import config, demo
    from appliance.domain.errors import DomainError
    from appliance.runtime import Appliance
    s = config.load(env={}, default_path=Path("/nonexistent.toml"), overrides={"storage": {"path": str(db)}})
    a = Appliance(s)
    if a.db.conn().execute("SELECT count(*) FROM services").fetchone()[0] == 0:
        demo.seed(a)
    os.write(out, b"ready 0\n")
    i = 0
    while True:
        i += 1
        t = a.engine.issue(("HT", "CT", "XH")[i % 3]).ticket
        os.write(out, f"ticket {t.id}\n".encode())
        if i % 3 == 0:
            try:
                c = a.engine.call_next(1 + i % 3, finish_current=True)
                os.write(out, f"called {c.id}\n".encode())
                os.write(out, f"rating {a.engine.rate(1 + i % 3, 'satisfied')}\n".encode())
            except DomainError:
                pass



def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("MOTCUA_CLOCK_SYNCED", "1")
    import appliance.runtime  # noqa: F401  (imported before the forks)
    kills = int(argv[0]) if argv else KILLS
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "motcua.db"
        acked = {"ticket": set(), "called": set(), "rating": set()}
        lost = 0
        bad_checks = 0
        started = time.perf_counter()
        for k in range(kills):
            read_end, write_end = os.pipe()
            pid = os.fork()  # modules are imported once; the child opens the database itself
            if pid == 0:
                os.close(read_end)
                try:
                    writer(db, write_end)
                finally:
                    os._exit(1)
            os.close(write_end)
            lines = os.fdopen(read_end, "r")
            assert lines.readline().startswith("ready")
            target = rng.randint(1, 40)
            seen = 0
            for line in lines:
                kind, _, ident = line.strip().partition(" ")
                acked[kind].add(int(ident))
                seen += 1
                if seen >= target:
                    break
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            lines.close()
            conn = sqlite3.connect(db)
            tickets = {r[0] for r in conn.execute("SELECT id FROM tickets")}
            called = {r[0] for r in conn.execute("SELECT id FROM tickets WHERE called_ts IS NOT NULL")}
            ratings = {r[0] for r in conn.execute("SELECT id FROM ratings")}
            lost += len(acked["ticket"] - tickets) + len(acked["called"] - called) + len(acked["rating"] - ratings)
            if k % 50 == 49 or k == kills - 1:
                if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    bad_checks += 1
            conn.close()
        elapsed = time.perf_counter() - started
        total = sum(len(v) for v in acked.values())
        print(f"{kills} SIGKILLs in {elapsed:.0f} s; acknowledged before the kills: {len(acked['ticket'])} tickets, "
              f"{len(acked['called'])} calls, {len(acked['rating'])} ratings ({total} items)")
        print(f"acknowledged items lost: {lost} (target 0); integrity_check not ok: {bad_checks} of "
              f"{kills // 50 + (kills % 50 != 0)} checks (target 0)")


if __name__ == "__main__":
    main(sys.argv[1:])
