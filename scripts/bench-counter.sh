#!/usr/bin/env bash
# Benchmarks the visitor counter endpoint against a release build, on
# loopback: hits per second sustained, p99 latency, and hits acknowledged
# minus hits recorded (must be 0).
#   bash scripts/bench-counter.sh [CONNECTIONS] [SECONDS] [DATABASE_URL]
# Default: 32 connections, 10 s, a fresh SQLite file. For PostgreSQL, pass an
# empty database's URL as the third argument.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# Release builds carry no extra flags (as `cargo leptos build --release`).
unset RUSTFLAGS
cargo build --release -p server --bin server --example counter_load
target="${CARGO_TARGET_DIR:-target}"
exec "$target/release/examples/counter_load" "$target/release/server" "$@"
