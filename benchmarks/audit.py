"""Whole-process time of `stconfig audit` and `stconfig audit --explore` on a small app, next to
the floor: a bare AppTest run of the same app (`AppTest.from_file(app).run()` in a fresh
interpreter), with nothing of stconfig around it; and `stconfig --version`, the start of the CLI
alone, which explains most of the difference.

    python benchmarks/audit.py [--runs N] [--python PATH] [--json]

The app is tests/apps/audit/clean/app.py (a button, a checkbox, a radio, a selectbox, a form and
a chat input; every value pickles). Runs alternate, each in a fresh copy of the app. The cost per
explored interaction is (explore median - audit median) / (explore runs - audit runs), the runs
counted by the audit's own JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
APP = Path(__file__).resolve().parents[1] / "tests" / "apps" / "audit" / "clean"
FLOOR = (
    "import os, sys\nfrom streamlit.testing.v1 import AppTest\n"
    "AppTest.from_file(os.path.abspath(sys.argv[1])).run()\n"
)


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Seconds for the whole process, and what it printed; it must exit 0."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmark run failed: {' '.join(argv)}\n{done.stdout}{done.stderr}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--python", default=sys.executable, help="the target interpreter")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    times: dict[str, list[float]] = {"floor": [], "cli": [], "audit": [], "explore": []}
    script_runs: dict[str, int] = {}
    stconfig = [str(BIN / "stconfig"), "audit", "--json", "--python", args.python, "app.py"]
    for _ in range(args.runs):
        workdir = Path(tempfile.mkdtemp(prefix="stconfig-bench-audit-"))
        try:
            shutil.copytree(APP, workdir, dirs_exist_ok=True)
            env = {**os.environ, "HOME": str(workdir)}
            floor, _ = _timed([args.python, "-c", FLOOR, "app.py"], workdir, env)
            times["floor"].append(floor)
            times["cli"].append(_timed([str(BIN / "stconfig"), "--version"], workdir, env)[0])
            for name, extra in (("audit", []), ("explore", ["--explore"])):
                seconds, stdout = _timed([*stconfig, *extra], workdir, env)
                times[name].append(seconds)
                script_runs[name] = json.loads(stdout)["runs"]
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in times.items()}
    extra_runs = script_runs["explore"] - script_runs["audit"]
    per_interaction = (medians["explore"] - medians["audit"]) / extra_runs
    report = {
        "python": args.python,
        "rounds": args.runs,
        "floor_median_s": round(medians["floor"], 3),
        "cli_start_median_s": round(medians["cli"], 3),
        "audit_median_s": round(medians["audit"], 3),
        "explore_median_s": round(medians["explore"], 3),
        "audit_runs": script_runs["audit"],
        "explore_runs": script_runs["explore"],
        "audit_over_floor_s": round(medians["audit"] - medians["floor"], 3),
        "per_explored_run_s": round(per_interaction, 3),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"target interpreter        {args.python} ({args.runs} rounds, interleaved)")
    print(f"floor (bare AppTest run)  median {medians['floor']:.3f} s  (1 run)")
    print(f"stconfig --version        median {medians['cli']:.3f} s  (the CLI's start alone)")
    print(
        f"stconfig audit            median {medians['audit']:.3f} s  ({script_runs['audit']} run,"
        f" +{medians['audit'] - medians['floor']:.3f} s over the floor)"
    )
    print(
        f"stconfig audit --explore  median {medians['explore']:.3f} s  "
        f"({script_runs['explore']} runs)"
    )
    print(f"per explored run          {per_interaction * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
