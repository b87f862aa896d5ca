#!/usr/bin/env bash
# make test-core: Odoo's own suites of contacts, privacy_lookup and mail, run with our addon installed.
# The addon is installed first, then those three modules are upgraded with their tests enabled:
# at_install tests run while each module loads (Odoo's rule: before its dependents, so before us),
# post_install tests run on the full registry, i.e. with customer_relationship loaded.
source "$(dirname "$0")/common.sh"
setup_all
TAGS=${CR_CORE_TAGS:-/contacts,/privacy_lookup,/mail}
DB="cr_core_$(date +%Y%m%d%H%M%S)_$$"
LOG="$RUN/test-core.log"
cleanup() { psql_q "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start=$(date +%s)
say "Installing customer_relationship (and mail, contacts, privacy_lookup) into $DB."
odoo_bin -d "$DB" -i customer_relationship --without-demo=all --stop-after-init \
    || die "Installing the addon failed."
installed=$(date +%s)
say "Running Odoo's tests $TAGS with the addon installed (log: $LOG)."
set +e
odoo_bin -d "$DB" -u contacts,privacy_lookup,mail --test-enable --test-tags "$TAGS" --stop-after-init \
    --log-level=test --http-interface=127.0.0.1 --http-port="$PORT" --max-cron-threads=0 >"$LOG" 2>&1
rc=$?
set -e
end=$(date +%s)
grep -E "ERROR|FAIL:|Ran [0-9]+ tests|tests? (failed|errors?)|failed, " "$LOG" | grep -v "^.*INFO" | tail -40 >&2 || true
grep -E "odoo.tests.stats|Ran [0-9]+ tests|[0-9]+ failed, [0-9]+ error" "$LOG" | tail -5 >&2 || true
say "Install: $((installed - start)) s; Odoo's suites $TAGS: $((end - installed)) s; exit $rc."
failures=$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$LOG" || true)
[ "$rc" -eq 0 ] && [ "$failures" -eq 0 ] || die "Odoo's own tests failed ($failures error lines): see $LOG."
say "Odoo's own tests passed with the addon installed."
