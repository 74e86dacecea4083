#!/usr/bin/env bash
# Installs what aftercheck needs and is missing (npm packages, Debian's Chromium and InfluxDB 1.x), or says exactly what to install.
# Idempotent and quiet when everything is present, so `npm run demo` and `npm test` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf 'aftercheck setup: %s\n' "$*" >&2; }

# Node 20.12+ (util.styleText, stable node:test).
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=12)?0:1)' || {
  say "Node.js $(node --version) is too old: aftercheck needs 20.12 or newer. Install it from your distribution or nodejs.org."
  exit 4
}

# npm packages: install when node_modules is missing, or was installed from another lock file. The lock file's hash
# is the stamp (not file times, which every fresh checkout or cache restore changes).
stamp=node_modules/.aftercheck-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules/@playwright/test ] || [ ! -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # npm ci empties node_modules first: through a symbolic link it would empty the tree another checkout uses.
  if [ -L node_modules ]; then
    say "node_modules is a symbolic link ($(readlink node_modules)) and needs a fresh install; npm ci would empty the folder it points to. Replace it with a real folder (rm node_modules), then run the command again."
    exit 4
  fi
  say "installing npm packages (npm ci; better-sqlite3 may compile for ~2 minutes)…"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
fi

missing_pkgs=()
chromium_ok=false
if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then chromium_ok=true; else say "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; fix it or unset it"; exit 4; fi
else
  for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    [ -x "$c" ] && chromium_ok=true && break
  done
fi
# Without recommends (they would pull in upower, udev, a print dialog…), so the one recommended package a headless
# browser does need is named: fonts-liberation, metric-compatible with Arial/Times, so screenshots show readable text.
$chromium_ok || missing_pkgs+=(chromium fonts-liberation)
command -v influxd >/dev/null 2>&1 || [ -x /usr/bin/influxd ] || missing_pkgs+=(influxdb)

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(none); fi
  fi
  if command -v apt-get >/dev/null 2>&1 && [ "${as_root[0]:-}" != none ]; then
    say "installing Debian packages: ${missing_pkgs[*]} (browsers cannot be downloaded by Playwright here; Debian's are used)…"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    # --no-install-recommends: only what aftercheck runs (a default install also upgrades systemd and adds avahi-daemon).
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >&2
  else
    say "missing: ${missing_pkgs[*]}. Install them, then run the command again:"
    if command -v apt-get >/dev/null 2>&1; then
      say "  sudo apt-get install -y --no-install-recommends ${missing_pkgs[*]}"
    else
      say "  - Chromium (any recent build), then export CHROMIUM_PATH=/path/to/chromium"
      say "  - InfluxDB 1.x (the influxd binary on PATH), e.g. from your distribution or influxdata.com"
    fi
    exit 4
  fi
fi
