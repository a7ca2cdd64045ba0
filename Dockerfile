# The archive's web app and CLI, for docker-compose deployments (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ARCHIVE_DATA=/data
WORKDIR /app

# Dependencies first (cached layer), then the code. Editable install: templates/ and config/
# are read from /app, where they can also be mounted over.
COPY pyproject.toml constraints.txt README.md ./
COPY archive/__init__.py archive/__init__.py
RUN pip install --no-cache-dir -c constraints.txt -e . && rm -rf /root/.cache
COPY archive archive
COPY templates templates
COPY config config
COPY seeds seeds

RUN useradd --system --create-home archive && mkdir -p /data && chown archive /data
USER archive
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["archive", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--threads", "4"]
