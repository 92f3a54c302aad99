"""The one-command deploy's files: Dockerfile, .dockerignore, compose.yaml and .env.example.

`.ci/run` builds the image and runs `docker compose config` where Docker is there; these checks
run everywhere, on what those files must hold whether or not Docker can read them here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from bot.settings import Settings
from tests.process import aicost_command, clean_env

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "AICOST_PUBLISHED_PORT"}  # read by compose, not by aicost


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (word.upper(), rest.strip())
        for word, _, rest in (line.partition(" ") for line in lines if line and line[0] != "#")
    ]


def env_example() -> dict[str, str]:
    """The variables .env.example names, set or commented out, with their example values."""
    found = re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.M)
    return dict(found)


def settings_table() -> set[str]:
    """The variables in the README's Settings table."""
    names: set[str] = set()
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def test_the_image_is_slim_unprivileged_and_checks_its_health() -> None:
    steps = dockerfile_instructions()
    (base,) = [args for word, args in steps if word == "FROM"]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base), base
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0"), users
    last_user = max(i for i, (word, _) in enumerate(steps) if word == "USER")
    assert all(word != "RUN" for word, _ in steps[last_user:]), "RUN after USER runs unprivileged"
    (health,) = [args for word, args in steps if word == "HEALTHCHECK"]
    assert health.endswith('CMD ["aicost", "healthcheck"]'), health
    assert ("CMD", '["aicost", "serve"]') in steps


def test_the_healthcheck_and_serve_the_image_runs_are_real_commands(tmp_path: Path) -> None:
    for command in ("healthcheck", "serve"):
        done = subprocess.run(
            [*aicost_command(command, "--help")],
            env=clean_env(),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr


def test_nothing_local_goes_into_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for name in (".env", ".venv", ".git", "*.db", "tests"):
        assert name in ignored, name


def test_compose_runs_postgresql_and_the_bot_on_it() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert bot["build"] == "."
    assert bot["env_file"] == ".env"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    url = bot["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql://aicost:") and url.endswith("@db:5432/aicost")
    # No aicost setting is configured per replica: scaling the service is all it takes.
    assert "AICOST_SCHEDULER" not in bot["environment"]
    assert set(compose["volumes"]) == {"pgdata"}


def test_compose_reads_only_what_env_example_offers() -> None:
    used = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "compose.yaml").read_text()))
    assert used <= set(env_example()), used - set(env_example())


def test_env_example_offers_every_setting_and_no_secret() -> None:
    example = env_example()
    assert settings_table() <= set(example), settings_table() - set(example)
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert set(example) - COMPOSE_ONLY <= aliases, set(example) - COMPOSE_ONLY - aliases
    secrets = {
        field.alias
        for field in Settings.model_fields.values()
        if "SecretStr" in str(field.annotation)
    }
    assert secrets <= set(example)
    assert {name: example[name] for name in secrets | {"POSTGRES_PASSWORD"} if example[name]} == {}
