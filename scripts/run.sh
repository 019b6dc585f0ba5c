#!/usr/bin/env bash
# Runs the portal at http://127.0.0.1:3000 on SQLite (data/cchc.db) with demo
# content. Installs what is missing first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash scripts/setup.sh
exec cargo leptos serve "$@"
