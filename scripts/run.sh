#!/usr/bin/env bash
# Runs the portal at http://127.0.0.1:3000 on SQLite (data/cchc.db) with demo
# content. Installs what is missing first. On the first run it creates demo
# accounts (admin, editor, author) with random passwords and writes them to
# data/demo-accounts.txt (readable by you only). Arguments go to
# `cargo leptos serve`, e.g. --release.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash scripts/setup.sh
release=""
server=target/debug/server
for arg in "$@"; do
  if [ "$arg" = "--release" ]; then release="--release"; server=target/release/server; fi
done
cargo leptos build $release
trunk build $release
mkdir -p data
if [ ! -s data/demo-accounts.txt ]; then
  accounts="$("$server" create-demo-accounts)"
  if [ -n "$accounts" ]; then
    (umask 077 && printf '%s\n' "$accounts" > data/demo-accounts.txt)
    printf '\nDemo accounts (also in data/demo-accounts.txt):\n%s\n\n' "$accounts"
  fi
fi
exec cargo leptos serve "$@"
