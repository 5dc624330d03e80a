"""Whole-process time of `stconfig probe` next to its floor: a bare `streamlit run` of an empty app
with the same settings, started, asked for one run over its WebSocket and stopped, with nothing of
stconfig around it.

    python benchmarks/probe.py [--runs N] [--python PATH] [--json]

The floor runs stconfig's own driver (the smallest client that can trigger a run) directly, with
the flags the probe gives its server. A third figure splits the difference: the same driver that
also reads the config as the user's own start would (`--user-config`, what the probe asks of it),
so that probe minus that is stconfig's own part (its start-up, the read side, the temporary
directory). Runs rotate, in a fresh project each round; HOME is shared, so the per-version
catalog cache is warm as it is for a user after the first run. Target: probe at most 1.15 times
the floor (the median of each round's ratio).
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

from stconfig.probe.enforcement import server_settings

BIN = Path(sys.executable).parent
DRIVER = Path(__file__).resolve().parents[1] / "stconfig" / "probe" / "driver.py"
TARGET_RATIO = 1.15


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _driver_argv(python: str, app: Path, *, user_config: bool) -> list[str]:
    port = _free_port()
    overrides = [f"--override={key}={value}" for key, value in server_settings(port).items()]
    reads = ["--user-config"] if user_config else []
    head = [python, str(DRIVER), f"--port={port}", "--timeout=30"]
    return [*head, *reads, *overrides, "--", str(app)]


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

    times: dict[str, list[float]] = {"floor": [], "driver_config": [], "probe": []}
    home = Path(tempfile.mkdtemp(prefix="stconfig-bench-home-"))
    for round_ in range(args.runs):
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
            runs = {
                "floor": (_driver_argv(args.python, app, user_config=False), '"status": "ok"'),
                "driver_config": (
                    _driver_argv(args.python, app, user_config=True),
                    '"user_start_error": null',
                ),
                "probe": (
                    [str(BIN / "stconfig"), "probe", "--json", "--python", args.python],
                    '"enforced": true',
                ),
            }
            # Rotated, so that no figure always runs right after the same other one.
            names = list(runs)
            for name in names[round_ % 3 :] + names[: round_ % 3]:
                argv, success = runs[name]
                times[name].append(_timed(argv, project, env, success))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)

    median = {name: statistics.median(values) for name, values in times.items()}
    # Round by round, as the machine's speed drifts less within a round than across the run.
    ratio = statistics.median(p / f for p, f in zip(times["probe"], times["floor"], strict=True))
    report = {
        "python": args.python,
        "runs": args.runs,
        "floor_median_s": round(median["floor"], 3),
        "driver_config_median_s": round(median["driver_config"], 3),
        "probe_median_s": round(median["probe"], 3),
        "probe_over_floor_s": round(median["probe"] - median["floor"], 3),
        "ratio": round(ratio, 3),  # the median of each round's probe / floor
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        floor = median["floor"]
        print(f"target interpreter    {args.python} ({args.runs} runs each, rotated)")
        print(f"floor (bare run)      median {floor:.3f} s")
        config = median["driver_config"]
        print(f"+ the config read     median {config:.3f} s  (+{config - floor:.3f} s)")
        probe = median["probe"]
        print(f"stconfig probe        median {probe:.3f} s  (+{probe - floor:.3f} s)")
        verdict = "meets" if report["meets_target"] else "MISSES"
        print(f"ratio {ratio:.3f} (median of rounds)  {verdict} the target of {TARGET_RATIO}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
