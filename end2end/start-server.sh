#!/usr/bin/env bash
# Starts the built portal for the end-to-end tests: a fresh SQLite database
# with the demo content and the test accounts (their password comes from
# the test configuration, through CCHC_E2E_PASSWORD).
set -euo pipefail
rm -rf target/e2e && mkdir -p target/e2e
for account in "tacgia author Tác giả Một" "tacgia2 author Tác giả Hai" "bientap editor Biên tập viên" "bientap2 editor Biên tập viên Hai" "quantri admin Quản trị viên"; do
  read -r username role name <<<"$account"
  printf '%s\n' "$CCHC_E2E_PASSWORD" | target/debug/server create-user "$username" --role "$role" --name "$name" >/dev/null
done
exec target/debug/server
