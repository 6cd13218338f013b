# syntax=docker/dockerfile:1
# Two stages: the builder installs into a virtualenv with pip; the runtime image gets that
# virtualenv and the source tree (the install is editable: the Alembic migrations are read
# from /app) and nothing else: no compilers, no pip cache, no .git or .venv (.dockerignore).

FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY . .
# CPU-only torch from the PyTorch index; every other version pinned by constraints.txt.
RUN pip install --extra-index-url https://download.pytorch.org/whl/cpu -c constraints.txt -e . \
    && find /app /opt/venv -name "__pycache__" -prune -exec rm -rf {} +

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    SHOPBOT_DATA_DIR=/var/lib/shopbot
# The user has no home of its own: libraries that write a cache (Hugging Face, torch)
# find a writable one in the data dir instead of failing on /.
ENV HOME=/var/lib/shopbot XDG_CACHE_HOME=/var/lib/shopbot/cache
# A fixed, unprivileged uid/gid (Kubernetes' runAsNonRoot checks the number). The code and
# the virtualenv stay root-owned and read-only to it; only the data dir (beat's schedule) is its.
RUN groupadd --system --gid 10001 shopbot \
    && useradd --system --uid 10001 --gid shopbot --no-create-home --shell /usr/sbin/nologin shopbot \
    && install -d -o shopbot -g shopbot -m 0750 /var/lib/shopbot
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000
CMD ["shopbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
