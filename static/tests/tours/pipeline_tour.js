/** @odoo-module **/
// The pipeline board: its title and switcher name the pipeline; drag a partner to another stage and read
// the move in its history; switch to another pipeline (no sample data) and add the partner to it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_relationship_pipeline_tour", {
    url: "/odoo/action-customer_relationship.action_relationship_default_board",
    steps: () => [
        { trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('Customer Lifecycle')" },
        { trigger: ".o_relationship_pipeline_switcher:contains('Customer Lifecycle')" },
        { trigger: ".o_kanban_group:eq(0) .o_kanban_record:contains('Tour Board Partner')" },
        { trigger: ".o_kanban_group:eq(2) .o_column_title:contains('Qualified')" },
        {
            trigger: ".o_kanban_record:contains('Tour Board Partner')",
            run: "drag_and_drop (.o_kanban_group:eq(2) .o_kanban_record:last, .o_kanban_group:eq(2))",
        },
        { trigger: ".o_kanban_group:eq(2) .o_kanban_record:contains('Tour Board Partner') .o_relationship_days" },
        { trigger: ".o_kanban_group:eq(2) .o_kanban_record:contains('Tour Board Partner')", run: "click" },
        { trigger: ".o_field_widget[name=history_ids] .o_data_row:contains('Qualified'):contains('Lead')" },
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('Qualified')" },
        { trigger: ".o_breadcrumb a:contains('Customer Lifecycle')", run: "click" },
        { trigger: ".o_relationship_pipeline_switcher", run: "click" },
        { trigger: ".o_relationship_pipeline_item:contains('Tour Onboarding')", run: "click" },
        { trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('Tour Onboarding')" },
        { trigger: ".o_kanban_group:eq(0) .o_column_title:contains('Tour Kickoff')" },
        { trigger: ".o_kanban_renderer:not(:has(.o_kanban_record))" },
        { trigger: "body:not(:has(.o_view_sample_data))" },
        { trigger: ".o_control_panel .o_relationship_add_to_pipeline", run: "click" },
        { trigger: ".modal .o_field_widget[name=partner_ids] input", run: "edit Tour Board Partner" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Tour Board Partner')", run: "click" },
        { trigger: ".modal .o_field_widget[name=partner_ids] .o_tag:contains('Tour Board Partner')" },
        { trigger: ".modal button[name=action_add]", run: "click" },
        { trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('Tour Onboarding')" },
        { trigger: ".o_kanban_group:eq(0) .o_kanban_record:contains('Tour Board Partner')" },
    ],
});
