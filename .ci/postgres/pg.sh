#!/usr/bin/env bash
# A private PostgreSQL 15 cluster on 127.0.0.1, from Debian's packages, for tests.
#
#   pg.sh start DIR     install postgresql if missing; the first time, initdb a cluster in a fresh temp dir (owned by
#                       an unprivileged user: initdb and postgres refuse to run as root) with a database and a
#                       password user; start postgres on 127.0.0.1 on a free port (the same port again after a stop),
#                       wait until it accepts connections; print KEY=VALUE lines (also in DIR/endpoints.env)
#   pg.sh stop DIR      stop exactly the recorded postmaster PID (after checking its command line); keeps the data
#   pg.sh destroy DIR   stop, then remove the data directory
#   pg.sh status DIR    print the endpoints and whether the recorded process is alive; exit 1 if not
#
# DIR holds only the records (endpoints.env, pid, the data dir's path, logs); the data dir itself is under /tmp,
# where the unprivileged user can reach it whatever the permissions of DIR's parents.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

usage() { echo "usage: $0 start|stop|destroy|status DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
log() { echo "pg.sh: $*" >&2; }

install_packages() {
  [ -x "$PG_BIN/postgres" ] && return 0
  [ "$(id -u)" = 0 ] || { log "need root to install postgresql"; exit 1; }
  log "installing postgresql"
  local own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then # the package must not start Debian's own cluster
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local rc=0
  (
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -q >"$DIR/apt.log" 2>&1
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends postgresql >>"$DIR/apt.log" 2>&1
  ) || rc=$?
  [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
  if [ $rc -ne 0 ]; then log "apt-get failed ($rc), see $DIR/apt.log:"; tail -20 "$DIR/apt.log" >&2; exit 1; fi
  [ -x "$PG_BIN/postgres" ] || { log "no $PG_BIN/postgres after installing postgresql"; exit 1; }
}

# as_user CMD...: runs CMD as the cluster's owner (exec'ed, so a background PID is postgres's own)
as_user() {
  if [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid="$OWNER" --regid="$(id -g "$OWNER")" --init-groups "$@"
  else
    exec "$@"
  fi
}

free_port() { # a port nothing listens on (no python3 needed on a fresh machine)
  # below the kernel's ephemeral range: a port there may be the local end of another process's connection, which
  # a connect test does not see and which makes postgres's bind fail ("Address already in use")
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$low" -gt 21000 ] 2>/dev/null || low=32768
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % (low - 20000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  log "no free port found"; exit 1
}

alive() { # PID CMDLINE
  [ -r "/proc/$1/cmdline" ] && [ "$(tr '\0' ' ' </proc/$1/cmdline)" = "$2" ]
}

owner() {
  if [ "$(id -u)" != 0 ]; then id -un
  elif id postgres >/dev/null 2>&1; then echo postgres
  else echo nobody
  fi
}

do_init() {
  DATA=$(mktemp -d /tmp/autosync-pg.XXXXXX)
  local password; password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
  printf '%s\n' "$password" >"$DATA.pw"
  chown -R "$OWNER" "$DATA" "$DATA.pw"
  chmod 700 "$DATA"
  ( as_user "$PG_BIN/initdb" -D "$DATA/data" -U autosync --pwfile="$DATA.pw" -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 ) >"$DIR/initdb.log" 2>&1 \
    || { log "initdb failed:"; tail -20 "$DIR/initdb.log" >&2; exit 1; }
  rm -f "$DATA.pw"
  echo "$DATA" >"$DIR/datadir"
  cat >"$DIR/endpoints.env" <<ENV
PG_HOST=127.0.0.1
PG_PORT=$(free_port)
PG_DATABASE=autosync
PG_USER=autosync
PG_PASSWORD=$password
ENV
}

do_start() {
  install_packages
  OWNER=$(owner)
  [ -s "$DIR/datadir" ] && [ -d "$(cat "$DIR/datadir")/data" ] || do_init
  DATA=$(cat "$DIR/datadir")
  # shellcheck disable=SC1091
  . "$DIR/endpoints.env"
  if [ -s "$DIR/pid" ] && alive "$(cut -f1 "$DIR/pid")" "$(cut -f2 "$DIR/pid")"; then
    cat "$DIR/endpoints.env"; return 0
  fi
  local t0=$SECONDS
  ( setsid bash -c "$(declare -f as_user); OWNER=$OWNER; as_user \"\$@\"" _ "$PG_BIN/postgres" -D "$DATA/data" \
      -c listen_addresses=127.0.0.1 -p "$PG_PORT" -c unix_socket_directories="$DATA" -c fsync=off \
      -c max_connections=100 >>"$DIR/postgres.log" 2>&1 </dev/null & echo $! >"$DIR/pid.tmp" )
  local pid; pid=$(cat "$DIR/pid.tmp"); rm -f "$DIR/pid.tmp"
  sleep 0.1
  printf '%s\t%s\n' "$pid" "$(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null)" >"$DIR/pid"
  for _ in $(seq 300); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
    [ -d "/proc/$pid" ] || { log "postgres exited:"; tail -20 "$DIR/postgres.log" >&2; exit 1; }
    sleep 0.1
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || { log "postgres not ready in 30 s"; tail -20 "$DIR/postgres.log" >&2; exit 1; }
  if [ ! -e "$DATA/created" ]; then
    ( as_user "$PG_BIN/createdb" -h "$DATA" -p "$PG_PORT" -U autosync "$PG_DATABASE" ) >>"$DIR/postgres.log" 2>&1 \
      || { log "createdb failed"; tail -5 "$DIR/postgres.log" >&2; exit 1; }
    touch "$DATA/created"
  fi
  log "postgres $pid ready on 127.0.0.1:$PG_PORT in $((SECONDS - t0)) s"
  cat "$DIR/endpoints.env"
}

do_stop() {
  [ -s "$DIR/pid" ] || { log "not running"; return 0; }
  local pid cmdline
  IFS=$'\t' read -r pid cmdline <"$DIR/pid"
  if alive "$pid" "$cmdline"; then
    kill -INT "$pid" 2>/dev/null || true # fast shutdown: disconnects the clients, no waiting for them
    for _ in $(seq 100); do alive "$pid" "$cmdline" || break; sleep 0.1; done
    if alive "$pid" "$cmdline"; then log "killing postgres ($pid)"; kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$DIR/pid"
  log "stopped"
}

do_destroy() {
  do_stop
  if [ -s "$DIR/datadir" ]; then
    local data; data=$(cat "$DIR/datadir")
    case $data in /tmp/autosync-pg.*) rm -rf "$data" ;; esac
    rm -f "$DIR/datadir" "$DIR/endpoints.env"
  fi
}

do_status() {
  [ -s "$DIR/pid" ] || { echo "not running"; return 1; }
  local pid cmdline
  IFS=$'\t' read -r pid cmdline <"$DIR/pid"
  cat "$DIR/endpoints.env"
  if alive "$pid" "$cmdline"; then echo "postgres $pid running"; else echo "postgres $pid dead"; return 1; fi
}

case $cmd in
  start) do_start ;;
  stop) do_stop ;;
  destroy) do_destroy ;;
  status) do_status ;;
  *) usage ;;
esac
