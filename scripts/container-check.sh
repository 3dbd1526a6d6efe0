#!/usr/bin/env bash
# The container image's steps (deploy/Dockerfile) without a Docker engine, in a clean folder, as an unprivileged
# user, then the result started as the image starts it: the compiled build with production dependencies only, no
# sources, no TypeScript, a read-only application folder, the ledger on a separate data folder.
#   1. deps:    package.json, package-lock.json, bin/  ->  npm ci --omit=dev  (no TypeScript; `prepare` has nothing to do)
#   2. build:   package files, tsconfig*, config/, src/, adapters/, bin/  ->  npm ci  (`prepare` compiles dist/)
#   3. runtime: deps' node_modules + build's dist/ + bin/ + package.json, made read-only
# Then: the image's HEALTHCHECK command answers, /readyz is 200, a console command is recorded, and `backup` and
# `verify` run from the shipped build. It runs `npm ci` twice against the registry (minutes): run it from CI on
# its own, not inside the test suite.
#
# Usage: scripts/container-check.sh            (from the repository root; KEEP=1 keeps the folder)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pboc-image.XXXXXX")"
BOT_PID=""
cleanup() {
  [ -n "$BOT_PID" ] && kill "$BOT_PID" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"; fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'container-check: FAILED: %s\n' "$*" >&2; exit 1; }

# As root (a CI container), everything below runs as `nobody`; otherwise as the calling (unprivileged) user.
if [ "$(id -u)" = 0 ]; then
  AS=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  OWNER=65534:65534
else
  AS=()
  OWNER=""
fi
mkdir -p "$WORK/deps" "$WORK/build" "$WORK/app" "$WORK/data" "$WORK/home"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$WORK/deps/"
cp -r "$ROOT/bin" "$WORK/deps/"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$ROOT/tsconfig.json" "$ROOT/tsconfig.build.json" "$WORK/build/"
cp -r "$ROOT/bin" "$ROOT/config" "$ROOT/src" "$ROOT/adapters" "$WORK/build/"
[ -n "$OWNER" ] && chown -R "$OWNER" "$WORK"
chmod 755 "$WORK"
# npm's settings that reach the registry (CA file, registry, proxy, node headers) carried over explicitly: the
# unprivileged user has neither this user's HOME nor its environment.
NPM_ENV=(HOME="$WORK/home" npm_config_cache="$WORK/home/.npm" npm_config_update_notifier=false)
for key in registry cafile nodedir; do
  v="$(npm config get "$key" 2>/dev/null || true)"
  [ -n "$v" ] && [ "$v" != null ] && [ "$v" != undefined ] && NPM_ENV+=("npm_config_$key=$v")
done
for var in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy NODE_EXTRA_CA_CERTS SSL_CERT_FILE; do
  [ -n "${!var:-}" ] && NPM_ENV+=("$var=${!var}")
done
run() { (cd "$1" && shift && env -i PATH="$PATH" "${NPM_ENV[@]}" "$@"); }
as() { local dir="$1"; shift; run "$dir" "${AS[@]}" "$@"; }

step "deps stage: npm ci --omit=dev (as $(${AS[@]+"${AS[@]}"} id -un 2>/dev/null || echo nobody))"
as "$WORK/deps" npm ci --omit=dev --no-audit --no-fund
[ -d "$WORK/deps/node_modules/typescript" ] && fail "TypeScript was installed by npm ci --omit=dev"
[ -d "$WORK/deps/node_modules/better-sqlite3" ] || fail "better-sqlite3 is missing from the production dependencies"

step "build stage: npm ci (prepare compiles dist/)"
as "$WORK/build" npm ci --no-audit --no-fund
[ -f "$WORK/build/dist/build-stamp.json" ] || fail "the build wrote no dist/build-stamp.json"

step "runtime stage: node_modules (production) + dist/ + bin/ + package.json, read-only"
cp -r "$WORK/deps/node_modules" "$WORK/build/dist" "$WORK/build/bin" "$WORK/build/package.json" "$WORK/app/"
[ -n "$OWNER" ] && chown -R root:root "$WORK/app"
chmod -R a-w "$WORK/app"
[ -n "$OWNER" ] && chown "$OWNER" "$WORK/data"
for d in src adapters node_modules/typescript node_modules/tsx; do [ -e "$WORK/app/$d" ] && fail "$d is in the runtime image"; done

PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
APP_ENV=(NODE_ENV=production TZ=Asia/Shanghai SQLITE_PATH="$WORK/data/pboc-incident.db" REPORTS_DIR="$WORK/data/reports" HTTP_PORT="$PORT" HTTP_HOST=127.0.0.1 STORE_CREATE=1 BOT_CLOCK_START=2026-12-04T09:00+08:00)

step "start: node bin/start.js (console bot, HTTP on 127.0.0.1:$PORT)"
mkfifo "$WORK/stdin"
chmod 666 "$WORK/stdin"
(cd "$WORK/app" && exec env -i PATH="$PATH" HOME="$WORK/home" "${APP_ENV[@]}" ${AS[@]+"${AS[@]}"} node bin/start.js <"$WORK/stdin" >"$WORK/stdout.log" 2>"$WORK/stderr.log") &
BOT_PID=$!
exec 3>"$WORK/stdin"

# The image's own HEALTHCHECK command, taken from the Dockerfile, run the way Docker runs it (in the app folder).
HEALTH_JSON="$(sed -n 's/^ *CMD \(\[.*livez.*\]\)$/\1/p' "$ROOT/deploy/Dockerfile")"
[ -n "$HEALTH_JSON" ] || fail "no HEALTHCHECK CMD on /livez in deploy/Dockerfile"
mapfile -t HEALTH < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$HEALTH_JSON")
ready=""
for _ in $(seq 1 300); do
  if (cd "$WORK/app" && env -i PATH="$PATH" HTTP_PORT="$PORT" "${HEALTH[@]}") 2>/dev/null \
     && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ]; then ready=1; break; fi
  kill -0 "$BOT_PID" 2>/dev/null || { cat "$WORK/stderr.log" >&2; fail "the bot exited at start-up"; }
  sleep 0.2
