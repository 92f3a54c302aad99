"""Load on `aicost serve` (HTTP mode): signed, mixed slash commands at a concurrency, measured.

    python bench/serve_load.py                 # 300 commands at concurrency 100, SQLite
    python bench/serve_load.py --postgres      # then the same on PostgreSQL
    python bench/serve_load.py -n 60 -c 20     # a quick run
    python bench/serve_load.py --during-sync 1022000   # and again while a year re-syncs

`aicost serve` runs on a demo database on loopback, with the Slack stand-in of the tests
(tests/fakes/slack_api.py) taking every answer posted to a command's response_url. A separate
client process sends `status`, `breakeven` and `forecast` in turn, each signed as Slack signs
and on its own connection as Slack opens them, `-c` at a time. Printed: ack p50/p99/max and
how many acks took over Slack's 3 s; how many commands were answered exactly once; answer
p99 (send to the answer's arrival); the server's peak RSS (VmHWM). Beside them, the floor: a
bare WSGI app under waitress that only verifies the signature and acks, with the same client.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from large_org import ADMIN_KEY, LargeOrg, OrgServer  # noqa: E402

from billing_adapters.samples import sample_as_of  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench-0123456789"
COMMANDS = ("status", "breakeven", "forecast")
FLOOR_APP = """
import hashlib, hmac, sys, time, waitress
SECRET = sys.argv[2].encode()
def app(environ, start_response):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    ts = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    mac = "v0=" + hmac.new(SECRET, b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    ok = ts.isdigit() and hmac.compare_digest(mac, environ.get("HTTP_X_SLACK_SIGNATURE", ""))
    start_response("200 OK" if ok else "401 Unauthorized", [("Content-Length", "0")])
    return [b""]
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)
"""


SERVERS = {
    "waitress": [sys.executable, "-m", "bot.cli", "serve"],  # what `aicost serve` runs
    "gunicorn": [sys.executable, str(ROOT / "bench" / "gunicorn_serve.py")],  # a comparison
}


def signed(body: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def client(url: str, webhook_base: str, count: int, concurrency: int, mix: list[str]) -> None:
    """The client process: send, time each ack, print one JSON line per command."""
    target = urlsplit(url)

    def one(n: int) -> dict[str, object]:
        name = f"load-{n}-{uuid.uuid4().hex[:8]}"
        body = urlencode(
            {
                "command": "/aicost",
                "text": mix[n % len(mix)],
                "user_id": "U0BENCH",
                "team_id": "T0BENCH",
                "channel_id": "C0BENCH",
                "response_url": f"{webhook_base}{name}",
                "trigger_id": f"{n}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}",
            }
        )
        started = time.monotonic()
        # http.client, a new connection each: httpx.post builds a client (and an SSL context)
        # per call, CPU that would be measured as the server's latency on a 2-core machine.
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        try:
            connection.request("POST", target.path, body=body, headers=signed(body))
            response = connection.getresponse()
            response.read()
            status: object = response.status
        except OSError as exc:
            status = type(exc).__name__
        finally:
            connection.close()
        return {"name": name, "start": started, "ack": time.monotonic() - started, "status": status}

    with ThreadPoolExecutor(concurrency) as pool:
        for result in pool.map(one, range(count)):
            print(json.dumps(result), flush=True)


def run_client(
    url: str,
    webhook_base: str,
    count: int,
    concurrency: int,
    mix: tuple[str, ...] | list[str] = COMMANDS,
) -> list[dict]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--client",
            url,
            webhook_base,
            str(count),
            str(concurrency),
            ",".join(mix),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines()]


def percentile(values: list[float], p: float) -> float:
    if not values:  # e.g. `help`, answered in the ack itself
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wait_healthy(base: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not come up")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def aicost_env(database_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AICOST_", "SLACK_"))},
        "DATABASE_URL": database_url,
        "AICOST_AS_OF": sample_as_of().isoformat(),
    }


@contextmanager
def running_serve(
    env: dict[str, str], workdir: Path, server_name: str
) -> Iterator[tuple[str, FakeSlackAPI, int]]:
    """`aicost serve` (HTTP) on loopback, answering into a Slack stand-in: (events URL, the
    stand-in, the server's pid)."""
    with FakeSlackAPI() as slack:
        port = free_port()
        serve_env = {
            **env,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.url,
            "AICOST_HOST": "127.0.0.1",
            "PORT": str(port),
        }
        log = (workdir / "serve.log").open("wb")
        server = subprocess.Popen(SERVERS[server_name], env=serve_env, cwd=workdir, stderr=log)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, server)
            yield f"{base}/slack/events", slack, server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


def collect_answers(slack: FakeSlackAPI, count: int, patience: float) -> dict[str, list[float]]:
    """When each command's answer(s) reached the stand-in, by command name."""
    deadline = time.monotonic() + patience
    while True:
        answers: dict[str, list[float]] = {}
        for r in slack.requests_to_prefix("/webhook/"):
            answers.setdefault(r.path.rsplit("/", 1)[1], []).append(r.at)
        if len(answers) >= count or time.monotonic() >= deadline:
            return answers
        time.sleep(0.2)


