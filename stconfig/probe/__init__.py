"""Ask the real Streamlit: the probe (is Session State serializability enforced here, and does
stconfig's read side agree?) and the audit (which Session State values of an app cannot be pickled).
"""

from stconfig.probe.audit import (
    AppException,
    AuditOptions,
    AuditResult,
    Progress,
    UnpicklableValue,
    run_audit,
)
from stconfig.probe.enforcement import OPTION, UNSERIALIZABLE_ERROR, ProbeResult, run_probe

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
