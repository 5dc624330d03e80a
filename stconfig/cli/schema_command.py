"""`schema`: the JSON Schema of config.toml for the installed Streamlit, printed or written."""

from __future__ import annotations

import json
import os

from stconfig.cli.output import Messages, emit
from stconfig.cli.spec import Options
from stconfig.errors import ConfigFileError, ExitCode, UsageError
from stconfig.resolve import catalog_warnings
from stconfig.schema import build


def run_schema(options: Options) -> int:
    if len(options.pythons) > 1:
        raise UsageError("schema describes one Streamlit: give --python once")
    catalog = options.context(options.pythons[0] if options.pythons else None).catalog()
    messages = Messages(options.quiet)
    for warning in catalog_warnings(catalog):
        messages.warn(warning)
    text = json.dumps(build(catalog), indent=2, ensure_ascii=False)
    output = options.output
    if output is None:
        emit(text)
        return ExitCode.OK
    if not output.parent.is_dir():
        raise ConfigFileError(output, f"cannot be written: no directory {str(output.parent)!r}")
    if output.is_dir():
        raise ConfigFileError(output, "is a directory")
    from stconfig.durable import write_atomically

    try:
        write_atomically(output, text + "\n")
    except OSError as error:
        raise ConfigFileError(output, f"cannot be written: {error.strerror or error}") from None
    # mkstemp makes the file private; a schema is for sharing: the umask's usual mode.
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(output, 0o666 & ~mask)
    messages.note(
        f"wrote the schema of Streamlit {catalog.streamlit_version or catalog.data_version}"
        f" options to {output}"
    )
    return ExitCode.OK