done
[ -n "$ready" ] || { cat "$WORK/stderr.log" >&2; fail "HEALTHCHECK (/livez) and /readyz did not both answer"; }
echo "HEALTHCHECK ok, /readyz 200"

echo "/incident new 容器检查：网银登录失败" >&3
for _ in $(seq 1 300); do grep -q '已新建事件 INC-20261204-01' "$WORK/stdout.log" && break; sleep 0.2; done
grep -q '已新建事件 INC-20261204-01' "$WORK/stdout.log" || { cat "$WORK/stdout.log" "$WORK/stderr.log" >&2; fail "the console command was not recorded"; }
echo "console command recorded"

step "backup and verify from the shipped build"
(cd "$WORK/app" && env -i PATH="$PATH" HOME="$WORK/home" "${APP_ENV[@]}" ${AS[@]+"${AS[@]}"} node bin/pboc-incident.js backup --to "$WORK/data/backup.db" >/dev/null) || fail "backup"
(cd "$WORK/app" && env -i PATH="$PATH" HOME="$WORK/home" ${AS[@]+"${AS[@]}"} node bin/pboc-incident.js verify --file "$WORK/data/backup.db" >/dev/null) || fail "verify"
grep -q 'rebuilding' "$WORK/stderr.log" && fail "the shipped build was rebuilt at start"

exec 3>&-
wait "$BOT_PID" || true
BOT_PID=""
printf '\ncontainer-check: ok (deps, build, runtime as %s; no sources or TypeScript in the runtime)\n' "$([ -n "$OWNER" ] && echo nobody || id -un)"
