/** @odoo-module **/
// Log an interaction from the partner form; see it in the tab and in the counter.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_relationship_interaction_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=name]:contains('Tour Customer'), .o_form_view .o_field_widget[name=name] input" },
        { trigger: ".o_notebook .nav-link:contains('Interactions')", run: "click" },
        { trigger: "button[name=action_log_interaction]", run: "click" },
        { trigger: ".modal .o_field_widget[name=subject] input", run: "edit Discussed the spring order" },
        { trigger: ".modal .o_field_widget[name=channel] select", run: "select \"meeting\"" },
        { trigger: ".modal .o_field_widget[name=outcome] input[data-value=positive]", run: "click" },
        { trigger: ".modal .modal-footer button.btn-primary:contains('Log')", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_field_widget[name=interaction_ids] .o_data_row:contains('Discussed the spring order')" },
        { trigger: "button[name=action_view_interactions] .o_stat_value:contains('1')" },
        { trigger: ".o_field_widget[name=last_interaction_date]:not(:empty)" },
    ],
});
