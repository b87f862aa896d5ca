# Shared set-up for make run / make test / make shell: sourced, not executed.
# Finds Odoo 18 and PostgreSQL, prepares .venv and the odoo config under .run/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN="$ROOT/.run"
# Filestores live beside the databases' server, not in the clone: a new clone reuses the demo database.
DATA="${CR_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/customer_relationship}"
VENV="${CR_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
mkdir -p "$RUN"

say() { printf '[customer_relationship] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# --- Odoo source: ODOO_SOURCE, then /opt/odoo18, then a shallow clone of the official 18.0 branch.
find_odoo() {
    if [ -n "${ODOO_SOURCE:-}" ]; then
        [ -f "$ODOO_SOURCE/odoo-bin" ] || die "ODOO_SOURCE=$ODOO_SOURCE holds no Odoo 18 source (no odoo-bin): set ODOO_SOURCE to the folder of an Odoo 18.0 checkout."
        ODOO="$ODOO_SOURCE"
    elif [ -f /opt/odoo18/odoo-bin ]; then
        ODOO=/opt/odoo18
    elif [ -f "$RUN/odoo-src/odoo-bin" ]; then
        ODOO="$RUN/odoo-src"
    else
        say "No Odoo source found; cloning the official 18.0 branch (shallow)."
        git clone -q --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$RUN/odoo-src.tmp" 2>/dev/null \
            && mv "$RUN/odoo-src.tmp" "$RUN/odoo-src" \
            || { rm -rf "$RUN/odoo-src.tmp"; die "No Odoo 18 source found and it could not be downloaded: set ODOO_SOURCE=/path/to/odoo-18.0 (a folder holding odoo-bin) and run again."; }
        ODOO="$RUN/odoo-src"
    fi
    grep -q "18, 0" "$ODOO/odoo/release.py" || die "$ODOO is not Odoo 18.0: set ODOO_SOURCE to an Odoo 18.0 source tree."
    export ODOO
}

# --- Virtualenv: rebuilt only when the pinned files or the Odoo source path change.
ensure_venv() {
    local stamp="$VENV/.cr-stamp" want
    want=$(cat "$ROOT/dev/requirements-odoo.txt" "$ROOT/dev/requirements-dev.txt" "$ROOT/dev/constraints.txt" | sha1sum | cut -c1-12)-$(echo "$ODOO" | sha1sum | cut -c1-8)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    say "Preparing .venv (Odoo from $ODOO); this happens once."
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    PIP_CONSTRAINT="$ROOT/dev/constraints.txt" "$VENV/bin/pip" install -q --disable-pip-version-check \
        -r "$ROOT/dev/requirements-odoo.txt" -r "$ROOT/dev/requirements-dev.txt"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -e "$ODOO"
    echo "$want" > "$stamp"
}

# --- PostgreSQL: PG* variables, else the local socket or 127.0.0.1:5432, else a private cluster under .run/.
pg_answers() { "$VENV/bin/python" - "$@" <<'PYEOF' >/dev/null 2>&1
import os, sys, psycopg2
kw = {}
for env, key in (("PGHOST", "host"), ("PGPORT", "port"), ("PGUSER", "user"), ("PGPASSWORD", "password")):
    if os.environ.get(env):
        kw[key] = os.environ[env]
psycopg2.connect(dbname="postgres", **kw).close()
PYEOF
}

ensure_pg() {
    if pg_answers; then return; fi
    if [ -z "${PGHOST:-}" ]; then
        export PGHOST=127.0.0.1 PGPORT=${PGPORT:-5432}
        if pg_answers; then return; fi
        unset PGHOST
    fi
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$bindir" ] || die "PostgreSQL does not answer (PG* variables, local socket, 127.0.0.1:5432) and is not installed: install PostgreSQL or set PGHOST/PGPORT/PGUSER."
    local data="$RUN/pgdata" sock="$RUN/pgsock" owner
    owner=$(id -un)
    mkdir -p "$sock"
    if [ "$(id -u)" = 0 ]; then
        owner=crpostgres
        id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
        chown "$owner" "$RUN" "$sock"
    fi
    as_owner() { if [ "$(id -u)" = 0 ]; then su -s /bin/sh "$owner" -c "$*"; else sh -c "$*"; fi; }
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$bindir/initdb -q -D '$data' -A trust -U '$(id -un)'"
    fi
    say "No PostgreSQL answered: starting a private one under .run/pgdata (port 5439)."
    as_owner "$bindir/pg_ctl -D '$data' -l '$RUN/pg.log' -o \"-p 5439 -k '$sock' -c listen_addresses=''\" -w start" >/dev/null
    export PGHOST="$sock" PGPORT=5439
    pg_answers || die "The private PostgreSQL under .run/ did not start; see .run/pg.log."
}

# --- Odoo config: the addon is reached through a folder named customer_relationship.
write_config() {
    mkdir -p "$RUN/addons"
    ln -sfn "$ROOT" "$RUN/addons/customer_relationship"
    CONF="$RUN/odoo.conf"
    {
        echo "[options]"
        echo "addons_path = $RUN/addons,$ODOO/addons,$ODOO/odoo/addons"
        echo "data_dir = $DATA"
        echo "db_host = ${PGHOST:-False}"
        echo "db_port = ${PGPORT:-False}"
        echo "db_user = ${PGUSER:-False}"
        echo "db_password = ${PGPASSWORD:-False}"
        echo "admin_passwd = admin"
        echo "list_db = True"
        echo "log_level = ${ODOO_LOG_LEVEL:-warn}"
        echo "max_cron_threads = ${ODOO_CRON_THREADS:-1}"
    } > "$CONF"
    export CONF
}

odoo_bin() { "$VENV/bin/python" "$ODOO/odoo-bin" -c "$CONF" "$@"; }

psql_q() { "$VENV/bin/python" - "$@" <<'PYEOF'
import os, sys, psycopg2
kw = {k: os.environ[e] for e, k in (("PGHOST", "host"), ("PGPORT", "port"), ("PGUSER", "user"), ("PGPASSWORD", "password")) if os.environ.get(e)}
conn = psycopg2.connect(dbname="postgres", **kw)
conn.autocommit = True
cur = conn.cursor()
cur.execute(sys.argv[1], sys.argv[2:] or None)
if cur.description:
    for row in cur.fetchall():
        print("|".join(str(c) for c in row))
PYEOF
}

db_exists() { [ -n "$(psql_q "SELECT 1 FROM pg_database WHERE datname = %s" "$1")" ]; }

# Hash of the addon's source: an upgrade is due when it changes.
addon_hash() {
    (cd "$ROOT" && git ls-files -co --exclude-standard -- ':!tests' ':!dev' ':!.ci' ':!Makefile' ':!README.md' 2>/dev/null \
        | sort | xargs -d '\n' cat 2>/dev/null | sha1sum | cut -c1-12)
}

# Database $1 as a copy of a template with Odoo's own modules ($2, default the addon's dependencies),
# installed once and keyed by the Odoo tree and the modules.
BASE_MODULES=mail,contacts,privacy_lookup
copy_template_db() {
    local tmpl modules="${2:-$BASE_MODULES}"
    tmpl="cr_tmpl_$( (echo "$ODOO $DATA"; [ "$modules" = "$BASE_MODULES" ] || echo "$modules"; sha1sum "$ODOO/odoo/release.py") | sha1sum | cut -c1-10)"
    if ! db_exists "$tmpl"; then
        say "Preparing template database $tmpl with $modules (once)."
        odoo_bin -d "$tmpl.tmp" -i "$modules" --without-demo=all --stop-after-init \
            || { psql_q "DROP DATABASE IF EXISTS \"$tmpl.tmp\""; die "Installing Odoo's base modules failed."; }
        psql_q "ALTER DATABASE \"$tmpl.tmp\" RENAME TO \"$tmpl\""
        if [ -d "$DATA/filestore/$tmpl.tmp" ]; then mv "$DATA/filestore/$tmpl.tmp" "$DATA/filestore/$tmpl"; fi
    fi
    psql_q "CREATE DATABASE \"$1\" TEMPLATE \"$tmpl\""
    # CREATE DATABASE copies rows, not files: give the copy the template's attachments too.
    if [ -d "$DATA/filestore/$tmpl" ]; then
        mkdir -p "$DATA/filestore" && cp -a "$DATA/filestore/$tmpl" "$DATA/filestore/$1"
    fi
}

# A uniquely named database with the addon installed (no demo), dropped when the script exits. Sets DB.
# $2: the template's modules (default the addon's dependencies).
fresh_addon_db() {
    DB="$1_$(date +%Y%m%d%H%M%S)_$$"
    trap 'psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$DATA/filestore/$DB"' EXIT
    copy_template_db "$DB" "${2:-}"
    say "Installing customer_relationship into $DB."
    odoo_bin -d "$DB" -i customer_relationship --without-demo=all --stop-after-init \
        || die "Installing the addon failed."
}

# Debian packages the addon's screens need on this machine: $1 = command, $2 = package, $3 = what for.
ensure_deb() {
    command -v "$1" >/dev/null && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing $2 for $3 (Debian package)."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2") >/dev/null \
            || die "$2 could not be installed: $3 cannot work. Install the $2 package."
    else
        die "$1 is missing: $3 cannot work. Install the $2 package."
    fi
}

setup_all() {
    find_odoo
    ensure_venv
    ensure_pg
    write_config
}
