# Starts the real servers the tests run against, on free loopback ports, and stops them on exit. Sourced by scripts/test.
#   s3rver      an S3 protocol server (npm package, pinned in tests/services/package-lock.json)
#   PostgreSQL  a throw-away cluster of Debian's postgresql (installed when missing and we are root)
#   nginx       Debian's nginx, started by the CDN test itself as a caching reverse proxy (installed here when missing)
# Exports TESTS_S3_ENDPOINT, TESTS_S3RVER (the script, for tests that start and kill their own), TESTS_POSTGRES (an Npgsql
# connection string of a superuser, used to create one database per test), TESTS_PG_BIN (the server binaries, for a test
# that starts and stops its own cluster) and TESTS_NGINX.

services_root=""

services_stop() {
  [[ -n "$services_root" && -d "$services_root" ]] || return 0
  if [[ -f "$services_root/s3rver.pid" ]]; then kill "$(cat "$services_root/s3rver.pid")" 2>/dev/null || true; fi
  if [[ -f "$services_root/pg/data/postmaster.pid" ]]; then
    as_postgres "$pg_bin/pg_ctl" -D "$services_root/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$services_root"
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

wait_for() { # description, command...
  local what="$1"; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$what did not start; its log follows" >&2
  return 1
}

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_s3rver() {
  command -v node >/dev/null 2>&1 || { echo "Node.js (node, npm) is required: the tests run an S3 server (s3rver)" >&2; return 1; }
  (cd tests/services && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  local script port
  script="$(pwd)/tests/services/node_modules/s3rver/bin/s3rver.js"
  port=$(free_port)
  mkdir -p "$services_root/s3"
  # --openssl-legacy-provider: s3rver encrypts list continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
  node --openssl-legacy-provider "$script" -d "$services_root/s3" -a 127.0.0.1 -p "$port" --silent >"$services_root/s3rver.log" 2>&1 &
  echo $! >"$services_root/s3rver.pid"
  wait_for "s3rver" curl -s -o /dev/null "http://127.0.0.1:$port/" || { cat "$services_root/s3rver.log" >&2; return 1; }
  export TESTS_S3_ENDPOINT="http://127.0.0.1:$port" TESTS_S3RVER="$script"
  echo "s3rver on 127.0.0.1:$port"
}

find_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

start_postgres() {
  pg_bin=$(find_pg_bin)
  if [[ -z "$pg_bin" ]]; then
    apt_install postgresql || true
    pg_bin=$(find_pg_bin)
    [[ -n "$pg_bin" ]] || { echo "PostgreSQL server binaries are required (Debian: apt-get install postgresql)" >&2; return 1; }
  fi
  local port data
  port=$(free_port)
  data="$services_root/pg/data"
  mkdir -p "$data" "$services_root/pg/socket"
  [[ $(id -u) -eq 0 ]] && chown -R postgres: "$services_root/pg"
  as_postgres "$pg_bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$services_root/pg/initdb.log" 2>&1 \
    || { cat "$services_root/pg/initdb.log" >&2; return 1; }
  # A throw-away cluster: durability settings off for speed, enough connections for parallel test classes.
  as_postgres "$pg_bin/pg_ctl" -D "$data" -l "$services_root/pg/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $services_root/pg/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    >/dev/null || { cat "$services_root/pg/server.log" >&2; return 1; }
  export TESTS_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" TESTS_PG_BIN="$pg_bin"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

apt_install() { # package…: installs Debian packages when we are root, refreshing the package lists once if needed
  [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1 || return 1
  echo "installing Debian's $* for the tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null; }
}

find_nginx() {
  command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; }
}

ensure_nginx() {
  local nginx
  nginx=$(find_nginx || true)
  if [[ -z "$nginx" ]]; then apt_install nginx || true; nginx=$(find_nginx || true); fi
  [[ -n "$nginx" ]] || { echo "nginx is required for the CDN test (Debian: apt-get install nginx)" >&2; return 1; }
  export TESTS_NGINX="$nginx"
  echo "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///')"
}

services_start() {
  services_root=$(mktemp -d /tmp/direkt-test-services.XXXXXX)
  chmod 755 "$services_root"
  trap services_stop EXIT
  start_s3rver
  start_postgres
  ensure_nginx
}
