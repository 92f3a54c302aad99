# aicost in a container: `docker compose up` (compose.yaml) runs it with PostgreSQL.
# Slim Python base, installed as a package, run as an unprivileged user; the HEALTHCHECK asks
# the running `aicost serve` (GET /healthz in HTTP mode; its liveness file in Socket Mode).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Optional billing sources, e.g. --build-arg AICOST_EXTRAS=aws,gcp (see the README's settings).
ARG AICOST_EXTRAS=""

WORKDIR /src
COPY pyproject.toml README.md ./
COPY billing_adapters ./billing_adapters
COPY bot ./bot
RUN pip install ".${AICOST_EXTRAS:+[$AICOST_EXTRAS]}" \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin aicost \
    && mkdir -p /data \
    && chown aicost:aicost /data

USER aicost
# The working directory holds the SQLite file when DATABASE_URL is unset (one process only).
WORKDIR /data
ENV PORT=3000 \
    AICOST_LIVENESS_FILE=/tmp/aicost/alive
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["aicost", "healthcheck"]
CMD ["aicost", "serve"]
