#!/usr/bin/env bash
# `npm test`: type check, lint, then the whole vitest suite in two time zones. Every step runs even when an
# earlier one fails (a red Shanghai pass must not hide the Los Angeles one); the exit status is non-zero if any failed.
set -u
cd "$(dirname "$0")/.."
failed=()
step() {
  local name=$1; shift
  echo "== $name: $*"
  if ! "$@"; then failed+=("$name"); fi
}
step typecheck npx tsc --noEmit
step lint npx eslint .
step "vitest TZ=Asia/Shanghai" env TZ=Asia/Shanghai npx vitest run
step "vitest TZ=America/Los_Angeles" env TZ=America/Los_Angeles npx vitest run
if [ ${#failed[@]} -gt 0 ]; then
  echo "npm test: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "npm test: all passed (typecheck, lint, vitest in Asia/Shanghai and America/Los_Angeles)"
