#!/usr/bin/env bash
# Installs every tool the portal needs to build, run and test, idempotently.
# Quick when everything is already present; the first run on a fresh machine
# compiles cargo-leptos and wasm-bindgen-cli from source (about 25 minutes on
# 2 cores) because the published lockfiles need small fixes for this toolchain.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.11
# Must equal the `wasm-bindgen` version pinned with `=` in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# Downloads a crate's source from crates.io into a scratch directory and prints its path.
crate_source() {
  local name=$1 version=$2 dir
  dir="$(mktemp -d)"
  curl -sSfL "https://static.crates.io/crates/$name/$name-$version.crate" | tar -xz -C "$dir"
  printf '%s/%s-%s' "$dir" "$name" "$version"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    log "adding rustup component $component"
    rustup component add "$component"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (no_downloads) from source"
  src="$(crate_source cargo-leptos "$CARGO_LEPTOS_VERSION")"
  # Its lockfile pins cargo-util-schemas 0.14.2, which needs rustc 1.96.
  (cd "$src" && cargo update -q -p cargo-util-schemas --precise 0.14.1 &&
    cargo install --path . --locked --features no_downloads)
  rm -rf "$(dirname "$src")"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from source"
  src="$(crate_source wasm-bindgen-cli "$WASM_BINDGEN_VERSION")"
  # Its lockfile pins webpki-roots 1.0.11, which the registry here lacks.
  (cd "$src" && { cargo update -q -p webpki-roots --precise 1.0.10 || true; } &&
    cargo install --path . --locked)
  rm -rf "$(dirname "$src")"
fi

# Trunk builds the editors' app (Trunk.toml); 0.21.14 builds on this rustc.
TRUNK_VERSION=0.21.14
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# Debian packages: Chromium for the browser tests, wrk and nginx for the
# benchmark harness (whose smoke run is part of the test command).
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v wrk >/dev/null || packages+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
if [ ${#packages[@]} -gt 0 ]; then
  log "installing Debian's ${packages[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${packages[@]}"
fi

# Node tools (Playwright, axe, binaryen's wasm-opt) come from end2end's lockfile.
if [ ! -d "$ROOT/end2end/node_modules" ] ||
  [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
  log "installing end2end npm packages"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# TipTap and esbuild for the editors' app come from its lockfile.
if [ ! -d "$ROOT/frontend/editor/js/node_modules" ] ||
  [ "$ROOT/frontend/editor/js/package-lock.json" -nt "$ROOT/frontend/editor/js/node_modules/.package-lock.json" ]; then
  log "installing the editor's npm packages"
  (cd "$ROOT/frontend/editor/js" && npm ci --no-audit --no-fund)
fi
# The Rust editor imports the bundle at compile time (wasm-bindgen `module`),
# so it must exist before any cargo command checks that crate; esbuild takes
# a fraction of a second. Trunk's pre-build hook rebuilds it too.
npm run --silent --prefix "$ROOT/frontend/editor/js" build >/dev/null

# Trunk builds offline (Trunk.toml): every crate of the lockfile must be here.
(cd "$ROOT" && cargo fetch --quiet)

log "tools ready"
