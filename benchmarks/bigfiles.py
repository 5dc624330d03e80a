"""How stconfig's cost grows with the size of a config file: `check`, `show --json` and `set` on
generated files of 1, 4 and 16 MB (about 10,000 sections per MB, each with a known and an
unknown key and a comment), as whole processes.

    python benchmarks/bigfiles.py [--sizes 1 4 16] [--runs 3] [--json]

Real config files are a few KB; what this guards is the shape of the curve: the cost must grow
linearly with the file, so the 16 MB / 1 MB ratio of a command should be about 16 (less, by the
fixed start-up cost), and a super-linear step (a search per key over all keys, a line count
from the start of the text per key) shows as a much larger one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MB = 1_000_000
COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "show --json": ["show", "--json"],
    "set": ["set", "server.headless", "true", "-q"],
}


def big_config(megabytes: int) -> str:
    """About `megabytes` MB of valid TOML: [server] first, then numbered sections."""
    parts = ["[server]\nport = 8501\n\n"]
    size, i = len(parts[0]), 0
    while size < megabytes * MB:
        chunk = (
            f'[section{i}]\nheadless = true\nsomeKey{i} = "a value of some length"\n'
            "# a comment line\n\n"
        )
        parts.append(chunk)
        size += len(chunk)
        i += 1
    return "".join(parts)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[float, float]:
    """(wall, CPU) seconds of one run: on a shared machine the CPU time is the steadier one."""
    start, cpu = time.perf_counter(), _cpu()
    result = subprocess.run(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout
    )
    elapsed, used = time.perf_counter() - start, _cpu() - cpu
    if result.returncode not in (0, 1):  # check exits 1: the file has unknown keys
        raise SystemExit(f"{argv} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed, used


Medians = dict[str, dict[int, float]]  # command -> size in MB -> median seconds


def measure(sizes: list[int], runs: int, timeout: float) -> tuple[Medians, Medians]:
    """Median wall and CPU seconds per command and size; each run gets the file as generated."""
    medians: Medians = {name: {} for name in COMMANDS}
    cpu_medians: Medians = {name: {} for name in COMMANDS}
    with tempfile.TemporaryDirectory(prefix="stconfig-bigfiles-") as tmp:
        root = Path(tmp)
        home = root / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
        env = {k: v for k, v in env.items() if not k.startswith("STREAMLIT_")}
        for size in sizes:
            project = root / f"p{size}"
            config = project / ".streamlit" / "config.toml"
            config.parent.mkdir(parents=True)
            original = root / f"{size}.toml"
            original.write_text(big_config(size))
            for name, args in COMMANDS.items():
                times, cpus = [], []
                for _ in range(runs):
                    shutil.copyfile(original, config)
                    argv = [sys.executable, "-m", "stconfig", *args]
                    wall, cpu = _time(argv, project, env, timeout)
                    times.append(wall)
                    cpus.append(cpu)
                medians[name][size] = statistics.median(times)
                cpu_medians[name][size] = statistics.median(cpus)
                print(
                    f"  {name:12} {size:3} MB  {medians[name][size]:7.2f} s wall  "
                    f"{cpu_medians[name][size]:7.2f} s CPU",
                    file=sys.stderr,
                )
    return medians, cpu_medians


def slope(points: dict[int, float]) -> float:
    """Least-squares seconds per MB."""
    xs, ys = list(points), list(points.values())
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16], metavar="MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    wall, cpu = measure(sizes, args.runs, args.timeout)
    small, large = sizes[0], sizes[-1]

    def summary(points: dict[int, float]) -> dict[str, Any]:
        return {
            "median_seconds": {str(size): round(t, 3) for size, t in points.items()},
            "seconds_per_mb": round(slope(points), 3) if len(points) > 1 else None,
            "ratio": round(points[large] / points[small], 2),
        }

    report = {name: {"wall": summary(wall[name]), "cpu": summary(cpu[name])} for name in COMMANDS}
    if args.json:
        print(json.dumps({"sizes_mb": sizes, "runs": args.runs, "commands": report}, indent=2))
        return
    header = "".join(f"{size:>8} MB" for size in sizes)
    print(f"{'command':18}{header}   s/MB   {large}MB/{small}MB (linear: ~{large // small})")
    for name, kinds in report.items():
        for kind, row in kinds.items():
            cells = "".join(f"{t:>9.2f}s" for t in row["median_seconds"].values())
            label = f"{name} ({kind})"
            print(f"{label:18}{cells}  {row['seconds_per_mb'] or 0:5.2f}   {row['ratio']:.1f}")


if __name__ == "__main__":
    main()
