#!/usr/bin/env bash
# The media benchmark: time to upload and resize a 12-megapixel JPEG through
# the portal's upload route, and each variant's bytes against the original
# (server/examples/media_bench.rs), in a release build.
#   bash bench/media.sh [RUNS] [PHOTO]
# Without PHOTO it uses a real photograph that the Rust registry holds
# (lightningcss's 5512 x 3675 website picture, fetched with cargo-leptos's
# dependencies) when present, else a synthetic picture.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
photo="${2:-$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/lightningcss-1.0.0-alpha.*/website/metal.jpeg 2>/dev/null | head -n1 || true)}"
cargo run --release -p server --example media_bench -- "${1:-5}" ${photo:+"$photo"}
