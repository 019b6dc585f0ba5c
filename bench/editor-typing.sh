#!/usr/bin/env bash
# Typing latency in the editors' app on a 20,000-word article: starts the
# built portal on a loopback port with a fresh SQLite database and an editor
# account, creates the article through the editors' server functions, types
# into it in Chromium and reports the time from each keydown to the next
# painted frame (p50, p95, max, in ms).
#   bash bench/editor-typing.sh [WORDS] [KEYSTROKES]
# Build first: source scripts/env.sh && cargo leptos build --release && trunk build --release
# (a debug build works too, and is slower).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
words="${1:-20000}"
keys="${2:-200}"
server=target/release/server
[ -x "$server" ] || server=target/debug/server
dir="$(mktemp -d)"
port=3377
password="ban-thu-do-toc-do-go"
export DATABASE_URL="sqlite://$dir/bench.db?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn
printf '%s\n' "$password" | "$server" create-user bench --role editor --name "Đo tốc độ" >/dev/null
"$server" & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/robots.txt" >/dev/null && break; sleep 0.2; done
BASE="http://127.0.0.1:$port" PASSWORD="$password" WORDS="$words" KEYS="$keys" \
  node bench/editor-typing.mjs