def report(label: str, results: list[dict], answers: dict[str, list[float]], rss: float) -> None:
    acks = [r["ack"] for r in results]
    once = sum(1 for r in results if len(answers.get(r["name"], [])) == 1)
    late = [answers[r["name"]][0] - r["start"] for r in results if r["name"] in answers]
    errors = sum(1 for r in results if r["status"] != 200)
    print(
        f"  {label}: ack p50 {statistics.median(acks) * 1000:.0f} ms, "
        f"p99 {percentile(acks, 99) * 1000:.0f} ms, max {max(acks) * 1000:.0f} ms; "
        f"{sum(a > 3 for a in acks)} acks over 3 s; {errors} errors; "
        f"answered exactly once {once} of {len(results)}; "
        f"answer p99 {percentile(late, 99):.1f} s; serve peak RSS {rss:.0f} MB"
    )


def measure_aicost(
    database_url: str, count: int, concurrency: int, workdir: Path, mix: list[str], server: str
) -> None:
    env = aicost_env(database_url)
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--database", database_url, "--force"],
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    with running_serve(env, workdir, server) as (url, slack, pid):
        results = run_client(url, slack.webhook_url(""), count, concurrency, mix)
        answers = collect_answers(slack, count, 120 if mix != ["help"] else 0)
        rss = peak_rss_mb(pid)
    report("aicost serve", results, answers, rss)


def measure_during_sync(
    database_url: str,
    rows: int,
    count: int,
    concurrency: int,
    workdir: Path,
    mix: list[str],
    server: str,
) -> None:
    """The same load, in rounds, for as long as a full re-sync of a large organisation runs in
    another process: its staging writes, then the swap that replaces a year of rows in one
    transaction (on SQLite, the write lock a long swap holds)."""
    org = LargeOrg.of_size(rows, last_day=sample_as_of().date() - timedelta(days=1))
    env = aicost_env(database_url)
    with OrgServer(org) as billing:
        sync_env = {**env, "OPENAI_ADMIN_KEY": ADMIN_KEY, "OPENAI_BASE_URL": billing.base_url}
        resync = [sys.executable, "-m", "bot.cli", "sync", "--since", org.first_day.isoformat()]
        print(f"  backfilling {org.cost_rows:,} cost rows...", file=sys.stderr, flush=True)
        subprocess.run(resync, env=sync_env, cwd=workdir, check=True, capture_output=True)
        with running_serve(env, workdir, server) as (url, slack, pid):
            started = time.monotonic()
            sync = subprocess.Popen(
                resync, env=sync_env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            results: list[dict] = []
            while sync.poll() is None:
                results += run_client(url, slack.webhook_url(""), count, concurrency, mix)
            took = time.monotonic() - started
            out, err = sync.communicate()
            answers = collect_answers(slack, len(results), 120)
            rss = peak_rss_mb(pid)
    if sync.returncode != 0:
        raise SystemExit(f"the re-sync failed: {out.decode()}{err.decode()[-2000:]}")
    report(
        f"during a {org.cost_rows:,}-row re-sync ({took:.0f} s, {len(results)} commands)",
        results,
        answers,
        rss,
    )


def measure_floor(count: int, concurrency: int) -> None:
    port = free_port()
    floor = subprocess.Popen(
        [sys.executable, "-c", FLOOR_APP, str(port), SECRET], stderr=subprocess.DEVNULL
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        results = run_client(
            f"http://127.0.0.1:{port}/slack/events", "http://x/", count, concurrency
        )
    finally:
        floor.terminate()
        floor.wait(timeout=30)
    acks = [r["ack"] for r in results]
    print(
        f"  floor (bare WSGI, signature check + ack): ack p50 "
        f"{statistics.median(acks) * 1000:.0f} ms, p99 {percentile(acks, 99) * 1000:.0f} ms, "
        f"max {max(acks) * 1000:.0f} ms"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6].split(","))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--commands", type=int, default=300)
    parser.add_argument("-c", "--concurrency", type=int, default=100)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument(
        "--during-sync",
        type=int,
        metavar="ROWS",
        default=0,
        help="then the same load while a full re-sync of ROWS cost rows runs (e.g. 1022000)",
    )
    parser.add_argument(
        "--mix", default=",".join(COMMANDS), help="subcommands sent in turn (default: %(default)s)"
    )
    parser.add_argument(
        "--server",
        choices=sorted(SERVERS),
        default="waitress",
        help="waitress (what aicost serve runs) or gunicorn (gthread; installed on first use)",
    )
    args = parser.parse_args()
    mix = args.mix.split(",")
    if args.server == "gunicorn":
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "gunicorn>=23"], check=True)
    print(
        f"{args.commands} signed commands ({', '.join(mix)} in turn), "
        f"concurrency {args.concurrency}, {os.cpu_count()} cores, server {args.server}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)

        def measure(url: str, large_url: str) -> None:
            measure_aicost(url, args.commands, args.concurrency, workdir, mix, args.server)
            if args.during_sync:
                load = (args.commands, args.concurrency, workdir, mix, args.server)
                measure_during_sync(large_url, args.during_sync, *load)

        print("SQLite:")
        measure(f"sqlite:///{workdir / 'bench.db'}", f"sqlite:///{workdir / 'large.db'}")
        if args.postgres:
            name = f"aicost_bench_{uuid.uuid4().hex[:8]}"
            admin = "postgresql://postgres@127.0.0.1:5432/postgres"
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
            try:
                print("PostgreSQL:")
                url = f"postgresql://postgres@127.0.0.1:5432/{name}"
                measure(url, url)  # the demo's rows are replaced by the organisation's sync
            finally:
                subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=False)
        measure_floor(args.commands, args.concurrency)


if __name__ == "__main__":
    main()
