"""Ask the real Streamlit: the probe (is Session State serializability enforced here, and does
stconfig's read side agree?) and the audit (which Session State values of an app cannot be pickled).

The names below load their module on first use: `stconfig probe` does not pay for the audit's
imports, nor the audit for the probe's.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stconfig.probe.audit import (
        AppException,
        AuditOptions,
        AuditResult,
        Progress,
        UnpicklableValue,
        run_audit,
    )
    from stconfig.probe.enforcement import OPTION, UNSERIALIZABLE_ERROR, ProbeResult, run_probe

_AUDIT = ("AppException", "AuditOptions", "AuditResult", "Progress", "UnpicklableValue")
_PROBE = ("OPTION", "UNSERIALIZABLE_ERROR", "ProbeResult", "run_probe")
_MODULE = {
    **dict.fromkeys((*_AUDIT, "run_audit"), "stconfig.probe.audit"),
    **dict.fromkeys(_PROBE, "stconfig.probe.enforcement"),
}

__all__ = [
    "OPTION",
    "UNSERIALIZABLE_ERROR",
    "AppException",
    "AuditOptions",
    "AuditResult",
    "ProbeResult",
    "Progress",
    "UnpicklableValue",
    "run_audit",
    "run_probe",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_MODULE[name]), name)
