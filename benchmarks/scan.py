"""Whole-process time of `stconfig scan --json` over a generated monorepo of 10,000 files.

    python benchmarks/scan.py [--runs N] [--files N] [--json]

The tree holds apps (entry scripts with pages, modules and their `.streamlit/config.toml`), a
Procfile, a Makefile and Dockerfiles starting some of them, plain source and data files, and
decoys that must not be entered: a `.venv`, a virtualenv under another name, `node_modules` and
`build/` full of `app.py` files that import streamlit. The goal (issue 12) is a median under 2 s;
`stconfig --version` is measured too, the start of the CLI alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
GOAL_SECONDS = 2.0
ST = "import streamlit as st\n"
PAD = "# " + "x" * 70 + "\n"


def _put(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def generate(root: Path, total: int) -> int:
    """Write a tree of `total` files under `root`; return the number of apps in it (app1 counts
    twice: its Dockerfile starts it in its directory, the Makefile from the root)."""
    written = 0

    def put(path: Path, text: str) -> None:
        nonlocal written
        _put(path, text)
        written += 1

    apps = 0
    decoys = total // 4  # a quarter of the files sit where no app may be found
    per_decoy = decoys // 4
    for index in range(per_decoy):
        put(root / f".venv/lib/python3.12/site-packages/pkg{index // 50}/app{index}.py", ST)
        put(root / f"tools/py312/lib/site/pkg{index // 50}/streamlit_app{index}.py", ST)
        put(root / f"web/node_modules/mod{index // 50}/app{index}.py", ST)
        put(root / f"build/lib{index // 50}/main{index}.py", ST)
    put(root / "tools/py312/pyvenv.cfg", "home = /usr/bin\n")
    put(root / "Procfile", "web: cd apps/app0 && streamlit run streamlit_app.py\n")
    put(root / "Makefile", "run:\n\tstreamlit run apps/app1/streamlit_app.py\n")
    while written < total:
        app = root / "apps" / f"app{apps}"
        apps += 1
        put(app / "streamlit_app.py", ST + "from lib.util0 import helper\n" + PAD * 20)
        enforced = "true" if apps % 2 else "false"
        put(
            app / ".streamlit/config.toml",
            f"[runner]\nenforceSerializableSessionState = {enforced}\n",
        )
        put(app / "Dockerfile", 'WORKDIR /app\nCMD ["streamlit", "run", "streamlit_app.py"]\n')
        for page in range(5):
            put(app / "pages" / f"{page}_page.py", ST + "from lib.app import chart\n" + PAD * 10)
        put(app / "lib/app.py", ST + "def chart(): ...\n")
        for module in range(40):
            if written >= total:
                break
            put(app / "lib" / f"util{module}.py", "def helper(): ...\n" + PAD * 30)
        for data in range(40):
            if written >= total:
                break
            put(app / "data" / f"table{data}.csv", "a,b\n1,2\n")
    return apps + 1


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    stconfig = str(BIN / "stconfig")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "monorepo"
        home = Path(temp) / "home"
        home.mkdir()
        apps = generate(root, args.files)
        files = sum(len(names) for _, _, names in os.walk(root))
        env = {**os.environ, "HOME": str(home)}
        scan_times, start_times = [], []
        found = errors = 0
        for _ in range(args.runs):
            seconds, out = _timed([stconfig, "scan", str(root), "--json"], env)
            scan_times.append(seconds)
            found = len(json.loads(out)["apps"])
            errors = sum(bool(app["errors"]) for app in json.loads(out)["apps"])
            start_times.append(_timed([stconfig, "--version"], env)[0])
    result = {
        "files": files,
        "apps_generated": apps,
        "apps_found": found,
        "apps_with_errors": errors,
        "runs": args.runs,
        "scan_median_seconds": round(statistics.median(scan_times), 3),
        "cli_start_median_seconds": round(statistics.median(start_times), 3),
        "goal_seconds": GOAL_SECONDS,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"tree: {files} files, {apps} apps ({found} found)")
        print(
            f"stconfig scan --json  median {result['scan_median_seconds']:.3f} s ({args.runs} runs)"
        )
        print(f"stconfig --version    median {result['cli_start_median_seconds']:.3f} s")
        print(f"goal: under {GOAL_SECONDS:g} s")
    if found != apps or errors:
        print(
            f"error: found {found} apps ({errors} with errors), generated {apps}", file=sys.stderr
        )
        return 1
    return 0 if statistics.median(scan_times) < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
