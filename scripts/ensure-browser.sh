#!/usr/bin/env bash
# The browser tests drive Debian's chromium through Playwright; install it (and CJK fonts) when missing.
set -euo pipefail
# axe-core (the accessibility checks of tests/e2e/test_accessibility.py) from the npm registry, pinned, into
# .cache/axe; the tests inject it into each page themselves (never from a CDN).
AXE_VERSION=4.14.1
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$ROOT/.cache/axe/node_modules/axe-core/package.json"; then
  npm install --no-save --no-audit --no-fund --silent --prefix "$ROOT/.cache/axe" "axe-core@$AXE_VERSION"
fi
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "The browser tests need Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk" >&2
  exit 1
fi
echo "Installing chromium and fonts-noto-cjk (once)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
