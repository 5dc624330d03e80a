"""The target interpreter: the Streamlit the probe and the audit run, and the oldest release
each of them can work with.
"""

from __future__ import annotations

from pathlib import Path

from stconfig.environment import StreamlitInstall, version_tuple
from stconfig.errors import ProbeError

# The first release with `runner.enforceSerializableSessionState`.
PROBE_MIN_VERSION = (1, 21, 0)
# The first release with AppTest (`streamlit.testing.v1`).
AUDIT_MIN_VERSION = (1, 28, 0)


def require_streamlit(
    install: StreamlitInstall | None,
    *,
    python: Path | None,
    minimum: tuple[int, ...],
    lacks: str,
) -> StreamlitInstall:
    """The target Streamlit, or ProbeError when there is none or it is older than `minimum`
    (`lacks` names what that older version does not have)."""
    if install is None:
        where = f"for {python}" if python is not None else "in the target environment"
        raise ProbeError(
            f"no Streamlit found {where}",
            hint="install streamlit there, or name its interpreter with --python PATH",
        )
    if version_tuple(install.version) < minimum:
        first = ".".join(map(str, minimum))
        raise ProbeError(
            f"Streamlit {install.version} ({install.python}) has no {lacks}: "
            f"it was added in {first}",
            hint=f"upgrade Streamlit to {first} or later",
        )
    return install
