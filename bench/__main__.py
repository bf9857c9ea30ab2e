"""`python -m bench [NAME ...]`: run every benchmark (or the named ones) and print their figures."""
from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import sys
import time
from datetime import datetime

import bench


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} · {os.cpu_count()} cores · {cpu} · Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in argv] or names
    print(f"# motcua benchmarks — {datetime.now().isoformat(timespec='minutes')}")
    print(f"# {machine()}")
    failed = 0
    for name in wanted:
        print(f"\n## {name}", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed += 1
            print(f"!! {name} failed: {exc!r}")
        print(f"({name}: {time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
