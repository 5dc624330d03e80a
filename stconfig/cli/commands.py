"""The full Typer app: importing each command module registers its commands on `app`."""

from stconfig.cli import (
    audit,  # noqa: F401
    check,  # noqa: F401
    completion,  # noqa: F401
    probe,  # noqa: F401
    read,  # noqa: F401
    write,  # noqa: F401
)
from stconfig.cli.app import app

__all__ = ["app"]
