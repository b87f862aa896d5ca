/** @odoo-module **/
// Privacy requests as the officer works them, in English and in Turkish: the figures shown are checked, not
// only the clicks. The Python side (tests/test_ui_tours.py) builds the data and sets the next reference to 0007.
import { registry } from "@web/core/registry";

const { DateTime } = luxon;

function reference() {
    return `GDPR/${DateTime.now().year}/0007`;
}

function expectValue(selector, expected) {
    return {
        trigger: selector,
        run() {
            const value = document.querySelector(selector).value;
            if (value !== expected) {
                throw new Error(`${selector} shows "${value}", expected "${expected}"`);
            }
        },
    };
}

// From the contact's Action menu: the requester is prefilled and access proposed; Register shows the new
// reference; then identity, execution and the export's download.
function registerSteps({ registerLabel }) {
    return [
        { trigger: ".o_form_view .o_field_widget[name=name] input" },
        { trigger: ".o_cp_action_menus button:has(.fa-cog)", run: "click" },
        { trigger: `.o-dropdown--menu .o_menu_item:contains('${registerLabel}')`, run: "click" },
        expectValue(".modal .o_field_widget[name=requester_name] input", "Tour Person"),
        expectValue(".modal .o_field_widget[name=requester_email] input", "tour.person@example.com"),
        expectValue(".modal .o_field_widget[name=request_type] select", '"access"'),
        { trigger: ".modal .o_field_widget[name=partner_id] input" },
        expectValue(".modal .o_field_widget[name=partner_id] input", "Tour Person"),
        { trigger: ".modal button[name=action_register]", run: "click" },
        // The officer lands on the new request: its reference, its officer from the settings.
        { trigger: `.o_form_view .o_field_widget[name=name]:contains('${reference()}')` },
        { trigger: `.o_breadcrumb:contains('${reference()}')` },
        expectValue(".o_form_view .o_field_widget[name=user_id] input", "Tour Officer"),
        { trigger: ".o_notebook a[name=identity]", run: "click" },
        { trigger: ".o_field_widget[name=identity_method] select", run: "select \"id_document\"" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: "button[name=action_verify_identity]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=verified]" },
        { trigger: "button[name=action_execute]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=done]" },
        { trigger: "button[name=action_download_export]", run: "click" },
        { trigger: ".o_notebook a[name=result]", run: "click" },
        { trigger: ".o_field_widget[name=result]:contains('_export.zip')" },
    ];
}

registry.category("web_tour.tours").add("customer_relationship_gdpr_register_tour_en", {
    steps: () => registerSteps({ registerLabel: "Register a GDPR Request" }),
});

registry.category("web_tour.tours").add("customer_relationship_gdpr_register_tour_tr", {
    steps: () => registerSteps({ registerLabel: "GDPR Talebi Kaydet" }),
});

function summaryCell(model, column, count) {
    return `.modal .o_gdpr_erasure_summary tr[data-model='${model}'] td:nth-child(${column}):contains('${count}')`;
}

// Preview (the plan), the confirmation naming what goes, then the erasure.
function eraseSteps({ interactionLabel, contactLabel }) {
    return [
        { trigger: `.o_form_view .o_field_widget[name=name]:contains('${reference()}')` },
        // Execute waits for the plan.
        { trigger: ".o_form_view:not(:has(button[name=action_execute]))" },
        { trigger: "button[name=action_prepare_plan]", run: "click" },
        { trigger: ".o_notebook a[name=plan]", run: "click" },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row",
            run() {
                const rows = document.querySelectorAll(".o_field_widget[name=line_ids] .o_data_row");
                if (rows.length !== 6) {
                    throw new Error(`the plan shows ${rows.length} lines, expected 6`);
                }
            },
        },
        { trigger: "button[name=action_execute]", run: "click" },
        // The confirmation names the request and what goes: 1 contact anonymised, 2 interactions, their 2 chatter
        // messages and 1 consent deleted, nothing kept.
        { trigger: `.modal .o_field_widget[name=request_name]:contains('${reference()}')` },
        { trigger: ".modal .o_field_widget[name=partner_id]:contains('Erase Me')" },
        { trigger: ".modal .o_field_widget[name=anonymise_count]:contains('1')" },
        { trigger: ".modal .o_field_widget[name=delete_count]:contains('5')" },
        { trigger: ".modal .o_field_widget[name=keep_count]:contains('0')" },
        { trigger: `.modal .o_gdpr_erasure_summary tr[data-model='relationship.interaction'] td:first-child:contains('${interactionLabel}')` },
        { trigger: summaryCell("relationship.interaction", 3, 2) },
        { trigger: `.modal .o_gdpr_erasure_summary tr[data-model='res.partner'] td:first-child:contains('${contactLabel}')` },
        { trigger: summaryCell("res.partner", 2, 1) },
        { trigger: summaryCell("gdpr.consent", 3, 1) },
        { trigger: summaryCell("mail.message", 3, 2) },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=done]" },
        { trigger: ".o_form_view .o_field_widget[name=subject_erasure]:not(:empty)" },
        { trigger: ".o_notebook a[name=result]", run: "click" },
        { trigger: ".o_field_widget[name=result]:not(:empty)" },
    ];
}

registry.category("web_tour.tours").add("customer_relationship_gdpr_erasure_tour_en", {
    steps: () => eraseSteps({ interactionLabel: "Customer Interaction", contactLabel: "Contact" }),
});

registry.category("web_tour.tours").add("customer_relationship_gdpr_erasure_tour_tr", {
    steps: () => eraseSteps({ interactionLabel: "Müşteri Etkileşimi", contactLabel: "Kontak" }),
});

// The erased contact says under which request and when, and nothing else of the person.
function erasedContactSteps({ dateFormat }) {
    return [
        {
            trigger: `.o_gdpr_erased_banner:contains('${reference()}'):contains('${DateTime.now().toFormat(dateFormat)}')`,
        },
        { trigger: ".o_form_view .o_field_widget[name=name] input" },
        expectValue(".o_form_view .o_field_widget[name=email] input", ""),
    ];
}

registry.category("web_tour.tours").add("customer_relationship_gdpr_erased_contact_tour_en", {
    steps: () => erasedContactSteps({ dateFormat: "MM/dd/yyyy" }),
});

registry.category("web_tour.tours").add("customer_relationship_gdpr_erased_contact_tour_tr", {
    // Turkish writes dates day first, with hyphens (res.lang tr_TR: %d-%m-%Y)
    steps: () => erasedContactSteps({ dateFormat: "dd-MM-yyyy" }),
});
