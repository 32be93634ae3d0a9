#!/usr/bin/env bash
# A one-node OpenStack Swift ("all in one") on 127.0.0.1, from Debian 12's packages, for tests.
#
#   swift-aio.sh start DIR    install packages if missing, build rings, start memcached, account,
#                             container and object servers and a proxy (tempauth + s3api) under DIR,
#                             wait for the healthcheck, print KEY=VALUE lines (also in DIR/endpoints.env)
#   swift-aio.sh keystone DIR add Keystone v3 to the running cluster: install its packages if missing, bootstrap
#                             a sqlite Keystone under uwsgi, start a second proxy (authtoken + keystoneauth) on the
#                             same servers, register it as the object-store endpoint; print KEYSTONE_* lines (also
#                             appended to DIR/endpoints.env). About 20 s; opt-in because the tempauth tests don't need it
#   swift-aio.sh stop DIR     stop exactly the recorded PIDs (after checking their command lines), unmount
#   swift-aio.sh status DIR   print the endpoints and whether each recorded process is alive; exit 1 if not
#
# Needs root (apt-get, loop mount). Everything lives under DIR: configs, rings, a private swift.conf (the
# servers are started through a small Python wrapper that points Swift at it, so /etc/swift is never used),
# a loop-mounted XFS image as the only device (ext4 caps xattrs at ~4 KiB and Swift keeps metadata there),
# logs and the PID records. Ports are free ephemeral ports picked at start. See
# /work/shared/notes/swift-on-loopback.md for why each setting is there.
set -euo pipefail

PACKAGES="swift swift-proxy swift-account swift-container swift-object python3-swift memcached xfsprogs curl"
# not the "keystone" package: its debconf/dbconfig prompts hang a non-interactive install
KEYSTONE_PACKAGES="python3-keystone python3-keystonemiddleware uwsgi-core uwsgi-plugin-python3"
KEYSTONE_TOKEN_LIFE="${SWIFT_AIO_KEYSTONE_TOKEN_LIFE:-600}"
TOKEN_LIFE="${SWIFT_AIO_TOKEN_LIFE:-60}"              # seconds; short so that token refresh is testable
MAX_FILE_SIZE="${SWIFT_AIO_MAX_FILE_SIZE:-20971520}"  # 20 MiB: larger objects must be SLOs
IMAGE_SIZE="${SWIFT_AIO_IMAGE_SIZE:-4G}"              # sparse
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"  # Debian's python3 (has the swift module), not a pyenv shim

usage() { echo "usage: $0 start|keystone|stop|status DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
RUN="$DIR/run"
log() { echo "swift-aio: $*" >&2; }

install_packages() { # [PACKAGE...], default $PACKAGES
  local missing="" wanted="${*:-$PACKAGES}"
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || { log "need root to install:$missing"; exit 1; }
  log "installing$missing"
  local own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local rc=0
  (
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -q >"$DIR/apt.log" 2>&1
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends $missing >>"$DIR/apt.log" 2>&1
  ) || rc=$?
  [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
  if [ $rc -ne 0 ]; then log "apt-get failed ($rc), see $DIR/apt.log:"; tail -20 "$DIR/apt.log" >&2; exit 1; fi
}

free_ports() { # N -> N distinct free TCP ports on 127.0.0.1
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# start NAME CMD... : setsid'ed, recorded as "PID<TAB>NAME<TAB>cmdline" in $RUN/pids
spawn() {
  local name=$1; shift
  setsid "$@" >"$DIR/log/$name.log" 2>&1 </dev/null &
  local pid=$!
  sleep 0.05
  printf '%s\t%s\t%s\n' "$pid" "$name" "$(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null || echo "$*")" >>"$RUN/pids"
}

write_configs() {
  local mc=$1 acc=$2 con=$3 obj=$4 proxy=$5
  mkdir -p "$DIR/etc" "$DIR/log" "$RUN" "$DIR/srv/node/d1" "$DIR/cache"
  cat >"$DIR/etc/swift.conf" <<CONF
[swift-hash]
swift_hash_path_prefix = aio-prefix
swift_hash_path_suffix = aio-suffix

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
max_file_size = $MAX_FILE_SIZE
CONF
  local common="[DEFAULT]
bind_ip = 127.0.0.1
workers = 0
user = root
swift_dir = $DIR/etc
devices = $DIR/srv/node
mount_check = false
log_name = %s
"
  for s in account container object; do
    local port; case $s in account) port=$acc;; container) port=$con;; object) port=$obj;; esac
    { printf "$common" "$s-server"; cat <<CONF
bind_port = $port

[pipeline:main]
pipeline = healthcheck recon $s-server

[app:$s-server]
use = egg:swift#$s

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:recon]
use = egg:swift#recon
recon_cache_path = $DIR/cache
CONF
    } >"$DIR/etc/$s-server.conf"
  done
  { printf "$common" "proxy-server"; cat <<CONF
bind_port = $proxy

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl ratelimit s3api tempauth copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
allow_account_management = true
account_autocreate = true
error_suppression_interval = 1

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
token_life = $TOKEN_LIFE
storage_url_scheme = default

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$mc

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:tempurl]
use = egg:swift#tempurl
[filter:ratelimit]
use = egg:swift#ratelimit
[filter:copy]
use = egg:swift#copy
[filter:container-quotas]
use = egg:swift#container_quotas
[filter:account-quotas]
use = egg:swift#account_quotas
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
[filter:symlink]
use = egg:swift#symlink
CONF
  } >"$DIR/etc/proxy-server.conf"

  # one Python run instead of nine swift-ring-builder calls
  /usr/bin/python3 - "$DIR/etc" "$acc" "$con" "$obj" <<'PY'
