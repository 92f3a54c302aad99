"""What self-hosting costs per month for a number of replicas: hardware, power, and people.

Rent is GPUs × $/GPU-hour × hours on, plus storage and egress as a share of the rent. Buying is
capex net of residual value over the amortization months (the servers, and the network beside
them), plus power, colocation and maintenance. Either way the infrastructure tax is added:
weekly engineering hours at a loaded rate, growing with each node beyond the first (a node is a
rented replica or a bought server), on-call stand-by when the service is customer-facing, and
set-up hours spread over the amortization.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .assumptions import Assumptions
from .capacity import ceil

__all__ = ["HOURS_PER_ENGINEER_WEEK", "SelfHostCost", "ops_hours_per_week", "self_host_cost"]

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
HOURS_PER_ENGINEER_WEEK = Decimal(40)  # 2,080 paid hours a year (cost model §1e) ÷ 52
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class SelfHostCost:
    replicas: int
    gpus: int
    servers: int  # bought servers (0 when renting)
    hardware_usd: Decimal  # rent, or the servers' capex per month net of residual
    power_usd: Decimal
    maintenance_usd: Decimal
    ops_usd: Decimal  # weekly engineering hours
    setup_usd: Decimal  # set-up hours spread over the amortization
    capex_usd: Decimal  # bought hardware up front, network included (0 when renting)
    nodes: int = 1  # what operations hours scale with: rented replicas or bought servers
    ops_hours: Decimal = ZERO  # engineering hours a week behind ops_usd
    oncall_usd: Decimal = ZERO  # stand-by premium when customer-facing
    storage_usd: Decimal = ZERO  # renting: storage and egress
    network_usd: Decimal = ZERO  # buying: network capex per month net of residual
    colo_usd: Decimal = ZERO  # buying: rack space and cooling per kW

    @property
    def tax_usd(self) -> Decimal:
        return self.ops_usd + self.oncall_usd + self.setup_usd

    @property
    def monthly_usd(self) -> Decimal:
        return (
            self.hardware_usd
            + self.storage_usd
            + self.network_usd
            + self.power_usd
            + self.colo_usd
            + self.maintenance_usd
            + self.tax_usd
        )

    @property
    def running_usd(self) -> Decimal:
        """What it costs a month beside paying off bought hardware (payback is capex ÷ the
        savings left after these)."""
        return (
            self.storage_usd + self.power_usd + self.colo_usd + self.maintenance_usd + self.tax_usd
        )

    def lines(self) -> list[tuple[str, Decimal]]:
        if self.servers == 0:
            out = [("GPU rent", self.hardware_usd), ("storage and egress", self.storage_usd)]
        else:
            out = [
                ("hardware (amortized)", self.hardware_usd),
                ("network (amortized)", self.network_usd),
                ("power", self.power_usd),
            ]
            if self.colo_usd:
                out.append(("colocation", self.colo_usd))
            out.append(("maintenance", self.maintenance_usd))
        out.append(("operations (eng hours)", self.ops_usd))
        if self.oncall_usd:
            out.append(("on-call cover", self.oncall_usd))
        return out + [("set-up (spread)", self.setup_usd)]


def ops_hours_per_week(nodes: int, a: Assumptions) -> Decimal:
    """Upkeep hours a week: the first node's, then each further node's (cost model §1e)."""
    return a.eng_hours_per_week + a.eng_hours_per_extra_node * max(nodes - 1, 0)


def self_host_cost(replicas: int, hours_on: Decimal, a: Assumptions) -> SelfHostCost:
    gpus = replicas * a.gpus_per_replica
    setup = a.setup_hours * a.engineer_hour_usd / a.amortization_months
    oncall = a.oncall_usd_per_week * WEEKS_PER_MONTH if a.customer_facing else ZERO
    if a.acquisition == "rent":
        rent = gpus * a.gpu_hour_usd * hours_on
        ops_hours = ops_hours_per_week(replicas, a)
        return SelfHostCost(
            replicas=replicas,
            gpus=gpus,
            servers=0,
            hardware_usd=rent,
            power_usd=ZERO,
            maintenance_usd=ZERO,
            ops_usd=ops_hours * WEEKS_PER_MONTH * a.engineer_hour_usd,
            setup_usd=setup,
            capex_usd=ZERO,
            nodes=replicas,
            ops_hours=ops_hours,
            oncall_usd=oncall,
            storage_usd=rent * a.storage_egress_frac,
        )
    servers = ceil(Decimal(gpus) / a.gpus_per_server)
    server_capex = servers * a.server_price_usd
    network_capex = server_capex * a.network_frac
    watts_max = servers * (a.gpus_per_server * a.gpu_watts + a.host_watts)
    ops_hours = ops_hours_per_week(servers, a)
    return SelfHostCost(
        replicas=replicas,
        gpus=gpus,
        servers=servers,
        hardware_usd=server_capex * (1 - a.residual_frac) / a.amortization_months,
        power_usd=watts_max * a.load_factor / 1000 * hours_on * a.pue * a.kwh_usd,
        maintenance_usd=server_capex * a.maintenance_frac_per_year / 12,
        ops_usd=ops_hours * WEEKS_PER_MONTH * a.engineer_hour_usd,
        setup_usd=setup,
        capex_usd=server_capex + network_capex,
        nodes=servers,
        ops_hours=ops_hours,
        oncall_usd=oncall,
        network_usd=network_capex * (1 - a.residual_frac) / a.amortization_months,
        # Colocation is priced on the power the servers may draw, whatever they draw.
        colo_usd=watts_max / 1000 * a.colo_usd_per_kw_month,
    )
