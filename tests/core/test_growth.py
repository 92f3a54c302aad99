"""Spend growth against revenue growth, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from bot.core.growth import growth_report

M = [date(2026, m, 1) for m in range(4, 12)]  # April .. November


def test_growth_ratio_share_and_streak() -> None:
    spend = {M[0]: D(1000), M[1]: D(1100), M[2]: D(1320), M[3]: D(1716)}
    revenue = {M[0]: D(50000), M[1]: D(55000), M[2]: D(57750), M[3]: D(60637.5)}
    report = growth_report(spend, revenue, last_month=M[3], months=3)

    may, june, july = report.months
    # May: spend +10 %, revenue +10 %: (1.1 / 1.1) = 1, not outgrowing.
    assert (may.spend_growth, may.revenue_growth, may.relative_growth) == (D("0.1"), D("0.1"), 1)
    assert not may.outgrowing
    # June: spend +20 %, revenue +5 %: 1.2 / 1.05 = 1.142857…
    assert june.spend_growth == D("0.2") and june.revenue_growth == D("0.05")
    assert round(june.relative_growth, 4) == D("1.1429")
    # July: spend +30 %, revenue +5 %: outgrowing again, so two months in a row.
    assert july.spend_growth == D("0.3") and july.outgrowing
    assert report.outgrowing_streak == 2 and report.outgrowing_revenue
    # 1716 / 60637.5 = 2.83 % of revenue.
    assert round(july.spend_share * 100, 2) == D("2.83")


def test_one_month_is_not_a_trend() -> None:
    spend = {M[0]: D(100), M[1]: D(100), M[2]: D(150)}
    revenue = {M[0]: D(1000), M[1]: D(1000), M[2]: D(1000)}
    report = growth_report(spend, revenue, last_month=M[2], months=2)
    assert report.outgrowing_streak == 1 and not report.outgrowing_revenue


def test_unknown_revenue_gives_no_ratio_and_no_flag() -> None:
    spend = {M[0]: D(100), M[1]: D(200), M[2]: D(400)}
    report = growth_report(spend, {}, last_month=M[2], months=2)
    assert [m.spend_growth for m in report.months] == [D(1), D(1)]
    assert all(m.relative_growth is None and m.spend_share is None for m in report.months)
    assert not report.outgrowing_revenue


def test_share_policy() -> None:
    spend = {M[0]: D(100), M[1]: D(600)}
    revenue = {M[0]: D(10000), M[1]: D(10000)}
    report = growth_report(spend, revenue, last_month=M[1], months=1, share_policy=D("0.05"))
    assert report.latest is not None and report.latest.spend_share == D("0.06")
    assert report.over_share_policy


def test_year_boundary() -> None:
    dec, jan = date(2026, 12, 1), date(2027, 1, 1)
    report = growth_report({dec: D(10), jan: D(15)}, {}, last_month=jan, months=1)
    assert report.months[0].month == jan and report.months[0].spend_growth == D("0.5")
