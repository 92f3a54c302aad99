"""When would running open-weight models ourselves pay off? A plain-Python model: no Slack,
no database, no clock. See docs/cost-model.md for the structure and sources."""

from .assumptions import (
    DEFAULT_PROFILE,
    PROFILES,
    SOURCES,
    AssumptionError,
    Assumptions,
    resolve,
)
from .capacity import LOW_UTILIZATION, Capacity
from .costs import SelfHostCost
from .model import BreakEven, Option, breakeven_api_usd, evaluate
from .workload import ModelVolume, Workload, build_workload, workload_from_spend

__all__ = [
    "DEFAULT_PROFILE",
    "LOW_UTILIZATION",
    "PROFILES",
    "SOURCES",
    "AssumptionError",
    "Assumptions",
    "BreakEven",
    "Capacity",
    "ModelVolume",
    "Option",
    "SelfHostCost",
    "Workload",
    "breakeven_api_usd",
    "build_workload",
    "evaluate",
    "resolve",
    "workload_from_spend",
]
