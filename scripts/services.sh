#!/usr/bin/env bash
# Local backing services for Momentum development and CI (no Docker needed):
#
#   * PostgreSQL on 127.0.0.1:${MOMENTUM_PG_PORT:-5432}
#       role `momentum` / password `momentum` (LOGIN CREATEDB), database `momentum`
#       -> postgresql://momentum:momentum@127.0.0.1:5432/momentum
#   * Apache Kafka, single-node KRaft broker+controller
#       bootstrap 127.0.0.1:${MOMENTUM_KAFKA_PORT:-9092},
#       controller 127.0.0.1:${MOMENTUM_KAFKA_CONTROLLER_PORT:-9093}
#
# Usage: scripts/services.sh up|down|status        (run as root)
#
#   up      idempotent: reuses whatever already accepts connections on the ports,
#           otherwise starts the services; returns once both really serve.
#   down    stops what `up` started (Kafka via its pid file, and the PostgreSQL
#           cluster this script created); idempotent.
#   status  prints whether each service runs.
#
# Environment:
#   MOMENTUM_STATE_DIR              state dir (default <repo>/.state, git-ignored):
#                                   kafka/lib-<version> (jar cache), kafka/data,
#                                   kafka/server.log, kafka/kafka.pid
#   MOMENTUM_PG_PORT                PostgreSQL port                 (default 5432)
#   MOMENTUM_PG_ROOT                PostgreSQL cluster dir, outside the repo so the
#                                   postgres user can reach it
#                                   (default /var/lib/momentum/pg-<port>)
#   MOMENTUM_KAFKA_PORT             Kafka PLAINTEXT port            (default 9092)
#   MOMENTUM_KAFKA_CONTROLLER_PORT  KRaft controller port           (default 9093)
#   MOMENTUM_KAFKA_VERSION          org.apache.kafka:kafka_2.13 version (default 4.1.2)
#   MOMENTUM_KAFKA_HEAP             JVM heap options (default "-Xms128m -Xmx512m")
#   MOMENTUM_PG_TIMEOUT / MOMENTUM_KAFKA_TIMEOUT   start timeouts in s (60 / 120)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
STATE_DIR="${MOMENTUM_STATE_DIR:-${REPO_ROOT}/.state}"
[[ "$STATE_DIR" == /* ]] || STATE_DIR="${PWD}/${STATE_DIR}"  # paths end up in server.properties

PG_PORT="${MOMENTUM_PG_PORT:-5432}"
PG_ROOT="${MOMENTUM_PG_ROOT:-/var/lib/momentum/pg-${PG_PORT}}"
PG_DATA="${PG_ROOT}/data"
PG_LOG="${PG_ROOT}/postgresql.log"
PG_TIMEOUT="${MOMENTUM_PG_TIMEOUT:-60}"
PG_APP_USER=momentum
PG_APP_PASSWORD=momentum
PG_APP_DB=momentum

KAFKA_VERSION="${MOMENTUM_KAFKA_VERSION:-4.1.2}"
KAFKA_SCALA_VERSION=2.13
LOG4J_VERSION=2.25.3
MAVEN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
KAFKA_PORT="${MOMENTUM_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${MOMENTUM_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${MOMENTUM_KAFKA_HEAP:--Xms128m -Xmx512m}"
KAFKA_TIMEOUT="${MOMENTUM_KAFKA_TIMEOUT:-120}"
KAFKA_DIR="${STATE_DIR}/kafka"
KAFKA_LIB="${MOMENTUM_KAFKA_LIB:-${KAFKA_DIR}/lib-${KAFKA_VERSION}}"
KAFKA_LIB_MARKER="${KAFKA_LIB}/.complete"
KAFKA_DATA="${KAFKA_DIR}/data"
KAFKA_CONFIG="${KAFKA_DIR}/server.properties"
KAFKA_LOG="${KAFKA_DIR}/server.log"
KAFKA_PID_FILE="${KAFKA_DIR}/kafka.pid"
KAFKA_TEMPLATE="${SCRIPT_DIR}/kafka/server.properties.in"
KAFKA_LOG4J="${SCRIPT_DIR}/kafka/log4j2.properties"
KAFKA_POM="${SCRIPT_DIR}/kafka/pom.xml"

PG_BIN=""  # set by pg_find_bin

# --------------------------------------------------------------------------- helpers

log() { echo "services: $*" >&2; }
die() { echo "services: ERROR: $*" >&2; exit 1; }

now_ms() { date +%s%3N; }

# phase_done <label> <start-ms>
phase_done() {
  local ms=$(( $(now_ms) - $2 ))
  log "$1 done in $(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 )))s"
}

# show_log_tail <file> [lines]
show_log_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -f "$file" ]]; then
    echo "services: ---- last ${lines} lines of ${file} ----" >&2
    tail -n "$lines" "$file" >&2 || true
    echo "services: ---- end of ${file} ----" >&2
  else
    echo "services: (no log file ${file})" >&2
  fi
}

# port_open <port>: true when something accepts TCP connections on 127.0.0.1:<port>.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_alive <pid>: process exists and is not a zombie (PID 1 here may reap late).
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ -n "$stat" && "${stat:0:1}" != Z ]]
}

# as_postgres <cmd...>: run as the postgres OS user from a directory it can read
# (the repo may live in a 0700 root-owned temp dir).
as_postgres() {
  # 9>&- : do not leak the services.sh lock fd into the postmaster.
  (cd / && runuser -u postgres -- "$@" 9>&-)
}

apt_install() {
  log "installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}

require_root() {
  [[ "$(id -u)" -eq 0 ]] || die "must run as root (needs runuser/postgres and apt-get)"
}

# --------------------------------------------------------------------------- PostgreSQL

# pg_find_bin: newest /usr/lib/postgresql/<major>/bin with server binaries.
pg_find_bin() {
  local dir best="" best_major=0 major
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "${dir}/pg_ctl" && -x "${dir}/initdb" && -x "${dir}/postgres" ]] || continue
    major="$(basename "$(dirname "$dir")")"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if (( major > best_major )); then best="$dir"; best_major="$major"; fi
  done
  PG_BIN="$best"
  [[ -n "$PG_BIN" ]]
}

pg_ensure_installed() {
  if pg_find_bin; then
    return 0
  fi
  log "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin"
  local t0; t0=$(now_ms)
  apt_install postgresql
  pg_find_bin || die "apt-get install postgresql did not provide /usr/lib/postgresql/*/bin/pg_ctl"
  id postgres >/dev/null 2>&1 || die "OS user 'postgres' missing after installing postgresql"
  phase_done "postgresql install" "$t0"
}

# pg_ready: 0 = accepting connections, 1 = rejecting (e.g. starting up), 2 = no response.
pg_ready() {
  local rc=0
  "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 3 || rc=$?
  return "$rc"
}

pg_ours_running() {
  [[ -f "${PG_DATA}/postmaster.pid" ]] && as_postgres "${PG_BIN}/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_initdb() {
  local t0; t0=$(now_ms)
  log "postgres: initdb ${PG_DATA} (PostgreSQL $(basename "$(dirname "$PG_BIN")"))"
  mkdir -p "$(dirname "$PG_ROOT")"
  chmod 0755 "$(dirname "$PG_ROOT")"
  rm -rf "$PG_DATA"
  install -d -o postgres -g postgres -m 0700 "$PG_ROOT" "$PG_DATA"
  as_postgres "${PG_BIN}/initdb" -D "$PG_DATA" -U postgres \
    --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C >"${PG_ROOT}/initdb.log" 2>&1 \
    || { show_log_tail "${PG_ROOT}/initdb.log"; die "initdb failed"; }
  # Settings managed by this script live in momentum.conf (rewritten on every up).
  echo "include_if_exists = 'momentum.conf'" >>"${PG_DATA}/postgresql.conf"
  cat >"${PG_DATA}/pg_hba.conf" <<'EOF'
# Written by scripts/services.sh
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  peer
host    all       all   127.0.0.1/32   scram-sha-256
EOF
  chown postgres:postgres "${PG_DATA}/pg_hba.conf"
  phase_done "postgres initdb" "$t0"
}

pg_write_settings() {
  local sockdirs="${PG_ROOT}"
  # Also use the Debian default socket dir when it exists, so that
  # `runuser -u postgres -- psql -p <port>` works as usual.
  if [[ -d /var/run/postgresql && "$(stat -c %U /var/run/postgresql)" == postgres ]]; then
    sockdirs="/var/run/postgresql,${PG_ROOT}"
  fi
  cat >"${PG_DATA}/momentum.conf" <<EOF
# Written by scripts/services.sh on every 'up' -- edits are overwritten.
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
unix_socket_directories = '${sockdirs}'
max_connections = 200
shared_buffers = 128MB
password_encryption = 'scram-sha-256'
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = -1
EOF
  chown postgres:postgres "${PG_DATA}/momentum.conf"
}

pg_start() {
  if [[ -f "${PG_DATA}/PG_VERSION" ]]; then
    local have want
    have="$(cat "${PG_DATA}/PG_VERSION")"
    want="$(basename "$(dirname "$PG_BIN")")"
    [[ "$have" == "$want" ]] || die "${PG_DATA} was initialised by PostgreSQL ${have}, but the binaries are ${want}; remove ${PG_ROOT} to recreate it"
  else
    pg_initdb
  fi
  pg_write_settings
  local t0; t0=$(now_ms)
  touch "$PG_LOG"
  chown postgres:postgres "$PG_LOG"
  log "postgres: starting on 127.0.0.1:${PG_PORT} (data ${PG_DATA}, log ${PG_LOG})"
  if ! as_postgres "${PG_BIN}/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_TIMEOUT" >/dev/null 2>&1; then
    show_log_tail "$PG_LOG"
    die "PostgreSQL did not start within ${PG_TIMEOUT}s (see ${PG_LOG})"
  fi
  pg_wait_ready "$PG_TIMEOUT" || { show_log_tail "$PG_LOG"; die "PostgreSQL started but does not accept TCP connections on 127.0.0.1:${PG_PORT}"; }
  phase_done "postgres start" "$t0"
}

pg_wait_ready() {
  local deadline=$(( $(date +%s) + $1 ))
  while (( $(date +%s) < deadline )); do
    pg_ready && return 0
    sleep 0.5
  done
  return 1
}

# pg_admin_psql [psql args...]: psql as the postgres superuser over the unix socket.
pg_admin_psql() {
  local host_args=()
  if pg_ours_running; then
    host_args=(-h "$PG_ROOT")
  fi
  as_postgres "${PG_BIN}/psql" "${host_args[@]}" -p "$PG_PORT" -X -q -v ON_ERROR_STOP=1 -d postgres "$@"
}

pg_ensure_role_db() {
  local t0; t0=$(now_ms)
  pg_admin_psql -f - <<EOF || die "could not create role/database '${PG_APP_USER}' as the postgres superuser on port ${PG_PORT}"
SET client_min_messages = warning;
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PG_APP_USER}') THEN
    CREATE ROLE ${PG_APP_USER} LOGIN CREATEDB PASSWORD '${PG_APP_PASSWORD}';
  ELSE
    ALTER ROLE ${PG_APP_USER} LOGIN CREATEDB PASSWORD '${PG_APP_PASSWORD}';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE ${PG_APP_DB} OWNER ${PG_APP_USER}'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${PG_APP_DB}')\gexec
