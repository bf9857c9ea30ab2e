"""Running schemathesis (its command line, pinned in pyproject's test extra) over every operation of
an OpenAPI document against a real server, with a fixed seed: deterministic, a few examples per
operation so the whole run stays within a couple of minutes on a 2-core machine.

Checks: ``not_a_server_error`` (no 5xx) and ``response_schema_conformance`` (every answer matches
the documented schema of its status). Event streams (``…/events``) are left out: they never end,
and the SSE tests cover them.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import requests

MAX_EXAMPLES = int(os.environ.get("MOTCUA_SCHEMATHESIS_EXAMPLES", "6"))
SEED = 20261202
STREAMS = r".*/events$"


@dataclass
class Run:
    returncode: int
    output: str
    selected: int
    tested: int
    generated: int
    passed: int


def operations(schema_url: str) -> int:
    """The operations schemathesis must test: all but the streams and the document itself."""
    doc = requests.get(schema_url, timeout=30).json()
    return sum(1 for path, ops in doc["paths"].items()
               if not re.match(STREAMS, path) and not path.endswith("/openapi.json") for _ in ops)


def run(schema_url: str, tmp: Path, token: str | None = None, parameters: dict[str, str] | None = None,
        coverage: bool = True) -> Run:
    """``coverage``: also the coverage phase (boundary values: the largest integers, empty and long
    strings, missing fields), the slow part; without it, the explicit examples and random fuzzing."""
    config = tmp / "schemathesis.toml"
    lines = ["[phases.coverage]", "unexpected-methods = []", "[parameters]"]
    lines += [f'"{k}" = "{v}"' for k, v in (parameters or {}).items()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [str(exe), "--config-file", str(config), "run", schema_url,
           "--checks", "not_a_server_error,response_schema_conformance",
           "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--generation-deterministic",
           "--phases", "examples,coverage,fuzzing" if coverage else "examples,fuzzing", "--workers", "1",
           "--exclude-path-regex", STREAMS, "--request-timeout", "60", "--no-color"]
    if token:
        cmd += ["--header", f"Authorization: Bearer {token}"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, timeout=900,
                          env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "COLUMNS": "200"})
    out = done.stdout + done.stderr

    def number(pattern: str) -> int:
        m = re.search(pattern, out)
        return int(m.group(1)) if m else -1
    return Run(done.returncode, out, number(r"Selected:\s+(\d+)"), number(r"Tested:\s+(\d+)"),
               number(r"(\d+) generated"), number(r"generated, (\d+) passed"))


def assert_clean(result: Run, expected_operations: int) -> None:
    assert result.returncode == 0, result.output[-6000:]
    assert "Failures" not in result.output, result.output[-6000:]
    assert result.selected == result.tested == expected_operations, result.output[-3000:]
    assert result.generated > expected_operations and result.passed == result.generated, result.output[-3000:]
