#!/usr/bin/env bash
# A local cluster of the portal on 127.0.0.1, every part a real server on a
# port of its own:
#
#   haproxy (load balancer, checks /healthz)   CLUSTER_PORT      (18400)
#   web node a, web node b (gunicorn)          CLUSTER_PORT+1, +2
#   PostgreSQL of its own (initdb, pg_ctl)     CLUSTER_PORT+10
#   PgBouncer, transaction mode (optional)     CLUSTER_PORT+11
#   Redis (shared cache, content version)      CLUSTER_PORT+12
#   moto's S3 server (documents, PDFs)         CLUSTER_PORT+13
#   task workers 1 and 2 (manage.py db_worker)
#
# Everything it makes lives under CLUSTER_DIR (default /tmp/kcsp-cluster):
# the database files, logs, configuration, the environment every process
# shares (cluster.env) and one pid file per process, so `stop` stops exactly
# what `start` started. It never touches a server it did not start.
#
#   deploy/cluster.sh start           everything, with the demo data
#   deploy/cluster.sh stop            everything it started
#   deploy/cluster.sh status          what runs
#   deploy/cluster.sh env             the environment, for `source`
#   deploy/cluster.sh stop-web a|b    one web node: drained in haproxy, then
#                                     stopped gracefully; start-web a|b starts
#                                     it and puts it back in rotation
#   deploy/cluster.sh kill-worker 1|2 one worker (SIGKILL); start-worker 1|2
#   deploy/cluster.sh restart-db      the cluster's own PostgreSQL
#
# CLUSTER_PGBOUNCER=1 puts PgBouncer between the nodes and PostgreSQL.
# CLUSTER_WEB_WORKERS (default 2) gunicorn workers per node; CLUSTER_WORKERS
# (default 2) task workers. PYTHON (default .venv/bin/python) is the Python
# of the portal; CLUSTER_MOTO_SERVER (default moto_server beside it) moto's
# S3 server, which may come from another Python. Commands other than `start`
# take the ports and Python of the cluster at CLUSTER_DIR from its
# cluster.env.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

DIR=${CLUSTER_DIR:-/tmp/kcsp-cluster}
# Commands other than `start` act on the cluster at DIR as it was started.
started_with() { sed -n "s/^export $1=//p" "$DIR/cluster.env"; }
if [ "${1:-start}" != start ] && [ -f "$DIR/cluster.env" ]; then
  CLUSTER_PORT=$(started_with CLUSTER_PORT)
  PYTHON=$(started_with CLUSTER_PYTHON)
fi
BASE=${CLUSTER_PORT:-18400}
LB_PORT=$BASE
WEB_A_PORT=$((BASE + 1))
WEB_B_PORT=$((BASE + 2))
PG_PORT=$((BASE + 10))
BOUNCER_PORT=$((BASE + 11))
REDIS_PORT=$((BASE + 12))
S3_PORT=$((BASE + 13))
PGBOUNCER=${CLUSTER_PGBOUNCER:-0}
WEB_WORKERS=${CLUSTER_WEB_WORKERS:-2}
TASK_WORKERS=${CLUSTER_WORKERS:-2}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
BIN=$(dirname "$PYTHON")
MOTO=${CLUSTER_MOTO_SERVER:-$BIN/moto_server}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PIDS=$DIR/pids
LOGS=$DIR/logs

say() { printf '%s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

# PostgreSQL and PgBouncer refuse to run as root.
as_db_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

need_packages() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v redis-server >/dev/null || missing+=(redis-server)
  # socat speaks to haproxy's runtime API; wrk is bench/cluster.py's load.
  command -v socat >/dev/null || missing+=(socat)
  command -v wrk >/dev/null || missing+=(wrk)
  if [ "$PGBOUNCER" = 1 ]; then command -v pgbouncer >/dev/null || missing+=(pgbouncer); fi
  [ -x "$PGBIN/initdb" ] || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing ${missing[*]} from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  "$PYTHON" -c 'import storages, boto3' 2>/dev/null && [ -x "$MOTO" ] \
    || die "moto and django-storages are missing: make cluster installs them"
}

