# syntax=docker/dockerfile:1
# One image for web and workers (TypeScript runs with tsx, no compile step); the `browser` target adds Chromium
# for the browser task queue. Built by docker-compose.yml; `docker build --target browser .` for that worker.

FROM node:20-bookworm-slim AS app
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN npx remix vite:build
ENV NODE_ENV=production \
    PORT=3000 \
    BATON_HOME=/data \
    MALLOC_ARENA_MAX=2
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "server.ts"]

FROM app AS browser
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/*
USER node
ENV BATON_CHROMIUM=/usr/bin/chromium
# worker flags and MALLOC_ARENA_MAX: temporal/worker-node-flags.ts
CMD ["node", "--max-semi-space-size=4", "--single-threaded-gc", "--require", "./temporal/workflow-thread-preload.cjs", "--import", "tsx", "temporal/worker.ts", "--queues", "browser"]