import sys
from swift.common.ring import RingBuilder
etc, ports = sys.argv[1], dict(zip(("account", "container", "object"), map(int, sys.argv[2:5])))
for name, port in ports.items():
    b = RingBuilder(8, 1, 1)
    b.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": port, "device": "d1", "weight": 100})
    b.rebalance()
    b.save(f"{etc}/{name}.builder")
    b.get_ring().save(f"{etc}/{name}.ring.gz")
PY

  # runs a Swift server with DIR/etc/swift.conf instead of /etc/swift/swift.conf
  cat >"$DIR/etc/run-server.py" <<PY
import sys
import swift.common.utils as utils
utils.SWIFT_CONF_FILE = "$DIR/etc/swift.conf"
from swift.common.wsgi import run_wsgi
sys.exit(run_wsgi(sys.argv[1], sys.argv[2], verbose=True))
PY
}

wait_healthy() { # URL...
  local deadline=$((SECONDS + 60)) url
  for url in "$@"; do
    until curl -fsS -m 2 "$url" >/dev/null 2>&1; do
      if [ $SECONDS -ge $deadline ]; then log "not healthy: $url"; tail -30 "$DIR"/log/*.log >&2; return 1; fi
      sleep 0.2
    done
  done
}

do_start() {
  [ "$(id -u)" = 0 ] || { log "must run as root (apt-get, loop mount)"; exit 1; }
  if [ -s "$RUN/pids" ] && do_status >/dev/null 2>&1; then
    log "already running"; cat "$DIR/endpoints.env"; return 0
  fi
  [ -s "$RUN/pids" ] && do_stop
  install_packages
  local t0=$SECONDS
  rm -rf "$DIR/etc" "$DIR/log" "$RUN" "$DIR/cache" "$DIR/keystone"
  mkdir -p "$DIR/srv/node/d1" "$RUN" "$DIR/log"
  read -r mc acc con obj proxy <<<"$(free_ports 5)"
  write_configs "$mc" "$acc" "$con" "$obj" "$proxy"
  if ! mountpoint -q "$DIR/srv/node/d1"; then
    rm -f "$DIR/d1.img"
    truncate -s "$IMAGE_SIZE" "$DIR/d1.img"
    mkfs.xfs -q "$DIR/d1.img"
    mount -o loop,noatime "$DIR/d1.img" "$DIR/srv/node/d1"
    echo "$DIR/srv/node/d1" >"$RUN/mount"
  fi
  spawn memcached memcached -u root -l 127.0.0.1 -p "$mc" -U 0 -m 32
  for s in account container object proxy; do
    spawn "$s" /usr/bin/python3 "$DIR/etc/run-server.py" "$DIR/etc/$s-server.conf" "$s-server"
  done
  if ! wait_healthy "http://127.0.0.1:$acc/healthcheck" "http://127.0.0.1:$con/healthcheck" \
       "http://127.0.0.1:$obj/healthcheck" "http://127.0.0.1:$proxy/healthcheck"; then
    do_stop; exit 1
  fi
  cat >"$DIR/endpoints.env" <<ENV
SWIFT_AUTH_URL=http://127.0.0.1:$proxy/auth/v1.0
SWIFT_USER=test:tester
SWIFT_KEY=testing
SWIFT_PROXY_URL=http://127.0.0.1:$proxy
SWIFT_STORAGE_URL=http://127.0.0.1:$proxy/v1/AUTH_test
SWIFT_TOKEN_LIFE=$TOKEN_LIFE
SWIFT_MAX_FILE_SIZE=$MAX_FILE_SIZE
S3_ENDPOINT=http://127.0.0.1:$proxy
S3_ACCESS_KEY=test:tester
S3_SECRET_KEY=testing
S3_REGION=us-east-1
ENV
  log "healthy in $((SECONDS - t0)) s"
  cat "$DIR/endpoints.env"
}

# Keystone v3 and a second proxy (authtoken + keystoneauth) in front of the running cluster's servers
do_keystone() {
  [ "$(id -u)" = 0 ] || { log "must run as root (apt-get)"; exit 1; }
  do_status >/dev/null 2>&1 || { log "the cluster is not running: $0 start $DIR first"; exit 1; }
  if grep -q '^KEYSTONE_URL=' "$DIR/endpoints.env" 2>/dev/null; then
    grep '^KEYSTONE_' "$DIR/endpoints.env"; return 0
  fi
  install_packages $KEYSTONE_PACKAGES
  local t0=$SECONDS ks kproxy mc
  read -r ks kproxy <<<"$(free_ports 2)"
  mc=$(sed -n 's/^memcache_servers = 127.0.0.1://p' "$DIR/etc/proxy-server.conf")
  local K="$DIR/keystone" admin_pw="aio-admin-$RANDOM$RANDOM" user_pw="aio-user-$RANDOM$RANDOM"
  rm -rf "$K"; mkdir -p "$K"
  cat >"$K/keystone.conf" <<CONF
[database]
connection = sqlite:///$K/keystone.db

[token]
provider = fernet
expiration = $KEYSTONE_TOKEN_LIFE

[fernet_tokens]
key_repository = $K/fernet-keys

[credential]
key_repository = $K/credential-keys
CONF
  local km="keystone-manage --config-file $K/keystone.conf"
  {
    $km db_sync
    # Keystone opens a second connection inside one request: without WAL, "database is locked"
    /usr/bin/python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL").fetchone())' "$K/keystone.db"
    $km fernet_setup --keystone-user root --keystone-group root
    $km credential_setup --keystone-user root --keystone-group root
    $km bootstrap --bootstrap-password "$admin_pw" --bootstrap-region-id RegionOne \
      --bootstrap-admin-url "http://127.0.0.1:$ks/v3/" --bootstrap-internal-url "http://127.0.0.1:$ks/v3/" \
      --bootstrap-public-url "http://127.0.0.1:$ks/v3/"
  } >"$DIR/log/keystone-manage.log" 2>&1 || { log "keystone-manage failed:"; tail -30 "$DIR/log/keystone-manage.log" >&2; exit 1; }
  # one process, no threads: Keystone's sqlite objects are bound to their thread; --die-on-term: SIGTERM stops uwsgi
  spawn keystone uwsgi-core --plugin python3 --http-socket "127.0.0.1:$ks" --master --lazy-apps --processes 1 \
    --die-on-term --need-app --env "OS_KEYSTONE_CONFIG_DIR=$K" --wsgi-file /usr/bin/keystone-wsgi-public
  wait_healthy "http://127.0.0.1:$ks/v3" || exit 1

  sed -e "s/^bind_port = .*/bind_port = $kproxy/" -e "s/ s3api tempauth / authtoken keystoneauth /" \
      -e "s/^log_name = .*/log_name = proxy-keystone/" "$DIR/etc/proxy-server.conf" >"$DIR/etc/proxy-keystone.conf"
  cat >>"$DIR/etc/proxy-keystone.conf" <<CONF

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = http://127.0.0.1:$ks/v3
auth_url = http://127.0.0.1:$ks/v3
auth_type = password
username = admin
password = $admin_pw
project_name = admin
user_domain_name = Default
project_domain_name = Default
memcached_servers = 127.0.0.1:$mc
delay_auth_decision = True

[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
CONF

  # the object-store service and endpoint, a project and a member user for the tests
  local project_id
  project_id=$(/usr/bin/python3 - "http://127.0.0.1:$ks/v3" "$admin_pw" "http://127.0.0.1:$kproxy" "$user_pw" <<'PY'
import json, sys, urllib.request
url, admin_pw, proxy, user_pw = sys.argv[1:5]
def call(method, path, body=None, token=None):
    req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", **({"X-Auth-Token": token} if token else {})})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.headers, json.loads(r.read() or b"{}")
dom = {"name": "Default"}
h, _ = call("POST", "/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": "admin", "domain": dom, "password": admin_pw}}}, "scope": {"project": {"name": "admin", "domain": dom}}}})
t = h["X-Subject-Token"]
svc = call("POST", "/services", {"service": {"type": "object-store", "name": "swift"}}, t)[1]["service"]["id"]
for iface in ("public", "internal", "admin"):
    call("POST", "/endpoints", {"endpoint": {"service_id": svc, "interface": iface, "region_id": "RegionOne",
         "url": proxy + ("/v1/AUTH_$(project_id)s" if iface != "admin" else "/v1")}}, t)