pid_of() { cat "$PIDS/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

wait_port() {  # port, name, seconds
  for _ in $(seq 1 $(($3 * 10))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "$2 did not open port $1 within $3 s (see $LOGS)"
}

wait_gone() {  # pid
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}

write_env() {
  local db_port=$PG_PORT extra=""
  if [ "$PGBOUNCER" = 1 ]; then db_port=$BOUNCER_PORT; extra="DATABASE_PGBOUNCER=1"; fi
  local key
  key=$(cat "$DIR/secret_key" 2>/dev/null || true)
  if [ -z "$key" ]; then
    key=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
    printf '%s' "$key" > "$DIR/secret_key"
  fi
  cat > "$DIR/cluster.env" <<EOF
export SECRET_KEY='$key'
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=postgres://postgres@127.0.0.1:$db_port/kcsp
export DIRECT_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/kcsp
export ${extra:-DATABASE_PGBOUNCER=0}
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export STORAGE_S3_BUCKET=kcsp
export STORAGE_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export STORAGE_S3_REGION=eu-west-2
export AWS_ACCESS_KEY_ID=cluster
export AWS_SECRET_ACCESS_KEY=cluster
export STATIC_ROOT=$DIR/static
export MEDIA_ROOT=$DIR/media-unused
export SECURE_SSL_REDIRECT=0
export TRUSTED_PROXY_COUNT=1
export STAFF_TWO_FACTOR=0
export API_ANON_RATE=
export PORTAL_BASE_URL=http://127.0.0.1:$LB_PORT
export CLUSTER_DIR=$DIR
export CLUSTER_PORT=$BASE
export CLUSTER_PYTHON=$PYTHON
export CLUSTER_LB=http://127.0.0.1:$LB_PORT
export CLUSTER_WEB_A=http://127.0.0.1:$WEB_A_PORT
export CLUSTER_WEB_B=http://127.0.0.1:$WEB_B_PORT
EOF
}

load_env() {
  [ -f "$DIR/cluster.env" ] || die "no cluster at $DIR (start it first)"
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
}

start_postgres() {
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    mkdir -p "$DIR/pg"
    chown postgres: "$DIR/pg" 2>/dev/null || true
    as_db_user "$PGBIN/initdb" -D "$DIR/pg" -U postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log"
    cat >> "$DIR/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
timezone = 'UTC'
max_connections = 200
shared_buffers = 128MB
EOF
  fi
  as_db_user "$PGBIN/pg_ctl" -D "$DIR/pg" -l "$LOGS/postgres.log" -w start >/dev/null
  head -n 1 "$DIR/pg/postmaster.pid" > "$PIDS/postgres.pid"
  wait_port "$PG_PORT" PostgreSQL 30
}

stop_postgres() {
  if [ -f "$DIR/pg/postmaster.pid" ]; then
    as_db_user "$PGBIN/pg_ctl" -D "$DIR/pg" -m fast -w stop >/dev/null || true
  fi
  rm -f "$PIDS/postgres.pid"
}

start_pgbouncer() {
  mkdir -p "$DIR/bouncer"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR/bouncer"; fi
  cat > "$DIR/bouncer/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/bouncer/users
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
server_reset_query =
# After a PostgreSQL restart, log in again within a second, not fifteen.
server_login_retry = 1
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/bouncer/pgbouncer.log
pidfile = $DIR/bouncer/pgbouncer.pid
EOF
  printf '"postgres" ""\n' > "$DIR/bouncer/users"
  as_db_user pgbouncer -d "$DIR/bouncer/pgbouncer.ini"
  wait_port "$BOUNCER_PORT" PgBouncer 20
  cp "$DIR/bouncer/pgbouncer.pid" "$PIDS/pgbouncer.pid"
}

start_redis() {
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' \
    --appendonly no --dir "$DIR" --pidfile "$PIDS/redis.pid" \
    --logfile "$LOGS/redis.log"
  wait_port "$REDIS_PORT" Redis 20
}

start_s3() {
  setsid "$MOTO" -H 127.0.0.1 -p "$S3_PORT" >"$LOGS/s3.log" 2>&1 &
  echo $! > "$PIDS/s3.pid"
  wait_port "$S3_PORT" "moto's S3 server" 30
  "$PYTHON" - <<'EOF'
import os

import boto3

s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["STORAGE_S3_ENDPOINT_URL"],
    region_name=os.environ["STORAGE_S3_REGION"],
)
s3.create_bucket(
    Bucket=os.environ["STORAGE_S3_BUCKET"],
    CreateBucketConfiguration={"LocationConstraint": os.environ["STORAGE_S3_REGION"]},
)
EOF
}

web_port() { case "$1" in a) echo "$WEB_A_PORT";; b) echo "$WEB_B_PORT";; *) die "web node a or b";; esac; }

