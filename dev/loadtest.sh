#!/usr/bin/env bash
# make loadtest: 16 XML-RPC clients x 200 interactions plus random stage moves against a local Odoo,
# with --workers=4 then --workers=0, crons running; prints the figures side by side.
# Loopback only (127.0.0.1, free ports); each run is bounded (CR_LOAD_TIME_LIMIT seconds, default 600).
source "$(dirname "$0")/common.sh"
setup_all
DB=${CR_LOAD_DB:-customer_relationship_loadtest}
stamp="$RUN/$DB.addon-hash"
if ! db_exists "$DB"; then
    say "Creating database $DB with the addon (once)."
    odoo_bin -d "$DB" -i customer_relationship --without-demo=all --stop-after-init
    addon_hash > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(addon_hash)" ]; then
    say "The addon changed: upgrading it in $DB."
    odoo_bin -d "$DB" -u customer_relationship --stop-after-init
    addon_hash > "$stamp"
fi
exec "$VENV/bin/python" "$ROOT/dev/loadtest.py" --python "$VENV/bin/python" --odoo-bin "$ODOO/odoo-bin" \
    --conf "$CONF" --db "$DB" --logdir "$RUN" \
    --clients "${CR_LOAD_CLIENTS:-16}" --per-client "${CR_LOAD_PER_CLIENT:-200}" \
    --time-limit "${CR_LOAD_TIME_LIMIT:-600}" --workers "${CR_LOAD_WORKERS:-4,0}"