proj = call("POST", "/projects", {"project": {"name": "autosync", "domain_id": "default"}}, t)[1]["project"]["id"]
user = call("POST", "/users", {"user": {"name": "autosync", "domain_id": "default", "password": user_pw}}, t)[1]["user"]["id"]
role = call("GET", "/roles?name=member", None, t)[1]["roles"][0]["id"]
call("PUT", f"/projects/{proj}/users/{user}/roles/{role}", None, t)
print(proj)
PY
  ) || { log "registering Swift in Keystone failed"; tail -30 "$DIR/log/keystone.log" >&2; exit 1; }

  spawn proxy-keystone /usr/bin/python3 "$DIR/etc/run-server.py" "$DIR/etc/proxy-keystone.conf" proxy-server
  wait_healthy "http://127.0.0.1:$kproxy/healthcheck" || exit 1
  cat >>"$DIR/endpoints.env" <<ENV
KEYSTONE_URL=http://127.0.0.1:$ks/v3
KEYSTONE_USER=autosync
KEYSTONE_PASSWORD=$user_pw
KEYSTONE_PROJECT=autosync
KEYSTONE_DOMAIN=Default
KEYSTONE_PROJECT_ID=$project_id
KEYSTONE_ADMIN_PASSWORD=$admin_pw
KEYSTONE_PROXY_URL=http://127.0.0.1:$kproxy
KEYSTONE_STORAGE_URL=http://127.0.0.1:$kproxy/v1/AUTH_$project_id
KEYSTONE_TOKEN_LIFE=$KEYSTONE_TOKEN_LIFE
ENV
  log "keystone healthy in $((SECONDS - t0)) s"
  grep '^KEYSTONE_' "$DIR/endpoints.env"
}