start_web() {
  alive "web-$1" && return 0
  local port
  port=$(web_port "$1")
  setsid "$BIN/gunicorn" kcsp.wsgi --workers "$WEB_WORKERS" --bind "127.0.0.1:$port" \
    --graceful-timeout 10 --no-control-socket --access-logfile "$LOGS/web-$1.access.log" \
    >>"$LOGS/web-$1.log" 2>&1 &
  echo $! > "$PIDS/web-$1.pid"
  wait_port "$port" "web node $1" 60
}

# haproxy's runtime API, on its admin socket.
haproxy_cmd() { printf '%s\n' "$1" | socat stdio "unix-connect:$DIR/haproxy.sock"; }

# Requests node $1 is answering now, as haproxy counts them.
node_busy() {
  haproxy_cmd "show stat" | awk -F, -v node="$1" '$1 == "nodes" && $2 == node { print $3 + $5 }'
}

# Stop one web node without failing a request: haproxy sends it no new ones
# (drain), the ones it is answering finish, then gunicorn stops gracefully.
stop_web() {
  web_port "$1" >/dev/null
  if alive haproxy; then
    haproxy_cmd "set server nodes/$1 state drain" >/dev/null
    for _ in $(seq 1 100); do
      [ "$(node_busy "$1")" = 0 ] && break
      sleep 0.1
    done
  fi
  stop_one "web-$1" TERM
}

# Start one web node and put it back in rotation; haproxy sends it requests
# once its health check passes.
start_web_ready() {
  start_web "$1"
  if alive haproxy; then haproxy_cmd "set server nodes/$1 state ready" >/dev/null; fi
}

stop_one() {  # name, signal
  local pid
  pid=$(pid_of "$1")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "-$2" "$pid" 2>/dev/null || true
    wait_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$1.pid"
}

start_worker() {
  alive "worker-$1" && return 0
  setsid "$PYTHON" manage.py db_worker --no-reload --interval 0.5 \
    --worker-id "cluster-worker-$1" >>"$LOGS/worker-$1.log" 2>&1 &
  echo $! > "$PIDS/worker-$1.pid"
}

start_haproxy() {
  cat > "$DIR/haproxy.cfg" <<EOF
global
    maxconn 2000
    stats socket $DIR/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 10s
    # A request that finds a node gone (refused, closed, timed out) is tried
    # on the other node: a stopped node costs no reader an error.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    option forwardfor
    option http-server-close

frontend portal
    bind 127.0.0.1:$LB_PORT
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz hdr Host 127.0.0.1
    http-check expect status 200
    default-server check inter 1s fall 2 rise 2
    server a 127.0.0.1:$WEB_A_PORT
    server b 127.0.0.1:$WEB_B_PORT
EOF
  haproxy -f "$DIR/haproxy.cfg" -D -p "$PIDS/haproxy.pid" >"$LOGS/haproxy.log" 2>&1
  wait_port "$LB_PORT" haproxy 20
}

