#!/usr/bin/env bash
# A private standalone Apache ZooKeeper on 127.0.0.1, from Debian's package, for tests.
#
#   zk.sh start DIR    install the package if missing (as root), write DIR/zoo.cfg with a free port and DIR/data,
#                      start the server, wait until it answers, print ZK_CONNECT=127.0.0.1:PORT and ZK_PID=PID
#                      (also in DIR/endpoints.env)
#   zk.sh stop DIR     stop exactly the recorded PID (after checking its command line)
#   zk.sh status DIR   print the endpoint and whether the recorded process is alive; exit 1 if not
#
# Nothing outside DIR is used: not /etc/zookeeper, not /var/lib/zookeeper, not the zookeeperd service.
set -euo pipefail

PACKAGE=zookeeper
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

usage() { echo "usage: $0 start|stop|status DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
log() { echo "zk: $*" >&2; }

install_package() {
  dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed' && return 0
  [ "$(id -u)" = 0 ] || { log "need root to install $PACKAGE"; exit 1; }
  log "installing $PACKAGE"
  if ! ( export DEBIAN_FRONTEND=noninteractive
         apt-get -o DPkg::Lock::Timeout=300 update -q
         apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "$PACKAGE" ) >"$DIR/apt.log" 2>&1; then
    log "apt-get failed, see $DIR/apt.log:"; tail -20 "$DIR/apt.log" >&2; exit 1
  fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

answers() { # PORT -> 0 when the server says imok
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf ruok >&3 && timeout 2 cat <&3) 2>/dev/null || true)
  [ "$reply" = imok ]
}

recorded_pid_alive() {
  [ -f "$DIR/pid" ] || return 1
  local pid; pid=$(cat "$DIR/pid")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "ZooKeeperServerMain $DIR/zoo.cfg"
}

start() {
  install_package
  if recorded_pid_alive; then log "stopping the server an earlier run left (pid $(cat "$DIR/pid"))"; stop; fi
  rm -f "$DIR/endpoints.env"
  local port; port=$(free_port)
  mkdir -p "$DIR/data" "$DIR/log"
  cat >"$DIR/zoo.cfg" <<CFG
tickTime=2000
dataDir=$DIR/data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
CFG
  # Debian's jar names its dependencies in its manifest's Class-Path
  /usr/bin/java -Xmx256m -Dzookeeper.log.dir="$DIR/log" -Dzookeeper.root.logger=INFO,CONSOLE \
    -cp "/usr/share/java/zookeeper.jar" org.apache.zookeeper.server.ZooKeeperServerMain "$DIR/zoo.cfg" \
    >"$DIR/log/zookeeper.log" 2>&1 </dev/null &
  echo $! >"$DIR/pid"
  for _ in $(seq 1 150); do
    if answers "$port"; then
      printf 'ZK_CONNECT=127.0.0.1:%s\nZK_PID=%s\n' "$port" "$(cat "$DIR/pid")" | tee "$DIR/endpoints.env"
      return 0
    fi
    kill -0 "$(cat "$DIR/pid")" 2>/dev/null || { log "the server exited; its log:"; tail -30 "$DIR/log/zookeeper.log" >&2; exit 1; }
    sleep 0.2
  done
  log "no answer on 127.0.0.1:$port within 30 s; its log:"; tail -30 "$DIR/log/zookeeper.log" >&2
  stop; exit 1
}

stop() {
  if recorded_pid_alive; then
    local pid; pid=$(cat "$DIR/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/pid"
}

status() {
  [ -f "$DIR/endpoints.env" ] && cat "$DIR/endpoints.env"
  if recorded_pid_alive; then echo "zookeeper: running (pid $(cat "$DIR/pid"))"; else echo "zookeeper: not running"; exit 1; fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
