"""Capacity before cost: does the model fit, and how many whole replicas does the peak need?

Follows docs/cost-model.md §2: decode throughput derated for interactive use, reduced by the
time spent on prefill, sized at the busiest hour with headroom, in whole replicas (a staircase).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ..month import HOURS_PER_MONTH
from .assumptions import Assumptions
from .workload import Workload

__all__ = ["Capacity", "LOW_UTILIZATION", "size_capacity"]

LOW_UTILIZATION = Decimal("0.2")
WEIGHT_OVERHEAD = Decimal("1.1")  # runtime buffers on top of the raw weights
USABLE_VRAM = Decimal("0.9")


def ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True, slots=True)
class Capacity:
    weights_gb: Decimal
    usable_gb: Decimal  # per replica
    fits: bool
    replica_tok_s: Decimal  # usable output tok/s of one replica after derate and prefill
    peak_tok_s: Decimal  # movable output tokens per second in the busiest hour
    replicas_needed: int
    hours_on: Decimal

    def usable_per_replica(self, target_utilization: Decimal) -> Decimal:
        return self.replica_tok_s * target_utilization


def size_capacity(workload: Workload, a: Assumptions) -> Capacity:
    weights = a.params_b * a.bytes_per_param * WEIGHT_OVERHEAD
    usable = a.gpus_per_replica * a.gpu_vram_gb * USABLE_VRAM
    decode = a.throughput_tok_s * a.interactive_derate
    ratio = (
        Decimal(workload.input_tokens) / Decimal(workload.output_tokens)
        if workload.output_tokens
        else Decimal(0)
    )
    # R_eff = R_dec / (1 + (in/out) · R_dec / R_pre) with R_pre = prefill_ratio · R_dec.
    effective = decode / (1 + ratio / a.prefill_ratio)
    peak = (
        a.movable_frac * workload.output_tokens / (a.active_hours_per_month * 3600) * a.peak_factor
    )
    needed = max(1, ceil(peak / (effective * a.target_utilization)))
    hours_on = HOURS_PER_MONTH if a.always_on else a.active_hours_per_month * Decimal("1.1")
    return Capacity(
        weights_gb=weights,
        usable_gb=usable,
        fits=weights <= usable,
        replica_tok_s=effective,
        peak_tok_s=peak,
        replicas_needed=needed,
        hours_on=hours_on,
    )
