"""Every number the break-even model assumes, with where it came from.

A value is resolved in layers: the model's default, then the chosen profile, then settings
(`AICOST_BREAKEVEN`), then the query's own `--set key=value`. Each resolved value keeps the name
of the layer it came from, so every answer can show its inputs and their sources.
Figures and sources: docs/cost-model.md (section numbers below refer to it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from ...errors import AicostError

__all__ = [
    "Assumptions",
    "AssumptionError",
    "DEFAULT_PROFILE",
    "parse_pairs",
    "PROFILES",
    "SOURCES",
    "resolve",
]

D = Decimal


# Upper bounds: beyond them a value is a typo, and the arithmetic on it would overflow the
# cents it is shown in (a what-if of 3.6e25 engineering hours a week crashed the answer).
MAXIMA = {
    # The team's hours, not one person's: 40 engineers full time on operations. (168, the hours
    # in one person's week, made two logged entries of 100 h break every answer and digest.)
    "eng_hours_per_week": D(1_680),
    "eng_hours_per_extra_node": D(1_680),
    "setup_hours": D(100_000),
    "gpu_hour_usd": D(10_000),
    "engineer_hour_usd": D(10_000),
    "kwh_usd": D(100),
    "server_price_usd": D(1_000_000_000),
}
MAX_ANY = D(10) ** 12  # any other figure: larger is no plan, and still computes exactly


class AssumptionError(AicostError, ValueError):
    """An override names an unknown assumption or gives it a value of the wrong kind."""


@dataclass(frozen=True, slots=True)
class Assumptions:
    # What runs locally, and how it is acquired.
    model_class: str = "70b"  # "8b" or "70b": the open-weight model that takes the traffic
    params_b: Decimal = D(70)
    bytes_per_param: Decimal = D(1)  # FP8 1, FP16 2, Q4 ~0.6
    acquisition: str = "rent"  # "rent" GPUs by the hour, or "buy" servers
    gpu: str = "H100 80GB"
    gpu_vram_gb: Decimal = D(80)
    gpus_per_replica: int = 2  # GPUs that hold one copy of the model
    # Capacity.
    throughput_tok_s: Decimal = D(4205)  # vendor max output tok/s for one replica
    interactive_derate: Decimal = D("0.5")  # interactive SLAs get 30-60 % of vendor max
    prefill_ratio: Decimal = D(20)  # prefill tok/s ÷ decode tok/s
    target_utilization: Decimal = D("0.7")
    active_hours_per_month: Decimal = D(220)  # business hours: 22 days × 10 h
    peak_factor: Decimal = D("2.5")  # busiest hour ÷ average active hour
    always_on: bool = True  # hardware on 730 h/month (False: only active hours + 10 %)
    movable_frac: Decimal = D("0.7")  # share of traffic the local model serves well enough
    # Renting.
    gpu_hour_usd: Decimal = D("2.50")
    # Buying.
    server_price_usd: Decimal = D(270000)
    gpus_per_server: int = 8
    residual_frac: Decimal = D("0.30")  # resale value after the amortization period
    amortization_months: int = 36
    gpu_watts: Decimal = D(700)
    host_watts: Decimal = D(4600)  # per server, beside its GPUs
    load_factor: Decimal = D("0.7")  # share of TDP drawn while serving
    pue: Decimal = D("1.5")
    kwh_usd: Decimal = D("0.13")
    maintenance_frac_per_year: Decimal = D("0.08")
    network_frac: Decimal = D("0.12")  # switches and cabling, as a share of the servers bought
    colo_usd_per_kw_month: Decimal = D(196)  # rack space per kW of the servers' maximum draw
    # Renting: disks, snapshots and traffic out, as a share of the GPU rent.
    storage_egress_frac: Decimal = D("0.10")
    # The infrastructure tax. A node is a rented replica or a bought server.
    eng_hours_per_week: Decimal = D("1.4")  # upkeep of the first node: 6 h a month (70B)
    eng_hours_per_extra_node: Decimal = D("0.8")  # and of each further node
    engineer_hour_usd: Decimal = D(100)
    setup_hours: Decimal = D(40)
    customer_facing: bool = False  # True: someone is on call outside working hours
    oncall_usd_per_week: Decimal = D(250)  # the stand-by premium for that cover
    team_engineers: int | None = None
    # The largest share of the team's working week operations may take before the answer says
    # the team cannot absorb self-hosting (0.5: the cap Google SRE puts on its own ops work).
    max_team_ops_share: Decimal = D("0.5")
    # How much self-hosting must save, as a share of its own estimated cost, before the answer
    # says it pays off: the estimate's inputs are uncertain by about that much.
    payoff_margin: Decimal = D("0.20")
    # The hosted open-weight alternative ($ per million tokens).
    hosted_input_per_m: Decimal = D("0.59")
    hosted_output_per_m: Decimal = D("0.79")
    hosted_name: str = "Llama 3.3 70B on Groq"


# Where each default comes from (sections of docs/cost-model.md); shown beside each value.
SOURCES: dict[str, str] = {
    "throughput_tok_s": "cost model §1a (TensorRT-LLM perf overview; vLLM benchmarks)",
    "interactive_derate": "cost model §1a planning rule: 30-60 % of vendor max",
    "prefill_ratio": "cost model §2: prefill is typically 10-50× decode on GPUs",
    "target_utilization": "cost model §2: u_target ≈ 0.7",
    "active_hours_per_month": "cost model §2: business hours 22 × 10",
    "peak_factor": "cost model §2 default 2.5",
    "movable_frac": "cost model §2: 0.5-1.0; should come from your own evaluation",
    "gpu_hour_usd": "cost model §1c: H100 ≈ $2.50/GPU-hour on demand",
    "server_price_usd": "cost model §1b: DGX-class 8×H100 ≈ $270K (SemiAnalysis)",
    "residual_frac": "cost model §2: 25-35 % after 3 years",
    "amortization_months": "cost model §2: 36 months",
    "gpu_watts": "cost model §1d: H100 SXM 700 W TDP",
    "host_watts": "cost model §1d: DGX H100 10.2 kW max, less 8 × 700 W",
    "load_factor": "cost model §1d: 0.6-0.8 × TDP while serving",
    "pue": "cost model §1d: Uptime Institute 2023 average ≈ 1.5",
    "kwh_usd": "cost model §1d: EIA commercial average $0.13/kWh",
    "maintenance_frac_per_year": "cost model §2: 5-10 % of capex a year",
    "network_frac": "cost model §1b: network and cabling +10-15 % of hardware (weak)",
    "colo_usd_per_kw_month": "cost model §1g: ≈ $196/kW-month, N. America colocation H2 2025",
    "storage_egress_frac": "cost model §1c: storage and egress 5-15 % of GPU rent (assumed)",
    "eng_hours_per_week": "cost model §1e: published upkeep 4-8 h a month (70B), 2-4 (8B)",
    "eng_hours_per_extra_node": "cost model §1e: 50 identical servers per admin (META Group)",
    "customer_facing": "cost model §1e: on-call is priced only for a customer-facing service",
    "oncall_usd_per_week": "cost model §1e: average on-call premium $250/week (Culpepper)",
    "max_team_ops_share": "cost model §1e: Google SRE caps operational work at 50 %",
    "engineer_hour_usd": "cost model §1e: BLS loaded engineer-hour ≈ $99",
    "setup_hours": "cost model §1e: setup 8-16 h (8B), 16-40 h (70B)",
    "payoff_margin": "cost model §2 outputs: the verdict requires a saving above a 20-30 % margin",
    "hosted_input_per_m": "genai-prices 0.2.3 (Groq list price)",
    "hosted_output_per_m": "genai-prices 0.2.3 (Groq list price)",
}

_8B_HOSTED = {
    "hosted_input_per_m": D("0.05"),
    "hosted_output_per_m": D("0.08"),
    "hosted_name": "Llama 3.1 8B on Groq",
}

PROFILES: dict[str, dict[str, Any]] = {
    # RTX 4090 workstations in the office serving an 8B model (~$3K a box, cost model §1b).
    "workstation-8b": {
        "model_class": "8b",
        "params_b": D(8),
        "bytes_per_param": D(2),
        "acquisition": "buy",
        "gpu": "RTX 4090 24GB",
        "gpu_vram_gb": D(24),
        "gpus_per_replica": 1,
        "gpus_per_server": 1,
        "server_price_usd": D(3000),
        "residual_frac": D(0),
        "gpu_watts": D(450),
        "host_watts": D(0),
        "pue": D("1.0"),
        "throughput_tok_s": D(377),
        "maintenance_frac_per_year": D(0),
        # Under a desk: the office's own socket (hence PUE 1.0), no rack space to rent.
        "colo_usd_per_kw_month": D(0),
        "setup_hours": D(16),
        "eng_hours_per_week": D("0.7"),  # 3 h a month, the middle of 2-4 for an 8B model
        "movable_frac": D("0.5"),
        **_8B_HOSTED,
    },
    # One rented H100 running an 8B model under vLLM (5,333 tok/s at saturation, runinfra).
    "h100-rent-8b": {
        "model_class": "8b",
        "params_b": D(8),
        "bytes_per_param": D(1),
        "acquisition": "rent",
        "gpus_per_replica": 1,
        "throughput_tok_s": D(5333),
        "setup_hours": D(16),
        "eng_hours_per_week": D("0.7"),  # 3 h a month, the middle of 2-4 for an 8B model
        "movable_frac": D("0.5"),
        **_8B_HOSTED,
    },
    # Two rented H100s (TP2) running a 70B model (TensorRT-LLM: 4,205 tok/s at 1000/1000).
    "2xh100-rent-70b": {},
    # A bought DGX-class 8×H100 server running 70B replicas on 2 GPUs each.
    "8xh100-buy-70b": {"acquisition": "buy"},
}
DEFAULT_PROFILE = "2xh100-rent-70b"


def _convert(name: str, raw: str, current: object) -> object:
    kind = type(current)
    text = raw.strip()
    try:
        if isinstance(current, bool) or name in ("always_on", "customer_facing"):
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if name == "team_engineers":
            return None if text.lower() in ("", "none") else int(text)
        if kind is int:
            return int(text)
        if kind is Decimal:
            value = Decimal(text)
            if not value.is_finite():
                raise ValueError
            return value
    except (ValueError, InvalidOperation):
        raise AssumptionError(f"{name}={raw!r}: expected {kind.__name__.lower()}") from None
    return text


def _check(a: Assumptions) -> None:
    problems = []
    if a.model_class not in ("8b", "70b"):
        problems.append("model_class must be 8b or 70b")
    if a.acquisition not in ("rent", "buy"):
        problems.append("acquisition must be rent or buy")
    if a.team_engineers is not None and a.team_engineers < 1:
        problems.append("team_engineers must be at least 1 (or none)")
    if not D(0) < a.max_team_ops_share <= 1:
        problems.append("max_team_ops_share must be in (0, 1]")
    if a.payoff_margin > 10:
        problems.append("payoff_margin must be at most 10 (1,000 % of self-hosting's cost)")
    if not D(0) < a.movable_frac <= 1:
        problems.append("movable_frac must be in (0, 1]")
    if not D(0) < a.target_utilization <= 1 or not D(0) < a.interactive_derate <= 1:
        problems.append("target_utilization and interactive_derate must be in (0, 1]")
    if a.gpus_per_replica < 1 or a.gpus_per_server < 1 or a.amortization_months < 1:
        problems.append("gpus_per_replica, gpus_per_server and amortization_months must be ≥ 1")
    if (
        a.throughput_tok_s <= 0
        or a.active_hours_per_month <= 0
        or a.peak_factor <= 0
        or a.prefill_ratio <= 0
    ):
        problems.append(
            "throughput_tok_s, active_hours_per_month, peak_factor and prefill_ratio must be > 0"
        )
    negative = [
        f.name
        for f in fields(a)
        if isinstance(getattr(a, f.name), Decimal) and getattr(a, f.name) < 0
    ]
    problems += [f"{name} must not be negative" for name in negative]
    for f in fields(a):
        value = getattr(a, f.name)
        if not isinstance(value, Decimal):
            continue
        limit = MAXIMA.get(f.name, MAX_ANY)
        if value > limit:
            problems.append(f"{f.name} must be at most {limit:,}")
    if problems:
        raise AssumptionError("; ".join(problems))


def parse_pairs(text: str) -> dict[str, str]:
    """'key=value, key=value' (commas or spaces between pairs) as a dict."""
    pairs: dict[str, str] = {}
    for part in text.replace(",", " ").split():
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise AssumptionError(f"{part!r} is not key=value")
        pairs[key.strip()] = value.strip()
    return pairs


def resolve(
    profile: str = DEFAULT_PROFILE,
    *layers: tuple[str, dict[str, str]],
) -> tuple[Assumptions, dict[str, str]]:
    """Assumptions for profile with each (layer name, {key: text value}) applied in order.

    Returns the assumptions and, for every field, where its value came from.
    """
    if profile not in PROFILES:
        raise AssumptionError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    assumptions = replace(Assumptions(), **PROFILES[profile])
    origin = {
        f.name: (f"profile {profile}" if f.name in PROFILES[profile] else "default")
        for f in fields(Assumptions)
    }
    known = {f.name for f in fields(Assumptions)}
    for layer, values in layers:
        for name, raw in values.items():
            if name not in known:
                raise AssumptionError(f"unknown assumption {name!r} (from {layer})")
            value = _convert(name, raw, getattr(assumptions, name))
            assumptions = replace(assumptions, **{name: value})
            origin[name] = layer
    _check(assumptions)
    return assumptions, origin
