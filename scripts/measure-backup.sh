#!/usr/bin/env bash
# Times npm run backup and npm run restore on a year of generated history (the August 2020
# bulletin's mix, twelve months through the public feed API, as scripts/load-month.mjs loads
# them), on Redis instances and a server of its own; removes everything it started.
#   bash scripts/measure-backup.sh [FROM-MONTH] [TO-MONTH]     (default 2019-09 2020-08)
# Needs the build (npm run build), redis-server and redis-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
from=${1:-2019-09}
to=${2:-2020-08}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
redis() { # dir port
  mkdir -p "$1"
  redis-server --port "$2" --bind 127.0.0.1 --dir "$1" --appendonly yes --appendfsync everysec --save '' --hz 100 >"$1/log" 2>&1 &
  pids+=($!)
  until redis-cli -p "$2" ping >/dev/null 2>&1; do sleep 0.1; done
}
secs() { echo "scale=1; ($(date +%s%N) - $1) / 1000000000" | bc; }

r1=$(port)
redis "$work/r1" "$r1"
api=$(port)
export FEED_TOKEN=measure-feed-token-0123456789 ADMIN_PASSWORD=measure-admin-1 JWT_SECRET=measure-jwt-secret-0123456789-0123456789
PORT=$api HOST=127.0.0.1 REDIS_URL=redis://127.0.0.1:$r1 SIMULATE=off DEADLINE_WORKER=off DATA_DIR=$work/data node server/dist/main.js >"$work/server.log" 2>&1 &
pids+=($!)
until curl -fs "http://127.0.0.1:$api/api/health" >/dev/null; do sleep 0.2; done

t=$(date +%s%N)
node scripts/load-month.mjs --from "$from" --to "$to" --url "http://127.0.0.1:$api" >"$work/load.log" 2>&1
echo "load $from..$to: $(secs "$t") s, $(redis-cli -p "$r1" get wall:seq) events, Redis used_memory $(redis-cli -p "$r1" info memory | tr -d '\r' | sed -n 's/^used_memory_human://p')"

t=$(date +%s%N)
node scripts/backup.mjs --redis "redis://127.0.0.1:$r1" --out "$work/backup" --data-dir "$work/data" >/dev/null
echo "backup: $(secs "$t") s, $(du -sh "$work/backup" | cut -f1) on disk (dump.rdb $(stat -c %s "$work/backup/dump.rdb") bytes)"

r2=$(port)
redis "$work/r2" "$r2"
t=$(date +%s%N)
node scripts/restore.mjs --from "$work/backup" --redis "redis://127.0.0.1:$r2" --data-dir "$work/data2" >/dev/null
echo "restore: $(secs "$t") s, $(redis-cli -p "$r2" dbsize) keys (source $(redis-cli -p "$r1" dbsize))"