ALTER DATABASE ${PG_APP_DB} OWNER TO ${PG_APP_USER};
EOF
  # End-to-end check exactly as the application connects (TCP + password).
  PGPASSWORD="$PG_APP_PASSWORD" "${PG_BIN}/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" \
    -U "$PG_APP_USER" -d "$PG_APP_DB" -tAc 'select 1' >/dev/null \
    || die "cannot log in as ${PG_APP_USER}@127.0.0.1:${PG_PORT}/${PG_APP_DB} with password auth (check pg_hba.conf of the server on that port)"
  phase_done "postgres role/database" "$t0"
}

pg_up() {
  local t0; t0=$(now_ms)
  pg_ensure_installed
  local rc=0
  pg_ready || rc=$?
  if (( rc == 1 )); then
    log "postgres: server on port ${PG_PORT} is starting up, waiting"
    pg_wait_ready "$PG_TIMEOUT" || die "PostgreSQL on port ${PG_PORT} does not accept connections"
    rc=0
  fi
  if (( rc == 0 )); then
    if pg_ours_running; then
      log "postgres: already running (${PG_DATA}), reusing"
    else
      log "postgres: a server already listens on 127.0.0.1:${PG_PORT}, reusing it"
    fi
  else
    pg_start
  fi
  pg_ensure_role_db
  phase_done "postgres up" "$t0"
}

