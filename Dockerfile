# syntax=docker/dockerfile:1
# iam-inventory: build on node:20-slim with the toolchain better-sqlite3 compiles with, run as a non-root user
# with only production dependencies.

FROM node:20-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: the package's own `prepare` (build) needs the sources, copied below; the native module is
# then built explicitly.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY scripts ./scripts
COPY schemas ./schemas
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
RUN groupadd --system --gid 10001 iam-inventory \
  && useradd --system --uid 10001 --gid iam-inventory --home-dir /var/lib/iam-inventory --shell /usr/sbin/nologin iam-inventory \
  && mkdir -p /var/lib/iam-inventory /etc/iam-inventory \
  && chown iam-inventory:iam-inventory /var/lib/iam-inventory
WORKDIR /app
# package.json and schemas/ sit beside dist/: the CLI finds its package root (version, schemas) by them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER iam-inventory
# The state file (SQLite, with its lock and WAL files) lives here; state.path in the config points into it.
VOLUME ["/var/lib/iam-inventory"]
# ops.listen must be 0.0.0.0:9464 in the container's config for /healthz, /readyz and /metrics to be reachable.
EXPOSE 9464
# No curl in slim images: node itself asks /healthz. The start period covers the first run's start-up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:9464/healthz',(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).setTimeout(4000,function(){this.destroy();process.exit(1)})"]
# A graceful stop needs shutdown_grace_seconds (default 30) plus a margin: give `docker stop -t 45` or
# stop_grace_period in compose.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["daemon", "--config", "/etc/iam-inventory/config.yaml"]
