#!/usr/bin/env bash
# make screenshots: serve the demo database on a free port and capture the main screens into static/description/.
source "$(dirname "$0")/common.sh"
setup_all
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CR_PORT=$PORT setsid bash "$ROOT/dev/run.sh" >"$RUN/screenshots-server.log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/web/login")" = 200 ] && break
    sleep 1
done
DB=${CR_DEMO_DB:-customer_relationship_demo}
"$VENV/bin/python" "$ROOT/dev/screenshots.py" "http://127.0.0.1:$PORT" "$DB" "$ROOT/static/description" \
    overview=/odoo/action-customer_relationship.action_relationship_overview \
    "interactions=/odoo/contacts/{customer_relationship.demo_pipeline_partner_12}|.o_notebook a[name=relationship_interactions]" \
    pipeline=/odoo/action-customer_relationship.action_relationship_default_board \
    goal=/odoo/action-customer_relationship.action_relationship_goal/{customer_relationship.demo_goal_acquisition} \
    "goal_chart=/odoo/action-customer_relationship.action_relationship_goal/{customer_relationship.demo_goal_acquisition}|button[name=action_view_measurements]" \
    gdpr=/odoo/action-customer_relationship.action_gdpr_request/{customer_relationship.gdpr_demo_request_access} \
    "gdpr_intake=/odoo/contacts/{customer_relationship.demo_interaction_contact_01}|.o_cp_action_menus button|.o-dropdown--menu .o_menu_item>>Register a GDPR Request" \
    "gdpr_erasure_confirm=/odoo/action-customer_relationship.action_gdpr_request/{customer_relationship.gdpr_demo_request_erasure_ready}|button[name=action_execute]" \
    segments=/odoo/action-customer_relationship.action_relationship_customer_segments