# alive PID CMDLINE: true when PID runs and still has the recorded command line
alive() {
  [ -r "/proc/$1/cmdline" ] && [ "$(tr '\0' ' ' </proc/$1/cmdline)" = "$2" ]
}

do_stop() {
  if [ -f "$RUN/pids" ]; then
    local pid name cmdline
    while IFS=$'\t' read -r pid name cmdline; do
      if alive "$pid" "$cmdline"; then kill "$pid" 2>/dev/null || true; fi
    done <"$RUN/pids"
    for _ in $(seq 50); do
      local any=""
      while IFS=$'\t' read -r pid name cmdline; do alive "$pid" "$cmdline" && any=1; done <"$RUN/pids"
      [ -z "$any" ] && break
      sleep 0.1
    done
    while IFS=$'\t' read -r pid name cmdline; do
      if alive "$pid" "$cmdline"; then log "killing $name ($pid)"; kill -9 "$pid" 2>/dev/null || true; fi
    done <"$RUN/pids"
    rm -f "$RUN/pids"
  fi
  if [ -f "$RUN/mount" ]; then
    local mp; mp=$(cat "$RUN/mount")
    mountpoint -q "$mp" && { umount "$mp" || umount -l "$mp"; }
    rm -f "$RUN/mount" "$DIR/d1.img"
  fi
  log "stopped"
}

do_status() {
  [ -s "$RUN/pids" ] || { echo "not running"; return 1; }
  local pid name cmdline rc=0
  while IFS=$'\t' read -r pid name cmdline; do
    if alive "$pid" "$cmdline"; then echo "$name $pid running"; else echo "$name $pid dead"; rc=1; fi
  done <"$RUN/pids"
  [ -f "$DIR/endpoints.env" ] && cat "$DIR/endpoints.env"
  return $rc
}

case $cmd in
  start) do_start ;;
  keystone) do_keystone ;;
  stop) do_stop ;;
  status) do_status ;;
  *) usage ;;
esac
