"""Hostile `aicost` arguments, property-based: a usage error or a one-line answer, never a crash.

`bot.cli.main(argv)` runs in-process on a demo database (settings from the environment, which
this module sets alone). Whatever the arguments, either argparse rejects them (SystemExit 2, or
0 for --help), or main returns 0, 1 or 2; nothing else escapes, and stderr holds no traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from billing_adapters.samples import sample_as_of
from bot.cli import main
from bot.core.breakeven import PROFILES
from tests.cli.conftest import OURS, aicost_command, clean_env
from tests.cli.stored import ops_hours, stored_revenue, stored_rows
from tests.moment import TEST_TODAY
from tests.slack.test_fuzz_commands import (
    BREAKEVEN_ARGS,
    MONTHS,
    NUMBERS,
    PAIRS,
    note,
)

TODAY = TEST_TODAY
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What argv can hold: any character, and the surrogate escapes (U+DC80..U+DCFF) Python makes of
# bytes that are not UTF-8; NUL is dropped, as the OS would.
ARGV_CHAR = st.one_of(st.characters(), st.integers(0xDC80, 0xDCFF).map(chr))
ARG = st.text(ARGV_CHAR, max_size=40)
FLAGS = ["--monthly-spend", "--profile", "--set", "--json", "--since", "--provider", "-h", "--"]
WORDS = st.one_of(
    st.sampled_from(FLAGS), st.sampled_from(sorted(PROFILES)), NUMBERS, MONTHS, PAIRS, ARG
)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory, module_database_url: str) -> str:
    """A demo database (SQLite, then PostgreSQL), so breakeven and digest have real numbers."""
    workdir = tmp_path_factory.mktemp("fuzz_cli")
    url = module_database_url
    built = subprocess.run(
        aicost_command("demo", "--database", url),
        cwd=workdir,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    return url


@pytest.fixture
def cli(
    demo_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[pytest.MonkeyPatch]:
    """This test's settings only: the demo database, no keys, no developer .env file."""
    for name in [n for n in os.environ if n.startswith(OURS)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", demo_database)
    monkeypatch.setenv("AICOST_AS_OF", sample_as_of().isoformat())  # the demo data's own moment
    monkeypatch.chdir(tmp_path)
    yield monkeypatch


def run(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> tuple[int, str, str]:
    """main(argv) as a shell would see it: exit status, stdout, stderr; asserts the contract."""
    argv = [arg.replace("\x00", "") for arg in argv]  # a real argv cannot hold NUL
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse: 2 for a usage error, 0 for --help
        status = exc.code if isinstance(exc.code, int) else 1
        assert status in (0, 2), (argv, exc.code)
    out, err = capsys.readouterr()
    note(f"exit status {status}")
    assert status in (0, 1, 2), (argv, status, err)
    assert "Traceback" not in err and "Traceback" not in out, (argv, err)
    if status:
        assert err.strip(), (argv, "failed without saying why")
    return status, out, err


@FUZZ
@given(month=st.one_of(MONTHS, ARG), amount=st.one_of(NUMBERS, ARG))
@example(month="2000-01", amount="\x00")  # CI drew it: the refusal names the amount as typed
def test_revenue_set_any_month_and_amount(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    demo_database: str,
    month: str,
    amount: str,
) -> None:
    """Either it says what it stored, and exactly that is stored for the month, or it says why
    and every stored month is as it was."""
    before = stored_revenue(demo_database)
    status, out, err = run(capsys, ["revenue", "set", month, amount])
    after = stored_revenue(demo_database)
    if status == 0:
        said = re.fullmatch(r"revenue for (\d{4})-(\d{2}) set to \$([\d,]+\.\d\d)\n", out)
        assert said, out
        first = date(int(said[1]), int(said[2]), 1)
        assert after[first] == Decimal(said[3].replace(",", ""))
        assert {m: v for m, v in after.items() if m != first} == {
            m: v for m, v in before.items() if m != first
        }
    else:
        assert after == before
        if status == 1:  # refused by aicost: one line naming what is wrong
            assert len(err.strip().splitlines()) == 1
            # As the shell handed them over: a real argv holds no NUL (see run()).
            typed = [arg.replace("\x00", "") for arg in (month, amount)]
            assert err.startswith("aicost: ") and any(repr(arg) in err for arg in typed), err
        else:  # argparse's usage error (an amount like "-5" reads as an option)
            assert "usage: aicost revenue set" in err


def refused_in_one_line(status: int, err: str, command: str) -> None:
    """A refusal is one `aicost: ...` line (1), or argparse's usage error for the command (2)."""
    if status == 1:
        assert len(err.strip().splitlines()) == 1 and err.startswith("aicost: "), err
    elif status == 2:  # unrecognized arguments are reported by the top-level parser
        assert f"usage: aicost {command}" in err or "usage: aicost [-h] COMMAND" in err, err


BREAKEVEN_HEADER = "Break-even: self-hosting vs the API (as of Fri 20 Nov 2026"


@FUZZ
@given(words=st.one_of(BREAKEVEN_ARGS, st.lists(WORDS, max_size=6)))
def test_breakeven_any_arguments(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    demo_database: str,
    words: list[str],
) -> None:
    """Break-even only reads: whatever the arguments, no stored row changes. An answer is the
    help, the text answer as of the demo's moment, or one JSON object naming a known profile
    with each option's monthly cost a non-negative amount in whole cents; a refusal is one
    line or a usage error."""
    before = stored_rows(demo_database)
    status, out, err = run(capsys, ["breakeven", *words])
    assert stored_rows(demo_database) == before
    if status:
        refused_in_one_line(status, err, "breakeven")
    elif out.startswith("usage: aicost breakeven"):
        assert "-h" in words or "--help" in words
    elif out.startswith("{"):
        answer = json.loads(out, parse_float=Decimal)
        assert answer["profile"] in PROFILES
        for key in ("monthly_api_usd", "monthly_local_usd", "monthly_hosted_usd"):
            usd = Decimal(answer[key])
            assert usd >= 0 and usd == usd.quantize(Decimal("0.01")), (key, usd)
    else:
        assert out.startswith(BREAKEVEN_HEADER), out[:200]
        assert "Options, per month" in out


@FUZZ
@given(hours=st.one_of(NUMBERS, ARG), note=st.lists(ARG, max_size=3))
def test_log_hours_any_hours_and_note(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    demo_database: str,
    hours: str,
    note: list[str],
) -> None:
    """Logged means exactly one new entry, of the hours it says, in whole minutes, by the CLI;
    anything else leaves the log as it was, and a refusal names the text it refused."""
    before = ops_hours(demo_database)
    status, out, err = run(capsys, ["log-hours", hours, *note])
    after = ops_hours(demo_database)
    if status == 0:
        said = re.match(r"logged (\S+) h of operations", out)
        assert said, out
        assert after[:-1] == before and len(after) == len(before) + 1
        minutes, _, who = after[-1]
        # Hours in (0, 168], so the minutes are 1 to 10,080; the log keeps whole minutes.
        assert 1 <= minutes <= 168 * 60 and who == "cli"
        assert abs(Decimal(said[1]) * 60 - minutes) < 1, (said[1], minutes)
    else:
        assert after == before
        refused_in_one_line(status, err, "log-hours")
        if status == 1:
            assert repr(hours.replace("\x00", "")) in err, err


# Chart paths stay under the test's directory: no "/" inside a part, and no "..".
PATH_PART = st.text(ARGV_CHAR, min_size=1, max_size=30).filter(
    lambda p: "/" not in p and p not in {".."}
)


@settings(FUZZ, max_examples=8)  # each draws the 12-week chart
@given(parts=st.lists(PATH_PART, min_size=1, max_size=3))
@example(parts=["0", "0", "."])  # found by the fuzzer: the error must name "0/0/.", not "0/0"
def test_digest_chart_any_path(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    demo_database: str,
    tmp_path: Path,
    parts: list[str],
) -> None:
    """Under any name the chart is either written there, as a PNG, and the path printed; or
    refused in one line naming the path, with nothing written. The digest is only shown, so no
    stored row changes (nothing is marked posted)."""
    before = stored_rows(demo_database)
    path = "/".join(part.replace("\x00", "") for part in parts)
    status, out, err = run(capsys, ["digest", "--chart", path])
    assert stored_rows(demo_database) == before
    target = tmp_path / path
    if status == 0:
        assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert "\nChart written to " in out
    else:
        refused_in_one_line(status, err, "digest")
        assert status == 1 and f"could not write the chart to {path!r}: " in err, err
        assert not target.is_file()


def test_a_file_name_that_is_not_utf8_is_echoed_escaped(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--chart $'\\xff.png'`: the chart is written and the name printed escaped, no traceback."""
    name = os.fsdecode(b"\xffchart.png")  # '\udcffchart.png', as Python hands it over from argv
    status, out, _ = run(capsys, ["digest", "--chart", str(tmp_path / name)])
    assert status == 0
    assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    assert "\\udcffchart.png" in out


# Words that could ask for a change (argparse takes any unambiguous prefix of an option).
WRITE_WORDS = {"set", "sync", "import"}
WRITE_OPTIONS = ("--post", "--allow-missing", "--force")


def read_only_word(word: str) -> bool:
    option = word.partition("=")[0]
    return word not in WRITE_WORDS and not (
        len(option) > 2 and any(flag.startswith(option) for flag in WRITE_OPTIONS)
    )


@FUZZ
@given(
    head=st.one_of(
        st.sampled_from(["sync", "status", "forecast", "revenue", "alerts", "digest", "db"]),
        # serve and demo run long; log-hours writes (it has a property of its own above)
        ARG.filter(lambda head: head not in {"serve", "demo", "log-hours"}),
    ),
    words=st.lists(
        st.one_of(st.sampled_from(["--json", "show", "upgrade", "-h"]), ARG.filter(read_only_word)),
        max_size=4,
    ),
)
def test_any_command_line(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    demo_database: str,
    head: str,
    words: list[str],
) -> None:
    """No key is configured and no word here can ask for a change (read_only_word), so no
    stored row changes; a refusal is one line or a usage error; `--json` answers are JSON."""
    before = stored_rows(demo_database)
    status, out, err = run(capsys, [head, *words])
    assert stored_rows(demo_database) == before
    if status:
        refused_in_one_line(status, err, head)
    elif "--json" in words and not out.startswith("usage:"):
        assert isinstance(json.loads(out), dict), out[:200]


@pytest.mark.parametrize(
    "args",
    [
        ["--set", "peak_factor=1e12"],
        ["--set", "throughput_tok_s=0.000001"],
        ["--monthly-spend", "10000000000"],
    ],
)
def test_breakeven_answers_hostile_sizes_in_seconds(
    demo_database: str, tmp_path: Path, args: list[str]
) -> None:
    """Each once kept the model counting replicas for hours; a subprocess, so a hang is stopped."""
    try:
        result = subprocess.run(
            aicost_command("breakeven", *args),
            cwd=tmp_path,
            env=clean_env(DATABASE_URL=demo_database, AICOST_AS_OF=sample_as_of().isoformat()),
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`aicost breakeven {' '.join(args)}` ran for more than 30 s")
    assert result.returncode == 0, result.stderr
    # It reached the model (not a "no data" refusal) and answered with the hostile value in it.
    assert result.stdout.startswith("Break-even: self-hosting vs the API (as of Fri 20 Nov 2026")
    assert "Options, per month" in result.stdout


def test_a_note_with_bytes_that_are_not_utf8(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On Linux, argv bytes that are not UTF-8 arrive as lone surrogates ('\\udcff')."""
    status, out, _ = run(capsys, ["log-hours", "1", "caf\udce9"])
    assert status == 0 and out.startswith("logged 1 h"), out


def test_a_chart_name_no_file_system_can_hold_is_refused_in_one_line(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A lone surrogate (hypothesis found '\\ud800') has no bytes: one line, nothing written."""
    status, _, err = run(capsys, ["digest", "--chart", str(tmp_path / "\ud800.png")])
    refused_in_one_line(status, err, "digest")
    assert "could not write the chart to " in err and "the name is not valid text" in err
    assert list(tmp_path.iterdir()) == []
