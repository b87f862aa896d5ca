/** @odoo-module **/
// Drag a partner to another stage on the board, then see the move in its stage history.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_relationship_pipeline_tour", {
    url: "/odoo/action-customer_relationship.action_relationship_default_board",
    steps: () => [
        { trigger: ".o_kanban_group:eq(0) .o_kanban_record:contains('Tour Board Partner')" },
        { trigger: ".o_kanban_group:eq(2) .o_column_title:contains('Qualified')" },
        {
            trigger: ".o_kanban_record:contains('Tour Board Partner')",
            run: "drag_and_drop (.o_kanban_group:eq(2) .o_kanban_record:last, .o_kanban_group:eq(2))",
        },
        { trigger: ".o_kanban_group:eq(2) .o_kanban_record:contains('Tour Board Partner')" },
        { trigger: ".o_kanban_group:eq(2) .o_kanban_record:contains('Tour Board Partner')", run: "click" },
        { trigger: ".o_notebook .nav-link:contains('Pipeline')", run: "click" },
        { trigger: ".o_field_widget[name=relationship_stage_history_ids] .o_data_row:contains('Qualified'):contains('Lead')" },
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('Qualified')" },
    ],
});
