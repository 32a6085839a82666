# syntax=docker/dockerfile:1
#
# Image for the SIP B2BUA application (the Node/TypeScript part only).
# drachtio-server, FreeSWITCH and Redis run in their own containers, see
# docker-compose.yml and docs/docker.md.
#
# The application is executed from TypeScript sources with `tsx`
# (`npm start` = `tsx src/main.ts`); there is no compile/emit step
# (tsconfig.json has "noEmit": true).  tsx is a devDependency, therefore the
# image installs the full dependency tree, dev dependencies included.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------------------
# Stage 1: install dependencies from the lockfile and (optionally) typecheck.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Dependency layer: only invalidated when package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && npm cache clean --force

# Sources needed to run (and to typecheck) the application.
COPY tsconfig.json ./
COPY src ./src
COPY config ./config
COPY sounds ./sounds

# Fail the build early on type errors.  Disable with
#   docker build --build-arg TYPECHECK=false .
ARG TYPECHECK=true
RUN if [ "$TYPECHECK" = "true" ]; then npx --no-install tsc --noEmit -p tsconfig.json; fi

# ---------------------------------------------------------------------------
# Stage 2: runtime image.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app

# HEALTHCHECK_URL is used by the HEALTHCHECK below; change it if http.port
# differs in the configuration file you run with.
ENV NODE_ENV=production \
    HEALTHCHECK_URL=http://127.0.0.1:8080/health

# Application files stay owned by root (read-only for the runtime user).
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/src ./src
COPY --from=build /app/config ./config
# prompts of the embedded media server (media.mode: embedded); with FreeSWITCH, compose mounts them there
COPY --from=build /app/sounds ./sounds

# The configuration file is selected at run time with CONFIG_FILE (default:
# config/default.yaml).  docker-compose.yml mounts docker/production.yaml at
# /app/config/production.yaml and sets CONFIG_FILE accordingly.

# Unprivileged user provided by the official node image (uid/gid 1000).
USER node

# HTTP endpoint: /health and /metrics.  SIP itself is handled by
# drachtio-server in production, so no SIP port is exposed here.
EXPOSE 8080

# The slim image has no curl/wget: probe with Node's built-in fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Run with an init process (`docker run --init`, or `init: true` in compose)
# so that SIGTERM reaches the application and zombies are reaped.
CMD ["npm", "start"]
