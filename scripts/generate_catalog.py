"""Regenerate stconfig/catalog/data/streamlit-<version>.json from a Streamlit installation.

    python scripts/generate_catalog.py [--python PATH] [--output-dir DIR]

Runs stconfig/catalog/introspect.py with PATH (default: this interpreter) and writes the catalog of
the Streamlit it imports; a new Streamlit release is one `pip install -U streamlit` and this away.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stconfig.catalog.store import DATA_DIR, dumps, introspect
from stconfig.errors import ProbeError


def generate(python: Path, output_dir: Path) -> Path:
    data = introspect(python)
    path = output_dir / f"streamlit-{data['streamlit_version']}.json"
    output_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(data), encoding="utf-8", newline="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", type=Path, default=Path(sys.executable))
    parser.add_argument("--output-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    try:
        path = generate(args.python, args.output_dir)
    except ProbeError as exc:
        print(f"generate_catalog: error: {exc.message}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
