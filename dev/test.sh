#!/usr/bin/env bash
# make test: a fresh database, the addon installed, the whole suite through pytest-odoo, then dropped.
source "$(dirname "$0")/common.sh"
setup_all

# Browser tours need Chromium; PDF answers (QWeb reports) need wkhtmltopdf. Debian's packages are what Odoo 18 finds.
command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || ensure_deb chromium chromium "the browser tours"
ensure_deb wkhtmltopdf wkhtmltopdf "PDF reports (the privacy answer letter)"

# CRM and Sales beside the addon (never its dependencies): the stage rules are tested on their real records.
TEST_MODULES="$BASE_MODULES,crm,sale_management"
fresh_addon_db cr_test "$TEST_MODULES"

# pytest-odoo names the addon after the folder: run through the customer_relationship link.
ADDON="$RUN/addons/customer_relationship"
targets=()
for t in "${@:-tests}"; do
    case "$t" in -*) targets+=("$t") ;; *) targets+=("$ADDON/$t") ;; esac
done
# Tours serve HTTP: a free port of its own, so that `make run` or another `make test` may run beside it.
TEST_CONF="$RUN/odoo-test-$$.conf"
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{ cat "$CONF"; echo "http_port = $PORT"; echo "http_interface = 127.0.0.1"; } > "$TEST_CONF"
trap 'rm -f "$TEST_CONF"; psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$DATA/filestore/$DB"' EXIT
cd "$ADDON"
set +e
"$VENV/bin/python" -m pytest -p no:cacheprovider --rootdir="$ADDON" --odoo-config="$TEST_CONF" --odoo-database="$DB" \
    --odoo-http "${targets[@]}"
rc=$?
set -e
# pytest's 5 (nothing collected) is a failure here: a suite that ran nothing proves nothing.
[ $rc -eq 0 ] || say "Tests failed (pytest exit $rc)."
exit $rc
