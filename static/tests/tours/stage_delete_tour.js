/** @odoo-module **/
// Deleting a stage that holds partners, from each place a person does it: the board column menu, the
// pipeline form and the stages list/form. One dialog asks where the partners go; afterwards the screen
// shows a living record: the partners in their new stage, the stage gone.
import { registry } from "@web/core/registry";

const PIPELINE = "Tour Delete Pipeline";

function chooseKeptAndConfirm() {
    return [
        { trigger: ".modal .modal-title:contains('Delete Stages')" },
        { trigger: ".modal .o_field_widget[name=stage_ids]:contains('Doomed')" },
        { trigger: ".modal .o_field_widget[name=partner_count]:contains('2')" },
        { trigger: ".modal .o_field_widget[name=target_stage_id] input", run: "edit Kept" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Kept')", run: "click" },
        { trigger: ".modal .o_field_widget[name=target_stage_id] input:value(Kept)" },
        { trigger: ".modal-footer button:contains('Move Partners and Delete')", run: "click" },
        { trigger: "body:not(:has(.modal))" },
    ];
}

// Not the deleted stage's form: a fresh stages list (nothing else in the breadcrumbs), Kept holding 3.
function onTheStagesList() {
    return [
        { trigger: ".o_list_view" },
        { trigger: ".o_breadcrumb:not(:has(:contains('Doomed'))) .active:contains('Stages')" },
        { trigger: `.o_group_header:contains('${PIPELINE} (2)')`, run: "click" },
        { trigger: ".o_data_row:contains('Kept') td[name=partner_count]:contains('3')" },
        { trigger: ".o_list_view:not(:has(.o_data_row:contains('Doomed')))" },
    ];
}

registry.category("web_tour.tours").add("customer_relationship_stage_delete_board_tour", {
    steps: () => [
        { trigger: ".o_form_view button[name=action_open_board]", run: "click" },
        { trigger: ".o_kanban_group:has(.o_column_title:contains('Doomed')) .o_kanban_record:contains('Mover One')" },
        {
            trigger: ".o_kanban_header:contains('Doomed')",
            run: "hover && click .o_kanban_header:contains('Doomed') .o_kanban_config .dropdown-toggle",
        },
        { trigger: ".o-dropdown--kanban-config-menu .o_column_delete", run: "click" },
        ...chooseKeptAndConfirm(),
        { trigger: ".o_kanban_renderer:not(:has(.o_column_title:contains('Doomed')))" },
        { trigger: ".o_kanban_group:has(.o_column_title:contains('Kept')) .o_kanban_record:contains('Mover One')" },
        { trigger: ".o_kanban_group:has(.o_column_title:contains('Kept')) .o_kanban_record:contains('Mover Two')" },
        { trigger: ".o_kanban_group:has(.o_column_title:contains('Kept')) .o_kanban_record:contains('Stayer')" },
        { trigger: ".o_kanban_group:has(.o_column_title:contains('Spare'))" },
    ],
});

registry.category("web_tour.tours").add("customer_relationship_stage_delete_pipeline_form_tour", {
    steps: () => [
        { trigger: ".o_field_widget[name=stage_ids] .o_data_row:contains('Doomed')" },
        // An unsaved change on the form is saved with the deletion, not lost.
        { trigger: ".o_field_widget[name=name] input", run: `edit ${PIPELINE} Renamed` },
        {
            trigger: ".o_field_widget[name=stage_ids] .o_data_row:contains('Doomed') button[name=action_open_delete_wizard]",
            run: "click",
        },
        ...chooseKeptAndConfirm(),
        { trigger: ".o_field_widget[name=stage_ids]:not(:has(.o_data_row:contains('Doomed')))" },
        { trigger: ".o_field_widget[name=stage_ids] .o_data_row:contains('Kept') td[name=partner_count]:contains('3')" },
        { trigger: ".o_field_widget[name=stage_ids] .o_data_row:contains('Spare') td[name=partner_count]:contains('0')" },
        { trigger: `.o_breadcrumb .active:contains('${PIPELINE} Renamed')` },
        { trigger: ".o_form_view .o_form_saved:not(.o_form_dirty)" },
    ],
});

registry.category("web_tour.tours").add("customer_relationship_stage_delete_stages_list_tour", {
    steps: () => [
        { trigger: `.o_group_header:contains('${PIPELINE} (3)')`, run: "click" },
        { trigger: ".o_data_row:contains('Doomed') .o_list_record_selector input", run: "click" },
        { trigger: ".o_cp_action_menus button:contains('Actions')", run: "click" },
        { trigger: ".o-dropdown--menu .o_menu_item:contains('Delete')", run: "click" },
        ...chooseKeptAndConfirm(),
        ...onTheStagesList(),
    ],
});

registry.category("web_tour.tours").add("customer_relationship_stage_delete_stage_form_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=name] input:value(Doomed)" },
        { trigger: ".o_form_view .o_cp_action_menus i.fa-cog", run: "click" },
        { trigger: ".o-dropdown--menu .o_menu_item:contains('Delete')", run: "click" },
        ...chooseKeptAndConfirm(),
        ...onTheStagesList(),
    ],
});
