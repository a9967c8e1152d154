# The README's install steps, in an image: slim Python, a non-root user, a data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN useradd --create-home --uid 10001 yabeda
WORKDIR /app
COPY --chown=yabeda:yabeda . /app
RUN python3 -m venv /app/.venv && /app/.venv/bin/pip install -e . \
    && mkdir -p /app/data && chown yabeda:yabeda /app/data

USER yabeda
VOLUME ["/app/data"]
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8443
CMD ["yabeda", "run"]
