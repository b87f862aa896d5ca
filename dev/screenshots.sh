#!/usr/bin/env bash
# make screenshots: serve the demo database on a free port and capture its screens in each language.
# Every screen, in every language of CR_SCREENSHOT_LANGS (default "en_US tr_TR"), goes to .run/screenshots/<lang>/
# for review (layout, untranslated words); the English Apps-page set (APPS) is then copied to static/description/.
# CR_SCREENSHOTS="name name" captures only those screens.
source "$(dirname "$0")/common.sh"
setup_all
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CR_PORT=$PORT setsid bash "$ROOT/dev/run.sh" >"$RUN/screenshots-server.log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/web/login")" = 200 ] && break
    sleep 1
done
DB=${CR_DEMO_DB:-customer_relationship_demo}
RULES=/odoo/action-customer_relationship.action_relationship_stage_rule
REGISTER=/odoo/action-customer_relationship.action_gdpr_data_category
RETENTION=/odoo/action-customer_relationship.action_gdpr_retention_rule
DESTRUCTION=/odoo/action-customer_relationship.action_gdpr_destruction_record
APPS=(
    overview=/odoo/action-customer_relationship.action_relationship_overview
    "interactions=/odoo/contacts/{customer_relationship.demo_pipeline_partner_12}|.o_notebook a[name=relationship_interactions]"
    pipeline=/odoo/action-customer_relationship.action_relationship_default_board
    goal=/odoo/action-customer_relationship.action_relationship_goal/{customer_relationship.demo_goal_acquisition}
    "goal_chart=/odoo/action-customer_relationship.action_relationship_goal/{customer_relationship.demo_goal_acquisition}|button[name=action_view_measurements]"
    gdpr=/odoo/action-customer_relationship.action_gdpr_request/{customer_relationship.gdpr_demo_request_access}
    "gdpr_intake=/odoo/contacts/{customer_relationship.demo_interaction_contact_01}|.o_cp_action_menus button|.o-dropdown--menu .o_menu_item>>Register a GDPR Request||GDPR Talebi Kaydet"
    "gdpr_erasure_confirm=/odoo/action-customer_relationship.action_gdpr_request/{customer_relationship.gdpr_demo_request_erasure_ready}|button[name=action_execute]"
    segments=/odoo/action-customer_relationship.action_relationship_customer_segments
)
# The privacy officer's registers and the stage rules: reviewed in each language, not on the Apps page.
REVIEW=(
    register_list=$REGISTER
    "register_form=$REGISTER/{customer_relationship.gdpr_data_category_interaction}"
    # the demo rules are archived until the officer switches them on: the list shows them with "Archived"
    "retention_list=$RETENTION|.o_searchview_dropdown_toggler|.o_filter_menu .o_menu_item|.o_searchview_dropdown_toggler"
    "retention_form=$RETENTION/{customer_relationship.demo_retention_interactions}"
    "retention_interval=$RETENTION|.o_control_panel button>>Periodic Destruction||Periyodik İmha"
    destruction_list=$DESTRUCTION
    "destruction_form=$DESTRUCTION/{customer_relationship.demo_destruction_record_interactions}"
    stage_rule_list=$RULES
    "stage_rule_form=$RULES/{customer_relationship.demo_stage_rule_contacted}"
    "stage_rule_preview=$RULES|.o_control_panel button[name=action_preview]"
    "stage_rule_suggestion=$RULES|.o_menu_sections button>>Configuration||Yapılandırma|.dropdown-item>>Suggested Stage Rules||Önerilen Aşama Kuralları"
)
wanted=()
for shot in "${APPS[@]}" "${REVIEW[@]}"; do
    if [ -z "${CR_SCREENSHOTS:-}" ] || [[ " $CR_SCREENSHOTS " == *" ${shot%%=*} "* ]]; then wanted+=("$shot"); fi
done
for lang in ${CR_SCREENSHOT_LANGS:-en_US tr_TR}; do
    mkdir -p "$RUN/screenshots/$lang"
    "$VENV/bin/python" "$ROOT/dev/screenshots.py" "http://127.0.0.1:$PORT" "$DB" "$RUN/screenshots/$lang" \
        --lang "$lang" "${wanted[@]}"
done
# The Apps page and the README show the English captures of this run.
if [[ " ${CR_SCREENSHOT_LANGS:-en_US tr_TR} " == *" en_US "* ]]; then
    for shot in "${APPS[@]}"; do
        if [[ " ${wanted[*]} " == *" $shot "* ]]; then
            cp "$RUN/screenshots/en_US/screenshot_${shot%%=*}.png" "$ROOT/static/description/"
        fi
    done
fi
