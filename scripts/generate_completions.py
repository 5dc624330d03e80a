"""Regenerate completions/ (bash, zsh, fish, powershell) from `stconfig completion SHELL`.

    python scripts/generate_completions.py [--check] [--output-dir DIR]

`--check` writes nothing and exits 1 when a file differs (tests/test_completion.py does the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stconfig.cli.completion import SCRIPT_FILES, completion_script

COMPLETIONS_DIR = Path(__file__).resolve().parents[1] / "completions"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--output-dir", type=Path, default=COMPLETIONS_DIR)
    args = parser.parse_args(argv)
    stale = []
    for shell, name in SCRIPT_FILES.items():
        path = args.output_dir / name
        text = completion_script(shell)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            print(path)
    if args.check and stale:
        names = ", ".join(str(path) for path in stale)
        print(f"generate_completions: stale: {names} (run this script)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
