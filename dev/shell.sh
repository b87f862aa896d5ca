#!/usr/bin/env bash
# make shell: odoo shell on the demo database.
source "$(dirname "$0")/common.sh"
setup_all
exec "$VENV/bin/python" "$ODOO/odoo-bin" shell -c "$CONF" -d "${CR_DEMO_DB:-customer_relationship_demo}" "$@"
