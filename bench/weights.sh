#!/usr/bin/env bash
# Page weight, the phone profile and Lighthouse on a release build with the
# demo content: starts target/release/server on a fresh SQLite database,
# then runs bench/phone.mjs (bytes per page by kind, brotli as served; time
# from first byte to LCP and to interactive under 4x CPU, 1.6 Mbps, 150 ms)
# and bench/lighthouse.sh on the home page and the reference article.
#   bash bench/weights.sh            # builds first (cargo leptos build --release -P)
#   bash bench/weights.sh --no-build
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
if [ "${1:-}" != "--no-build" ]; then
  unset RUSTFLAGS
  cargo leptos build --release -P
fi
dir="$(mktemp -d)"
port=3388
export DATABASE_URL="sqlite://$dir/weights.db?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT=target/site CCHC_PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=warn
target/release/server & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/robots.txt" >/dev/null && break; sleep 0.2; done
article="$(curl -fs "http://127.0.0.1:$port/" | grep -o 'href="/tin-tuc/can-tho-to-chuc[^"]*"' | head -1 | cut -d'"' -f2)"
echo "== bytes and the phone profile"
BASE="http://127.0.0.1:$port" node bench/phone.mjs / "$article"
echo "== Lighthouse (mobile)"
BASE="http://127.0.0.1:$port" bash bench/lighthouse.sh / "$article"
