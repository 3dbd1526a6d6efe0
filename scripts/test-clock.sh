#!/usr/bin/env bash
# `npm run test:clock`: the whole vitest suite with the machine's clock moved by libfaketime (Debian package
# `faketime`), to prove no test depends on today's date: a day in a year with official holiday data, a day in a
# year without it (provisional working days), and a day years ahead. Each pass runs even when an earlier one fails.
# DATES overrides the list (space-separated `YYYY-MM-DD HH:MM:SS`, Beijing time).
set -u
cd "$(dirname "$0")/.."
if ! command -v faketime >/dev/null; then
  echo "test:clock: faketime is not installed (apt-get install faketime)" >&2
  exit 1
fi
IFS=$'\n' read -r -d '' -a dates <<< "${DATES:-2026-12-01 09:30:00
2027-03-15 14:00:00
2031-01-01 00:10:00}"
zones=(Asia/Shanghai America/Los_Angeles)
failed=()
i=0
for d in "${dates[@]}"; do
  [ -z "$d" ] && continue
  tz=${zones[$((i % 2))]}; i=$((i + 1))
  # The clock starts at $d and runs on (the @ form); monotonic time stays real, so timers behave.
  seen=$(TZ=Asia/Shanghai DONT_FAKE_MONOTONIC=1 faketime -f "@$d" date '+%Y-%m-%d %H:%M')
  echo "== vitest with the clock at $d Beijing time (the faked clock reads $seen), TZ=$tz"
  if ! TZ=Asia/Shanghai DONT_FAKE_MONOTONIC=1 faketime -f "@$d" env TZ="$tz" npx vitest run; then failed+=("$d ($tz)"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test:clock: FAILED at: ${failed[*]}" >&2
  exit 1
fi
echo "test:clock: all passed at every moved clock"
