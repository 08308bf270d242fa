#!/usr/bin/env bash
# Makes sure the real databases (and the few tools) the tests use are there, on 127.0.0.1: PostgreSQL 5432 (database
# "test", user postgres, trust auth on loopback) and MariaDB 3306 (database "test", root with no
# password); Chromium and chromedriver for the dashboard's browser tests. Installs them from
# Debian's packages if missing, starts them if stopped, and fails loudly if it cannot. Used by .ci/run; safe to run by hand.
set -euo pipefail

fail() { echo "services: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || fail "$1 needs root to install or start; run as root or start it yourself"; }
apt_install() {
  need_root "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null || fail "could not install $*"
}
wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  fail "$what did not come up within 30 s"
}

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q; }
ensure_postgres() {
  command -v pg_ctlcluster >/dev/null || apt_install postgresql postgresql-client
  if ! pg_up; then
    need_root "starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -1)
    echo "services: starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || fail "pg_ctlcluster could not start PostgreSQL $version"
    wait_for PostgreSQL pg_up
  fi
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    need_root "configuring PostgreSQL trust auth on loopback"
    local hba
    hba=$(su postgres -c "psql -Atqc 'show hba_file'") || fail "cannot ask PostgreSQL for its hba file"
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    su postgres -c "psql -qc 'select pg_reload_conf()'" >/dev/null
    wait_for "PostgreSQL trust auth" psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1'
  fi
  if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'")" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test' || fail "cannot create PostgreSQL database test"
  fi
  echo "services: PostgreSQL ready on 127.0.0.1:5432"
}

maria_up() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'select 1' >/dev/null 2>&1; }
ensure_mariadb() {
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server mariadb-client
  if ! maria_up; then
    need_root "starting MariaDB"
    echo "services: starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql \
      || fail "could not start MariaDB"
    wait_for MariaDB maria_up
  fi
  mariadb -h 127.0.0.1 -u root -e 'create database if not exists test' || fail "cannot create MariaDB database test"
  echo "services: MariaDB ready on 127.0.0.1:3306"
}

# The dashboard's browser tests drive Debian's Chromium through its own chromedriver (never a
# downloaded browser or driver), so both must be the system's, at these paths.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver
  fi
  [ -x /usr/bin/chromium ] || fail "chromium is not at /usr/bin/chromium after installing it"
  [ -x /usr/bin/chromedriver ] || fail "chromedriver is not at /usr/bin/chromedriver after installing chromium-driver"
  echo "services: $(/usr/bin/chromedriver --version | cut -d' ' -f1-2) ready for the browser tests"
}

# Tools the tests run as real peers: openssl (a TLS 1.1 handshake the JDK will not offer),
# script (a pseudo-terminal for the CLI's no-echo prompt) and strace (counts the server's fsync calls:
# an acknowledged write is on the disk, not only in the page cache a SIGKILL leaves behind).
command -v openssl >/dev/null || apt_install openssl
command -v script >/dev/null || apt_install bsdutils
command -v strace >/dev/null || apt_install strace
# bubblewrap: the sandbox every run_with_secrets command runs in (mcp/README.md); prlimit sets its limits.
command -v bwrap >/dev/null || apt_install bubblewrap
command -v prlimit >/dev/null || apt_install util-linux
bwrap --unshare-all --die-with-parent --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \
  --symlink usr/lib64 /lib64 -- /usr/bin/true || fail "bubblewrap cannot make a sandbox here (user namespaces off?)"

ensure_postgres
ensure_mariadb
ensure_chromium
# Node and npm: the OpenAPI lint, the dashboard's accessibility check, the TypeScript client (sdk-js) and
# the VS Code extension (ide/vscode) install their pinned npm packages with npm ci during the build. The
# extension's tests load the client's ES modules through require(), which needs Node 20.19 or newer.
command -v npm >/dev/null || apt_install nodejs npm
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
  || fail "Node $(node --version) is too old: the TypeScript tests need Node 20.19 or newer"
echo "services: node $(node --version) and npm $(npm --version) ready"
