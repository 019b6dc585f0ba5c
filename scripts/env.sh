# Sourced by the other scripts: the environment every build and test shares.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# cargo-leptos builds debug code with this flag; plain cargo commands use the
# same so that they share one build cache instead of rebuilding each other's.
export RUSTFLAGS="--cfg erase_components"
cd "$ROOT"
