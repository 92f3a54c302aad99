"""What self-hosting costs per month for a number of replicas: hardware, power, and people.

Rent is GPUs × $/GPU-hour × hours on. Buying is capex net of residual value over the
amortization months, plus power and maintenance. Either way the infrastructure tax is added:
weekly engineering hours at a loaded rate, plus set-up hours spread over the amortization.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .assumptions import Assumptions
from .capacity import ceil

__all__ = ["SelfHostCost", "self_host_cost"]

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


@dataclass(frozen=True, slots=True)
class SelfHostCost:
    replicas: int
    gpus: int
    servers: int  # bought servers (0 when renting)
    hardware_usd: Decimal  # rent, or capex per month net of residual
    power_usd: Decimal
    maintenance_usd: Decimal
    ops_usd: Decimal  # weekly engineering hours
    setup_usd: Decimal  # set-up hours spread over the amortization
    capex_usd: Decimal  # bought hardware up front (0 when renting)

    @property
    def tax_usd(self) -> Decimal:
        return self.ops_usd + self.setup_usd

    @property
    def monthly_usd(self) -> Decimal:
        return self.hardware_usd + self.power_usd + self.maintenance_usd + self.tax_usd

    def lines(self) -> list[tuple[str, Decimal]]:
        hardware = "GPU rent" if self.servers == 0 else "hardware (amortized)"
        out = [(hardware, self.hardware_usd)]
        if self.servers:
            out += [("power", self.power_usd), ("maintenance", self.maintenance_usd)]
        return out + [("operations (eng hours)", self.ops_usd), ("set-up (spread)", self.setup_usd)]


def self_host_cost(replicas: int, hours_on: Decimal, a: Assumptions) -> SelfHostCost:
    gpus = replicas * a.gpus_per_replica
    ops = a.eng_hours_per_week * WEEKS_PER_MONTH * a.engineer_hour_usd
    setup = a.setup_hours * a.engineer_hour_usd / a.amortization_months
    if a.acquisition == "rent":
        return SelfHostCost(
            replicas=replicas,
            gpus=gpus,
            servers=0,
            hardware_usd=gpus * a.gpu_hour_usd * hours_on,
            power_usd=Decimal(0),
            maintenance_usd=Decimal(0),
            ops_usd=ops,
            setup_usd=setup,
            capex_usd=Decimal(0),
        )
    servers = ceil(Decimal(gpus) / a.gpus_per_server)
    capex = servers * a.server_price_usd
    kilowatts = servers * (a.gpus_per_server * a.gpu_watts + a.host_watts) * a.load_factor / 1000
    return SelfHostCost(
        replicas=replicas,
        gpus=gpus,
        servers=servers,
        hardware_usd=capex * (1 - a.residual_frac) / a.amortization_months,
        power_usd=kilowatts * hours_on * a.pue * a.kwh_usd,
        maintenance_usd=capex * a.maintenance_frac_per_year / 12,
        ops_usd=ops,
        setup_usd=setup,
        capex_usd=capex,
    )
