/** @odoo-module **/
// Create a SMART goal, see activation refused with every missing criterion, complete it, activate it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_relationship_goal_tour", {
    url: "/odoo/action-customer_relationship.action_relationship_goal",
    steps: () => [
        { trigger: ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Win five new customers" },
        { trigger: ".o_field_widget[name=kpi_id] input", run: "edit Customer Acquisition" },
        { trigger: ".o-autocomplete--dropdown-item a:contains('Customer Acquisition')", run: "click" },
        { trigger: ".o_field_widget[name=target_value] input", run: "edit 5" },
        { trigger: ".o_field_widget[name=date_deadline] input", run: "edit 12/31/2099" },
        { trigger: ".o_form_sheet", run: "click" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: "button[name=action_activate]", run: "click" },
        // One refusal lists every missing criterion in plain words.
        { trigger: ".modal .modal-body:contains('cannot be activated yet'):contains('Specific'):contains('Relevant'):contains('Achievable')" },
        { trigger: ".modal .modal-footer .btn-primary", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_notebook a[name=specific], .o_notebook .nav-link:contains('Specific')", run: "click" },
        { trigger: ".o_field_widget[name=description] textarea", run: "edit New companies in the Customer stage" },
        // Commit the text before its tab is left.
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_notebook .nav-link:contains('Achievable')", run: "click" },
        { trigger: ".o_field_widget[name=achievability_note] textarea", run: "edit New sales team starts this year" },
        { trigger: ".o_field_widget[name=relevance] textarea", run: "edit Growth funds the next office" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: "button[name=action_activate]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Active')" },
        { trigger: "button[name=action_measure]" },
    ],
});