pg_down() {
  if ! pg_find_bin || [[ ! -f "${PG_DATA}/PG_VERSION" ]]; then
    log "postgres: no cluster created by this script (${PG_DATA}), nothing to stop"
    return 0
  fi
  if pg_ours_running; then
    local t0; t0=$(now_ms)
    log "postgres: stopping ${PG_DATA}"
    as_postgres "${PG_BIN}/pg_ctl" stop -D "$PG_DATA" -m fast -w -t "$PG_TIMEOUT" >/dev/null \
      || die "pg_ctl stop failed for ${PG_DATA}"
    phase_done "postgres stop" "$t0"
  else
    log "postgres: ${PG_DATA} is not running"
  fi
}

pg_status() {
  local rc=0
  if ! pg_find_bin; then
    echo "postgres: not installed"
    return 0
  fi
  pg_ready || rc=$?
  case "$rc" in
    0)
      if pg_ours_running; then
        echo "postgres: running on 127.0.0.1:${PG_PORT} (data ${PG_DATA}, log ${PG_LOG})"
      else
        echo "postgres: running on 127.0.0.1:${PG_PORT} (not started by this script)"
      fi ;;
    1) echo "postgres: starting/rejecting connections on 127.0.0.1:${PG_PORT}" ;;
    *) echo "postgres: not running (port ${PG_PORT})" ;;
  esac
}

