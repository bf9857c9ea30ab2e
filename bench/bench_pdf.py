"""A4 paper → PDF, timed through the page an officer opens (``/dossiers/<code>/print/<paper>.pdf``,
Flask test client, real SQLite file, the real headless Chromium): the declaration (tờ khai) of a
birth registration and the Mẫu 01, on a quiet machine and with every core kept busy by spinning
processes (``os.cpu_count()`` of them, then twice as many), with the browser kept warm (``[web].pdf_warm = true``, the
default) and, for comparison, started per paper (``pdf_warm = false``, as before #18).

Target: ≤ 1.5 s per PDF on this machine even when busy.
Run: ``.venv/bin/python -m bench.bench_pdf [N]`` (N papers per row, default 30; prints figures,
never fails on time).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from bench.stats import percentiles


def _spin(stop) -> None:  # a CPU hog: one core at 100 % until told to stop
    while not stop.is_set():
        for _ in range(100_000):
            pass


class Load:
    """``n`` spinning processes for the ``with`` block."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.stop = multiprocessing.Event()
        self.procs: list[multiprocessing.Process] = []

    def __enter__(self) -> Load:
        self.procs = [multiprocessing.Process(target=_spin, args=(self.stop,), daemon=True) for _ in range(self.n)]
        for p in self.procs:
            p.start()
        time.sleep(1.0)                # let the spinners take the cores before the first sample
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.kill()


def timed(client, headers, url: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url, headers=headers)
        out.append(time.perf_counter() - t0)
        assert response.status_code == 200 and response.data[:5] == b"%PDF-", response.get_data(as_text=True)[:300]
    return out


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 30
    from appliance import config, demo
    from appliance.catalog.loader import load_catalog
    from appliance.domain.dossier_samples import sample_values
    from appliance.runtime import Appliance
    from appliance.services import accounts
    from appliance.web import create_app
    from appliance.web.dossiers import pdf

    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        settings = config.load(env={}, default_path=Path(tmp) / "none.toml",
                               overrides={"storage": {"path": str(Path(tmp) / "motcua.db")},
                                          "office": {"name": "UBND xã Gia Lâm"}})
        appliance = Appliance(settings)
        demo.seed(appliance)
        with appliance.units() as tx:
            token = accounts.add_token(tx, "bench", "officer")
        headers = {"Authorization": f"Bearer {token}"}
        client = create_app(appliance, {"TESTING": True}).test_client()
        today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
        codes = {}
        for procedure in ("1.001193", "1.004873"):
            draft = str(uuid.uuid4())
            client.put(f"/api/v1/drafts/{draft}", headers=headers, json={
                "counter_id": 1, "procedure": procedure, "values": sample_values(catalog.get(procedure), today)})
            codes[procedure] = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=headers).json["code"]
        urls = {"tờ khai (khai sinh)": f"/dossiers/{codes['1.001193']}/print/to-khai.pdf",
                "Mẫu 01": f"/dossiers/{codes['1.004873']}/print/mau-01.pdf"}
        cores = os.cpu_count() or 2
        print(f"PDF benchmark: {n} papers per row on {cores} cores; load average before: "
              f"{os.getloadavg()[0]:.1f}")

        t0 = time.perf_counter()
        assert pdf.warm_up()
        print(f"{'browser start (warm_up, once)':<44} {1000 * (time.perf_counter() - t0):.0f} ms")
        def word(load: int) -> str:
            return "quiet" if not load else f"{load} spinners"
        for load in (0, cores, 2 * cores):
            with Load(load) if load else _Nothing():
                for name, url in urls.items():
                    label = f"warm, {word(load)}, {name}"
                    print(f"{label:<44} {percentiles(timed(client, headers, url, n))}", flush=True)
        appliance.apply_settings(appliance.settings.replace(web={"pdf_warm": False}))
        cold_n = max(3, n // 6)
        for load in (0, 2 * cores):
            with Load(load) if load else _Nothing():
                url = urls["tờ khai (khai sinh)"]
                label = f"per-paper browser, {word(load)}, tờ khai"
                print(f"{label:<44} {percentiles(timed(client, headers, url, cold_n))}", flush=True)
        pdf.shutdown()
        appliance.stop()


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        return None


if __name__ == "__main__":
    main()
