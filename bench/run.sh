#!/usr/bin/env bash
# The page benchmark (bench/pages.py): builds the release server and site
# (hashed, precompressed assets, as production serves them), then measures
# home, article, category, search and the counter beacon on SQLite and
# PostgreSQL at 100, 10,000 and 100,000 articles, against nginx serving the
# article's HTML as a file. Results: bench/results/<time>.{json,md}.
#
#   bash bench/run.sh                      # everything (about 40 minutes; seeding 100,000 articles is most of it the first time)
#   bash bench/run.sh --sizes 100 --databases sqlite --duration 5
#   bash bench/run.sh --smoke              # what the test command runs: debug build, 100 articles, 1 s per page
#
# Other options: see `python3 bench/pages.py --help`. Needs wrk and nginx
# (Debian packages; installed here when missing) and PostgreSQL at
# 127.0.0.1:5432 for the postgres runs. Traffic stays on loopback.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
fi

export BENCH_COMMAND="bash bench/run.sh $*"
if [ "${1:-}" = "--smoke" ]; then
  shift
  # The debug build the test command has just made.
  exec python3 bench/pages.py --smoke --profile debug --server target/debug/server \
    --site target/site --sizes 100 --duration 1 --connections 8 --modes cached \
    --fresh --prefix cchc_bench_smoke --out target/bench-smoke --results target/bench-smoke "$@"
fi
# Release builds carry no extra flags (as in production).
unset RUSTFLAGS
cargo leptos build --release -P
exec python3 bench/pages.py --server target/release/server --site target/site "$@"
