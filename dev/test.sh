#!/usr/bin/env bash
# make test: a fresh database, the addon installed, the whole suite through pytest-odoo, then dropped.
source "$(dirname "$0")/common.sh"
setup_all

# Browser tours need Chromium; Debian's package is what Odoo 18 finds.
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && ! command -v google-chrome >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing Chromium for the browser tours (Debian package)."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
            || die "Chromium could not be installed: the browser tours cannot run. Install the chromium package."
    else
        die "Chromium is missing: the browser tours cannot run. Install the chromium package."
    fi
fi

# Odoo's own modules are installed once into a template keyed by the Odoo tree; each run copies it.
TMPL="cr_tmpl_$( (echo "$ODOO $DATA"; sha1sum "$ODOO/odoo/release.py") | sha1sum | cut -c1-10)"
if ! db_exists "$TMPL"; then
    say "Preparing template database $TMPL with mail, contacts, privacy_lookup (once)."
    odoo_bin -d "$TMPL.tmp" -i mail,contacts,privacy_lookup --without-demo=all --stop-after-init \
        || { psql_q "DROP DATABASE IF EXISTS \"$TMPL.tmp\""; die "Installing Odoo's base modules failed."; }
    psql_q "ALTER DATABASE \"$TMPL.tmp\" RENAME TO \"$TMPL\""
    if [ -d "$DATA/filestore/$TMPL.tmp" ]; then mv "$DATA/filestore/$TMPL.tmp" "$DATA/filestore/$TMPL"; fi
fi

DB="cr_test_$(date +%Y%m%d%H%M%S)_$$"
cleanup() {
    psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$DATA/filestore/$DB"
}
trap cleanup EXIT
psql_q "CREATE DATABASE \"$DB\" TEMPLATE \"$TMPL\""
# CREATE DATABASE copies rows, not files: give the copy the template's attachments too.
if [ -d "$DATA/filestore/$TMPL" ]; then
    mkdir -p "$DATA/filestore" && cp -a "$DATA/filestore/$TMPL" "$DATA/filestore/$DB"
fi
say "Installing customer_relationship into $DB."
odoo_bin -d "$DB" -i customer_relationship --without-demo=all --stop-after-init \
    || die "Installing the addon failed."

# pytest-odoo names the addon after the folder: run through the customer_relationship link.
ADDON="$RUN/addons/customer_relationship"
targets=()
for t in "${@:-tests}"; do
    case "$t" in -*) targets+=("$t") ;; *) targets+=("$ADDON/$t") ;; esac
done
cd "$ADDON"
set +e
"$VENV/bin/python" -m pytest -p no:cacheprovider --rootdir="$ADDON" --odoo-config="$CONF" --odoo-database="$DB" \
    --odoo-http "${targets[@]}"
rc=$?
set -e
# pytest's 5 (nothing collected) is a failure here: a suite that ran nothing proves nothing.
[ $rc -eq 0 ] || say "Tests failed (pytest exit $rc)."
exit $rc
