#!/usr/bin/env bash
# Benchmarks search at scale against a release build: writes N synthetic
# articles (default 100,000) into a fresh database and times searches.
#   bash scripts/bench-search.sh [ARTICLES] [DATABASE_URL]
# Default database: a fresh SQLite file. For PostgreSQL, pass an empty database.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
unset RUSTFLAGS
cargo build --release -p server --example search_bench
target="${CARGO_TARGET_DIR:-target}"
exec "$target/release/examples/search_bench" "$@"
