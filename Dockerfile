# The API image for docker compose. Neo4j runs in its own container, so no JVM or jars here.
FROM python:3.11-slim
WORKDIR /srv
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph ./graph
COPY ingest ./ingest
COPY seeds ./seeds
RUN pip install --no-cache-dir .
RUN useradd --system --uid 10001 kg
USER kg
EXPOSE 8000
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "8000", "--load-seeds"]
