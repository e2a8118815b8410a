#!/usr/bin/env bash
# Fetches the web pages' npm packages (ECharts for the console's charts; playwright-core and axe-core for
# the browser tests) into web/node_modules from web/package-lock.json, when they are missing or
# older than the lockfile. Idempotent; part of make. The pages themselves need no build step:
# they are plain ES modules served as they are (docs/web.md).
set -euo pipefail
web=$(cd "$(dirname "$0")/../web" && pwd)
stamp=$web/node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt "$web/package-lock.json" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "web: npm is missing (scripts/deps.sh installs it)" >&2; exit 1; }
echo "web: npm ci in $web"
(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
