# One image for all three apps; the command picks the app:
#   node dist/apps/gateway/main.js       (8080)
#   node dist/apps/diagnostics-indexer/main.js       (8081)
#   node dist/apps/admin-search/main.js  (8082)
# Build: docker build -t signaling-gateway:local .

ARG NODE_IMAGE=node:20-bookworm-slim

# Shared base for the stages that run npm: better-sqlite3 and bufferutil compile
# natively when no prebuilt binary matches the platform, so the toolchain must be present.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_TUI=false \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

FROM toolchain AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

# Production dependencies only, installed from the same lockfile. A separate stage
# so the runtime image carries neither the toolchain nor dev dependencies.
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# SQLITE_PATH defaults to ./data/sessions.db. A fresh named volume mounted here
# inherits this ownership, so the unprivileged user can write to it.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# The image's `node` user, by number so Kubernetes runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080 8081 8082
# The gateway drains on SIGTERM (readyz 503, clients closed with 1001 within
# DRAIN_TIMEOUT_MS); give it a stop timeout above DRAIN_TIMEOUT_MS.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/gateway/main.js"]
