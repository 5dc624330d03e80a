"""Whole-process time of `stconfig probe` next to the floor: a bare `streamlit run` of an empty
app started, asked for one run over its WebSocket and stopped, with nothing of stconfig around it.

    python benchmarks/probe.py [--runs N] [--python PATH] [--json]

The floor runs stconfig's own driver (the smallest client that can trigger a run) directly, with
only the flags any headless start needs. Runs alternate, in a fresh project each round; HOME is
shared, so the per-version catalog cache is warm as it is for a user after the first run.
Target: probe median at most 1.3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DRIVER = Path(__file__).resolve().parents[1] / "stconfig" / "probe" / "driver.py"
TARGET_SECONDS = 1.3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _floor_argv(python: str, app: Path) -> list[str]:
    port = _free_port()
    return [
        python,
        str(DRIVER),
        f"--port={port}",
        "--timeout=30",
        "--",
        str(app),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
    ]


def _timed(argv: list[str], cwd: Path, env: dict[str, str], success: str) -> float:
    """Seconds for the whole process; `success` must appear in its stdout."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or success not in done.stdout:
        raise SystemExit(f"benchmark run failed: {' '.join(argv)}\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable, help="the target interpreter")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    times: dict[str, list[float]] = {"floor": [], "probe": []}
    home = Path(tempfile.mkdtemp(prefix="stconfig-bench-home-"))
    for _ in range(args.runs):
        workdir = Path(tempfile.mkdtemp(prefix="stconfig-bench-"))
        try:
            project = workdir / "project"
            (project / ".streamlit").mkdir(parents=True)
            (project / ".streamlit" / "config.toml").write_text(
                "[runner]\nenforceSerializableSessionState = true\n"
            )
            app = workdir / "empty_app.py"
            app.write_text("")
            env = {**os.environ, "HOME": str(home)}
            probe = [str(BIN / "stconfig"), "probe", "--json", "--python", args.python]
            floor_argv = _floor_argv(args.python, app)
            times["floor"].append(_timed(floor_argv, project, env, '"status": "ok"'))
            times["probe"].append(_timed(probe, project, env, '"enforced": true'))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)

    floor = statistics.median(times["floor"])
    probe_median = statistics.median(times["probe"])
    report = {
        "python": args.python,
        "runs": args.runs,
        "floor_median_s": round(floor, 3),
        "probe_median_s": round(probe_median, 3),
        "probe_over_floor_s": round(probe_median - floor, 3),
        "target_s": TARGET_SECONDS,
        "meets_target": probe_median <= TARGET_SECONDS,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"target interpreter   {args.python} ({args.runs} runs each, interleaved)")
        print(f"floor (bare run)     median {floor:.3f} s")
        print(f"stconfig probe       median {probe_median:.3f} s  (+{probe_median - floor:.3f} s)")
        verdict = "meets" if report["meets_target"] else "MISSES"
        print(f"target {TARGET_SECONDS} s          {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
