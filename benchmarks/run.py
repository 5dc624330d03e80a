"""Whole-process timings of stconfig against `streamlit config show`, measured interleaved.

Run with the interpreter stconfig and Streamlit are installed in:

    python benchmarks/run.py [--runs N] [--json]

Every round runs each command once, in a fresh temporary project and HOME, so that machine
noise spreads over all of them alike; the report gives medians and each one's ratio to
`streamlit config show` measured in the same run.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
KEY = "runner.enforceSerializableSessionState"

TYPICAL_CONFIG = """\
# Team config: enforcement catches unpicklable Session State before we deploy.
[server]
headless = true
port = 8502  # behind the proxy

[runner]
enforceSerializableSessionState = true
fastReruns = true

[theme]
base = "dark"
primaryColor = "#F63366"
"""


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    setup: Callable[[Path], None] | None = None  # runs before every timed run, not timed


def _large_config(lines: int) -> str:
    """A `streamlit config show`-style file: every key commented out, one live key at the end."""
    body = [f"# option{i} = {i}  # a long explanatory comment line" for i in range(lines - 8)]
    return "[server]\n" + "\n".join(body) + "\nport = 8502\n\n[runner]\nfastReruns = true\n"


def _cases(workdir: Path) -> list[Case]:
    stconfig = str(BIN / "stconfig")
    streamlit = str(BIN / "streamlit")
    project = workdir / "project"
    large = workdir / "large" / ".streamlit" / "config.toml"

    def reset_value(_: Path) -> None:
        (project / ".streamlit" / "config.toml").write_text(TYPICAL_CONFIG)

    def reset_large(_: Path) -> None:
        large.parent.mkdir(parents=True, exist_ok=True)
        large.write_text(_large_config(4000))

    cases = [
        Case("python -c pass", [sys.executable, "-c", "pass"]),
        Case("streamlit config show", [streamlit, "config", "show"]),
        Case(f"stconfig get {KEY}", [stconfig, "get", KEY]),
        Case("stconfig show --json", [stconfig, "show", "--json"]),
    ]
    if _has_command(stconfig, "set"):
        cases += [
            Case("stconfig set (no-op)", [stconfig, "set", KEY, "true"], reset_value),
            Case("stconfig set (change)", [stconfig, "set", KEY, "false"], reset_value),
            Case(
                "stconfig set (4,000-line file)",
                [stconfig, "set", "--file", str(large), "server.port", "9000"],
                reset_large,
            ),
            Case(
                "stconfig set (4,000-line file, no-op)",
                [stconfig, "set", "--file", str(large), "server.port", "8502"],
                reset_large,
            ),
        ]
    return cases


def _has_command(stconfig: str, name: str) -> bool:
    result = subprocess.run([stconfig, name, "--help"], capture_output=True, check=False)
    return result.returncode == 0


def measure(runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="stconfig-bench-") as tmp:
        workdir = Path(tmp)
        project = workdir / "project"
        home = workdir / "home"
        (project / ".streamlit").mkdir(parents=True)
        (home / ".streamlit").mkdir(parents=True)
        (project / ".streamlit" / "config.toml").write_text(TYPICAL_CONFIG)
        (home / ".streamlit" / "config.toml").write_text("[browser]\ngatherUsageStats = false\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
        env |= {"HOME": str(home), "NO_COLOR": "1"}
        # Users' interpreters cache bytecode; without it every run recompiles every module.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cases = _cases(workdir)
        times: dict[str, list[float]] = {case.name: [] for case in cases}
        for round_number in range(runs + 1):  # round 0 warms caches and is not counted
            for case in cases:
                if case.setup is not None:
                    case.setup(workdir)
                start = time.perf_counter()
                result = subprocess.run(
                    case.argv, cwd=project, env=env, capture_output=True, check=False
                )
                elapsed = time.perf_counter() - start
                if result.returncode != 0:
                    sys.exit(f"{case.name} failed: {result.stderr.decode(errors='replace')}")
                if round_number:
                    times[case.name].append(elapsed)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed rounds (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if shutil.which("stconfig", path=str(BIN)) is None:
        sys.exit(f"stconfig is not installed next to {sys.executable}")
    times = measure(args.runs)
    baseline = statistics.median(times["streamlit config show"])
    report = {
        name: {
            "median_ms": round(statistics.median(samples) * 1000, 1),
            "ratio_to_streamlit_config_show": round(statistics.median(samples) / baseline, 3),
        }
        for name, samples in times.items()
    }
    if args.json:
        print(json.dumps({"runs": args.runs, "results": report}, indent=2))
        return
    print(f"{'command':<52} {'median':>10} {'vs streamlit config show':>26}")
    for name, row in report.items():
        print(
            f"{name:<52} {row['median_ms']:>8.1f}ms {row['ratio_to_streamlit_config_show']:>25.3f}x"
        )
    print(f"({args.runs} interleaved rounds; target for get/show: <= 0.200x)")


if __name__ == "__main__":
    main()
