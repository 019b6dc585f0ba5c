#!/usr/bin/env bash
# Lighthouse 12 (mobile, its default: simulated slow 4G and a 4x slower CPU)
# on the home page and an article of a running portal, with Debian's
# Chromium: the four category scores and LCP, CLS, TBT, as JSON lines.
#   BASE=http://127.0.0.1:3000 bash bench/lighthouse.sh [PATH ...]
# (bench/weights.sh starts a release server and runs it.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base="${BASE:-http://127.0.0.1:3000}"
if [ ! -x "$here/node_modules/.bin/lighthouse" ] ||
  [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
export CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
[ $# -gt 0 ] || set -- /
for path in "$@"; do
  "$here/node_modules/.bin/lighthouse" "$base$path" --quiet \
    --chrome-flags="--headless=new --no-sandbox" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$out/report.json" >/dev/null
  node -e '
    const r = require(process.argv[1]);
    const score = (k) => Math.round(r.categories[k].score * 100);
    const ms = (k) => Math.round(r.audits[k].numericValue);
    console.log(JSON.stringify({
      path: process.argv[2],
      performance: score("performance"), accessibility: score("accessibility"),
      best_practices: score("best-practices"), seo: score("seo"),
      lcp_ms: ms("largest-contentful-paint"), fcp_ms: ms("first-contentful-paint"),
      cls: Number(r.audits["cumulative-layout-shift"].numericValue.toFixed(3)),
      tbt_ms: ms("total-blocking-time"),
      failing: Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable" && a.scoreDisplayMode !== "manual").map((a) => a.id),
    }));
  ' "$out/report.json" "$path"
done