# --------------------------------------------------------------------------- Kafka

kafka_ensure_tools() {
  if ! command -v java >/dev/null 2>&1; then
    apt_install openjdk-17-jre-headless
  fi
  local jmajor
  jmajor="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  jmajor="${jmajor%%.*}"
  if ! [[ "$jmajor" =~ ^[0-9]+$ ]] || (( jmajor < 17 )); then
    die "Kafka ${KAFKA_VERSION} needs Java 17+, found '${jmajor}' ($(command -v java))"
  fi
  if [[ ! -f "$KAFKA_LIB_MARKER" ]] && ! command -v mvn >/dev/null 2>&1; then
    apt_install maven
  fi
}

kafka_fetch_jars() {
  if [[ -f "$KAFKA_LIB_MARKER" ]]; then
    log "kafka: jars cached in ${KAFKA_LIB}"
    return 0
  fi
  local t0; t0=$(now_ms)
  local tmp="${KAFKA_LIB}.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  log "kafka: fetching kafka_${KAFKA_SCALA_VERSION}:${KAFKA_VERSION} + log4j-slf4j-impl:${LOG4J_VERSION} from Maven Central into ${KAFKA_LIB}"
  if ! mvn -B -q -Dstyle.color=never -f "$KAFKA_POM" \
        -Dkafka.version="$KAFKA_VERSION" -Dkafka.scala.version="$KAFKA_SCALA_VERSION" \
        -Dlog4j.version="$LOG4J_VERSION" \
        "${MAVEN_DEPENDENCY_PLUGIN}:copy-dependencies" \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >"${KAFKA_DIR}/mvn.log" 2>&1; then
    rm -rf "$tmp"
    show_log_tail "${KAFKA_DIR}/mvn.log"
    die "maven could not fetch the Kafka jars (log: ${KAFKA_DIR}/mvn.log)"
  fi
  [[ -f "${tmp}/kafka_${KAFKA_SCALA_VERSION}-${KAFKA_VERSION}.jar" ]] \
    || { rm -rf "$tmp"; die "kafka_${KAFKA_SCALA_VERSION}-${KAFKA_VERSION}.jar missing after the maven run"; }
  (cd "$tmp" && ls -1 ./*.jar) >"${tmp}/.complete"
  rm -rf "$KAFKA_LIB"
  mv "$tmp" "$KAFKA_LIB"
  phase_done "kafka jar fetch ($(($(wc -l <"$KAFKA_LIB_MARKER"))) jars)" "$t0"
}

kafka_render_config() {
  [[ -f "$KAFKA_TEMPLATE" ]] || die "missing ${KAFKA_TEMPLATE}"
  local tmp="${KAFKA_CONFIG}.tmp.$$"
  sed -e "s|@KAFKA_PORT@|${KAFKA_PORT}|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|${KAFKA_CONTROLLER_PORT}|g" \
      -e "s|@KAFKA_DATA_DIR@|${KAFKA_DATA}|g" \
      "$KAFKA_TEMPLATE" >"$tmp"
  if grep -q '@[A-Z_]*@' "$tmp"; then
    rm -f "$tmp"
    die "unsubstituted placeholder in ${KAFKA_TEMPLATE}"
  fi
  mv "$tmp" "$KAFKA_CONFIG"
}

kafka_java_opts() {
  # shellcheck disable=SC2206  # word splitting of the heap options is intended
  KAFKA_JAVA_OPTS=(
    ${KAFKA_HEAP}
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true
    -Dlog4j2.configurationFile="file:${KAFKA_LOG4J}"
    -Dkafka.logs.dir="${KAFKA_DIR}"
    -cp "${KAFKA_LIB}/*"
  )
}

kafka_format_storage() {
  if [[ -f "${KAFKA_DATA}/meta.properties" ]]; then
    return 0
  fi
  local t0; t0=$(now_ms)
  local cluster_id
  # A Kafka Uuid: 16 random bytes, URL-safe base64 without padding. Like Kafka's own
  # Uuid.randomUuid, never one that starts with '-': the format tool would read it as an option.
  cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  mkdir -p "$KAFKA_DATA"
  log "kafka: formatting ${KAFKA_DATA} (cluster id ${cluster_id})"
  kafka_java_opts
  if ! java "${KAFKA_JAVA_OPTS[@]}" kafka.tools.StorageTool format \
        -t "$cluster_id" -c "$KAFKA_CONFIG" >"${KAFKA_DIR}/format.log" 2>&1; then
    show_log_tail "${KAFKA_DIR}/format.log"
    die "kafka storage format failed (log: ${KAFKA_DIR}/format.log)"
  fi
  phase_done "kafka storage format" "$t0"
}

# kafka_pid: prints the pid from the pid file if that process is alive and is our broker.
kafka_pid() {
  local pid
  [[ -f "$KAFKA_PID_FILE" ]] || return 1
  pid="$(cat "$KAFKA_PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

kafka_started_logged() {
  grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null
}

# kafka_wait <pid>: until the broker logged "Kafka Server started" and the port accepts.
# Dies (with the log tail) if the process exits; returns 1 on timeout.
kafka_wait() {
  local pid="$1" deadline=$(( $(date +%s) + KAFKA_TIMEOUT ))
  while (( $(date +%s) < deadline )); do
    if ! pid_alive "$pid"; then
      rm -f "$KAFKA_PID_FILE"
      show_log_tail "$KAFKA_LOG" 60
      die "Kafka broker (pid ${pid}) exited during startup (log: ${KAFKA_LOG})"
    fi
    if kafka_started_logged && port_open "$KAFKA_PORT"; then
      return 0
    fi
    sleep 0.5
  done
  show_log_tail "$KAFKA_LOG" 60
  log "Kafka broker (pid ${pid}) not serving on 127.0.0.1:${KAFKA_PORT} after ${KAFKA_TIMEOUT}s"
  return 1
}

kafka_start() {
  local t0; t0=$(now_ms)
  kafka_java_opts
  [[ -f "$KAFKA_LOG" ]] && mv -f "$KAFKA_LOG" "${KAFKA_LOG}.prev"
  log "kafka: starting broker on 127.0.0.1:${KAFKA_PORT} (controller ${KAFKA_CONTROLLER_PORT}, log ${KAFKA_LOG})"
  # setsid + nohup: own session, survives the calling shell / CI step.
  # 9>&- : do not leak the services.sh lock fd into the long-running broker.
  (cd "$KAFKA_DIR" && exec setsid nohup java "${KAFKA_JAVA_OPTS[@]}" kafka.Kafka "$KAFKA_CONFIG" \
      </dev/null >>"$KAFKA_LOG" 2>&1 9>&-) &
  local pid=$!
  echo "$pid" >"$KAFKA_PID_FILE"
  if ! kafka_wait "$pid"; then
    kafka_stop_pid "$pid"
    die "Kafka did not start within ${KAFKA_TIMEOUT}s, broker stopped again (log: ${KAFKA_LOG}; raise MOMENTUM_KAFKA_TIMEOUT?)"
  fi
  phase_done "kafka start (pid ${pid})" "$t0"
}

kafka_up() {
  local t0; t0=$(now_ms)
  mkdir -p "$KAFKA_DIR"
  local pid
  if pid="$(kafka_pid)"; then
    log "kafka: broker already running (pid ${pid})"
    kafka_wait "$pid" || die "Kafka broker (pid ${pid}) is running but not serving (log: ${KAFKA_LOG}; try: $0 down && $0 up)"
    phase_done "kafka up" "$t0"
    return 0
  fi
  rm -f "$KAFKA_PID_FILE"
  if port_open "$KAFKA_PORT"; then
    log "kafka: something already accepts connections on 127.0.0.1:${KAFKA_PORT} (not started from ${KAFKA_DIR}), reusing it"
    return 0
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "port 127.0.0.1:${KAFKA_CONTROLLER_PORT} (Kafka controller) is taken by another process"
  fi
  kafka_ensure_tools
  kafka_fetch_jars
  kafka_render_config
  kafka_format_storage
  kafka_start
  phase_done "kafka up" "$t0"
}

# kafka_stop_pid <pid>: SIGTERM (controlled shutdown), SIGKILL after 60s.
kafka_stop_pid() {
  local pid="$1" t0 deadline
  t0=$(now_ms)
  deadline=$(( $(date +%s) + 60 ))
  log "kafka: stopping broker (pid ${pid})"
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    if (( $(date +%s) >= deadline )); then
      log "kafka: broker did not exit within 60s after SIGTERM, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.3
  done
  rm -f "$KAFKA_PID_FILE"
  phase_done "kafka stop" "$t0"
}

kafka_down() {
  local pid
  if ! pid="$(kafka_pid)"; then
    rm -f "$KAFKA_PID_FILE"
    log "kafka: not running (no live pid in ${KAFKA_PID_FILE})"
    return 0
  fi
  kafka_stop_pid "$pid"
}

kafka_status() {
  local pid
  if pid="$(kafka_pid)"; then
    if port_open "$KAFKA_PORT"; then
      echo "kafka: running on 127.0.0.1:${KAFKA_PORT} (pid ${pid}, log ${KAFKA_LOG})"
    else
      echo "kafka: starting (pid ${pid}), port ${KAFKA_PORT} not open yet (log ${KAFKA_LOG})"
    fi
  elif port_open "$KAFKA_PORT"; then
    echo "kafka: something listens on 127.0.0.1:${KAFKA_PORT} (not started from ${KAFKA_DIR})"
  else
    echo "kafka: not running (port ${KAFKA_PORT})"
  fi
}

# --------------------------------------------------------------------------- main

# with_lock: serialise concurrent up/down runs on the same state dir.
with_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"${STATE_DIR}/services.lock"
  if ! flock -w 300 9; then
    die "another services.sh holds ${STATE_DIR}/services.lock"
  fi
}

usage() {
  echo "usage: $0 up|down|status|kafka-up|kafka-down|pg-up|pg-down" >&2
  exit 2
}

main() {
  [[ $# -eq 1 ]] || usage
  local t0; t0=$(now_ms)
  case "$1" in
    up)
      require_root
      with_lock
      log "up: state ${STATE_DIR}"
      pg_up
      kafka_up
      phase_done "up" "$t0"
      log "ready: postgresql://${PG_APP_USER}:${PG_APP_PASSWORD}@127.0.0.1:${PG_PORT}/${PG_APP_DB}  kafka 127.0.0.1:${KAFKA_PORT}"
      ;;
    down)
      require_root
      with_lock
      kafka_down
      pg_down
      phase_done "down" "$t0"
      ;;
    kafka-up|kafka-down|pg-up|pg-down)
      require_root
      with_lock
      "${1%-*}_${1#*-}"
      phase_done "$1" "$t0"
      ;;
    status)
      pg_status
      kafka_status
      ;;
    -h|--help|help) usage ;;
    *) usage ;;
  esac
}

main "$@"
