# aftercheck in a container: Debian 13 ("trixie": Node.js 20 and Chromium from Debian's own archive) and the project's
# npm packages from the npm registry; nothing else is downloaded. The default command runs the smoke suite against
# AFTERCHECK_BASE_URL; reports go to /reports (mount a volume to keep them). Build: docker build -t aftercheck .
FROM debian:trixie-slim AS base
ENV DEBIAN_FRONTEND=noninteractive
# Chromium is Debian's (Playwright's own browser download is never used); fonts so reports and screenshots render text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm chromium fonts-dejavu-core ca-certificates git \
 && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium \
    AFTERCHECK_REPORTS_DIR=/reports \
    npm_config_update_notifier=false \
    CI=true
WORKDIR /opt/aftercheck

# The npm packages, built where they need building (better-sqlite3) from source against Debian's Node headers:
# no prebuilt binary is fetched from anywhere but the npm registry.
FROM base AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libnode-dev \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM base
COPY --from=deps /opt/aftercheck/node_modules ./node_modules
COPY . .
RUN useradd --create-home --uid 10001 aftercheck \
 && mkdir -p /reports \
 && chown aftercheck /reports
USER aftercheck
VOLUME ["/reports"]
CMD ["npm", "run", "smoke"]
