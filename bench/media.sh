#!/usr/bin/env bash
# The media benchmark: time to upload and resize a 12-megapixel JPEG through
# the portal's upload route, and each variant's bytes against the original
# (server/examples/media_bench.rs), in a release build.
#   bash bench/media.sh [RUNS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cargo run --release -p server --example media_bench -- "${1:-5}"
