# syntax=docker/dockerfile:1
# tradebrief: `docker run IMAGE` runs the scheduler; `docker run IMAGE run` is a one-shot pull →
# brief → distribute (a Kubernetes CronJob). README "Running in a container" has compose and CronJob
# examples. tests/container.test.ts reproduces the runtime stage without a Docker engine.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- toolchain: better-sqlite3 downloads a prebuilt binary; the compiler is the fallback ---------
FROM ${NODE_IMAGE} AS toolchain
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# --- build: every dependency, then type-check and bundle (scripts/build.mjs) → dist/ ---------------
FROM toolchain AS build
COPY package.json package-lock.json ./
# `prepare` runs on `npm ci`; without src/ yet it builds nothing.
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund --ignore-scripts=false
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- production dependencies only (compiled for this base image) --------------------------------
FROM toolchain AS deps
COPY package.json package-lock.json ./
COPY scripts ./scripts
# scripts/prepare.mjs finds no TypeScript here and keeps the prebuilt dist/ instead of building.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts=false && npm cache clean --force

# --- runtime: node, production node_modules (the Noto CJK fonts come from @embedpdf/fonts-*), dist, config, data
FROM ${NODE_IMAGE} AS runtime
# The config memo on the volume, so one-shot containers (`docker run --rm … pull`) keep it too.
ENV NODE_ENV=production \
    OUTPUT_DIR=/app/output \
    TRADEBRIEF_CONFIG=/app/config/tradebrief.yaml \
    TRADEBRIEF_CACHE_DIR=/app/output/.cache
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY --from=build /app/dist ./dist
COPY config ./config
COPY data ./data
# `tradebrief` on PATH (what `npm link` would do, without npm at run time); output owned by the
# unprivileged `node` user (uid 1000) that runs everything.
RUN chmod +x dist/cli.js \
 && ln -s /app/dist/cli.js /usr/local/bin/tradebrief \
 && mkdir -p /app/output \
 && chown node:node /app/output
USER node
VOLUME ["/app/output"]
# The scheduler rewrites $OUTPUT_DIR/scheduler.heartbeat every 30 s after a warehouse round trip;
# older than two minutes (or missing) means it is stuck or cannot reach the warehouse.
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s --retries=3 \
  CMD ["node", "-e", "const f=(process.env.OUTPUT_DIR||'output')+'/scheduler.heartbeat';process.exit(Date.now()-require('fs').statSync(f).mtimeMs<120000?0:1)"]
# SIGTERM (docker stop) lets the job in progress finish within --grace (25 s); give the container
# at least 30 s: `docker stop -t 30`, compose `stop_grace_period: 30s`.
STOPSIGNAL SIGTERM
ENTRYPOINT ["tradebrief"]
CMD ["schedule"]
