# The API image for docker compose. Neo4j runs in its own container, so no JVM or jars here.
FROM node:20-slim AS web
WORKDIR /web
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
WORKDIR /srv
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph ./graph
COPY ingest ./ingest
COPY seeds ./seeds
# Editable, so the viewer finds node_modules/ beside the code as it does in a checkout.
RUN pip install --no-cache-dir -e .
COPY --from=web /web/node_modules/cytoscape/dist ./node_modules/cytoscape/dist
RUN useradd --system --uid 10001 kg
USER kg
EXPOSE 8000
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "8000", "--load-seeds"]
