#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its URL on stdout (nothing else goes
# to stdout, so `url=$(scripts/start_test_postgres.sh)` works). Everything lives in a fresh temp
# folder; the server listens on 127.0.0.1 on a free port and trusts local connections, so never use
# it for anything but tests. Stop it with the command printed on stderr.
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (or a
# `claimgraph-pg` user created for the purpose). When no server binaries are found and we are root,
# they are installed with apt-get.
set -euo pipefail

log() { echo "start_test_postgres: $*" >&2; }

find_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return 0; fi
  local d
  # Newest installed major version first.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

BIN=$(find_bin) || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "no PostgreSQL server found; installing it with apt-get"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    BIN=$(find_bin) || { log "PostgreSQL still missing after apt-get"; exit 1; }
  else
    log "no PostgreSQL server binaries (initdb, pg_ctl); install the 'postgresql' package"
    exit 1
  fi
}

RUN_AS=""
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then
    RUN_AS=postgres
  else
    id claimgraph-pg >/dev/null 2>&1 || useradd --system --no-create-home claimgraph-pg
    RUN_AS=claimgraph-pg
  fi
fi

as_user() {
  if [ -n "$RUN_AS" ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u "$RUN_AS" -- "$@"
    else su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

# /tmp rather than $TMPDIR when the server runs as another user: TMPDIR may sit under a home folder
# that user cannot enter; the short path also keeps the Unix socket path under its length limit.
if [ -n "$RUN_AS" ]; then BASE=/tmp; else BASE="${TMPDIR:-/tmp}"; fi
DIR=$(mktemp -d "$BASE/claimgraph-pg.XXXXXX")
chmod 755 "$DIR"
[ -n "$RUN_AS" ] && chown "$RUN_AS" "$DIR"

# A free port: bind port 0 and read what the kernel gave (a tiny race, fine for a test server).
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_user "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 \
  || as_user "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 \
  || { log "initdb failed, see $DIR/initdb.log"; cat "$DIR/initdb.log" >&2; exit 1; }

# fsync off: a test server's data is thrown away, and the tests run several times faster.
as_user "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >&2 || { log "server did not start, see $DIR/server.log"; cat "$DIR/server.log" >&2; exit 1; }

log "stop with: ${RUN_AS:+runuser -u $RUN_AS -- }$BIN/pg_ctl -D $DIR/data stop -m fast && rm -rf $DIR"
echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