start() {
  if alive haproxy || alive postgres; then die "a cluster already runs at $DIR (stop it first)"; fi
  need_packages
  trap 'say "Start failed (logs in $LOGS); stopping what had started"; stop' ERR
  # Every start is a fresh cluster: moto keeps its files in memory, so a
  # database kept from an earlier run would name files that are gone.
  rm -rf "$DIR/pg" "$DIR/bouncer" "$LOGS"
  mkdir -p "$DIR" "$PIDS" "$LOGS"
  # PostgreSQL writes its log here as its own user.
  chmod 755 "$DIR"
  chmod 1777 "$LOGS"
  write_env
  load_env
  say "PostgreSQL on 127.0.0.1:$PG_PORT (data in $DIR/pg)"
  start_postgres
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "SELECT 1 FROM pg_database WHERE datname = 'kcsp'" | grep -q 1 \
    || psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE kcsp" >/dev/null
  if [ "$PGBOUNCER" = 1 ]; then
    say "PgBouncer (transaction mode) on 127.0.0.1:$BOUNCER_PORT"
    start_pgbouncer
  fi
  say "Redis on 127.0.0.1:$REDIS_PORT"
  start_redis
  say "S3 (moto) on 127.0.0.1:$S3_PORT"
  start_s3
  say "Migrating, loading the demo, collecting static files"
  DATABASE_URL=$DIRECT_DATABASE_URL "$PYTHON" manage.py migrate --noinput -v 0
  DATABASE_URL=$DIRECT_DATABASE_URL "$PYTHON" manage.py load_demo --force >"$LOGS/load_demo.log"
  "$PYTHON" manage.py collectstatic --noinput -v 0
  say "Web nodes on 127.0.0.1:$WEB_A_PORT (a) and 127.0.0.1:$WEB_B_PORT (b)"
  start_web a
  start_web b
  for n in $(seq 1 "$TASK_WORKERS"); do start_worker "$n"; done
  say "haproxy on http://127.0.0.1:$LB_PORT"
  start_haproxy
  # Both nodes in rotation: two answers in a row through the balancer.
  local ready=0
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null "http://127.0.0.1:$LB_PORT/healthz" \
      && curl -sf -o /dev/null "http://127.0.0.1:$LB_PORT/healthz"; then
      ready=1
      break
    fi
    sleep 0.2
  done
  [ "$ready" = 1 ] || die "the load balancer found no healthy node within 60 s (see $LOGS)"
  curl -sf "http://127.0.0.1:$LB_PORT/healthz"; echo
  trap - ERR
  say "Cluster ready: http://127.0.0.1:$LB_PORT (source <(deploy/cluster.sh env) for its settings)"
}

stop() {
  [ -d "$PIDS" ] || { say "No cluster at $DIR"; return 0; }
  stop_one haproxy TERM
  stop_one web-a TERM
  stop_one web-b TERM
  for f in "$PIDS"/worker-*.pid; do
    [ -e "$f" ] || continue
    stop_one "$(basename "$f" .pid)" TERM
  done
  stop_one s3 TERM
  stop_one redis TERM
  stop_one pgbouncer TERM
  stop_postgres
  say "Stopped the cluster at $DIR (its logs stay there until the next start)"
}

status() {
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    if alive "$name"; then say "$name: running ($(pid_of "$name"))"; else say "$name: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) cat "$DIR/cluster.env" ;;
  stop-web) stop_web "${2:?a or b}" ;;
  start-web) load_env; start_web_ready "${2:?a or b}" ;;
  kill-worker) stop_one "worker-${2:?worker number}" KILL ;;
  start-worker) load_env; start_worker "${2:?worker number}" ;;
  restart-db)
    as_db_user "$PGBIN/pg_ctl" -D "$DIR/pg" -m fast -w restart -l "$LOGS/postgres.log" >/dev/null
    head -n 1 "$DIR/pg/postmaster.pid" > "$PIDS/postgres.pid"
    ;;
  *) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 2 ;;
esac
