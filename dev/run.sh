#!/usr/bin/env bash
# make run: a demo database with the addon, upgraded when the code changed, served on :8069.
source "$(dirname "$0")/common.sh"
setup_all
# Print and Send Answer render PDF reports.
ensure_deb wkhtmltopdf wkhtmltopdf "PDF reports (the privacy answer letter)"
DB=${CR_DEMO_DB:-customer_relationship_demo}
PORT=${CR_PORT:-8069}
stamp="$RUN/$DB.addon-hash"
if ! db_exists "$DB"; then
    say "Creating database $DB with demo data (once)."
    odoo_bin -d "$DB" -i customer_relationship --stop-after-init
    addon_hash > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(addon_hash)" ]; then
    say "The addon changed: upgrading it in $DB."
    odoo_bin -d "$DB" -u customer_relationship --stop-after-init
    addon_hash > "$stamp"
fi
say "Serving http://localhost:$PORT (login admin / admin). Ctrl-C stops."
exec "$VENV/bin/python" "$ODOO/odoo-bin" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" "$@"
