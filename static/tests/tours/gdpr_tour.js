/** @odoo-module **/
import { registry } from "@web/core/registry";

// Register an access request, verify the requester's identity, execute it and download the export.
registry.category("web_tour.tours").add("customer_relationship_gdpr_access_tour", {
    url: "/odoo/action-customer_relationship.action_gdpr_request",
    steps: () => [
        { trigger: ".o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new", run: "click" },
        { trigger: ".o_field_widget[name=request_type] select", run: "select \"access\"" },
        { trigger: ".o_field_widget[name=requester_name] input", run: "edit Tour Person" },
        { trigger: ".o_field_widget[name=requester_email] input", run: "edit tour.person@example.com" },
        { trigger: ".o_field_widget[name=partner_id] input", run: "edit Tour Person" },
        { trigger: ".o-autocomplete--dropdown-item a:contains('Tour Person')", run: "click" },
        { trigger: ".o_notebook .nav-link:contains('Identity')", run: "click" },
        { trigger: ".o_field_widget[name=identity_method] select", run: "select \"id_document\"" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: "button[name=action_verify_identity]", run: "click" },
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('Verified')" },
        { trigger: "button[name=action_execute]", run: "click" },
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: "button[name=action_download_export]", run: "click" },
        { trigger: ".o_notebook .nav-link:contains('Result')", run: "click" },
        { trigger: ".o_field_widget[name=result]:contains('_export.zip')" },
    ],
});

// Find the person's data, review the plan lines, then execute the erasure.
registry.category("web_tour.tours").add("customer_relationship_gdpr_erasure_tour", {
    steps: () => [
        { trigger: "button[name=action_prepare_plan]", run: "click" },
        { trigger: ".o_notebook .nav-link:contains('Plan')", run: "click" },
        { trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Interaction'):contains('Delete')" },
        { trigger: "button[name=action_execute]", run: "click" },
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: ".o_notebook .nav-link:contains('Result')", run: "click" },
        { trigger: ".o_field_widget[name=result]:not(:empty)" },
    ],
});
