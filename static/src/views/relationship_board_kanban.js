/** @odoo-module **/
// The pipeline board: a stage column is deleted through the dialog that asks where its partners go,
// as project does for task stages. The stock column delete unlinks first and fails on the partners inside.
import { onWillStart } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";

export class RelationshipBoardKanbanHeader extends KanbanHeader {
    setup() {
        super.setup();
        this.action = useService("action");
        this.isRelationshipManager = false;
        onWillStart(async () => {
            if (this.isStageColumn) {
                this.isRelationshipManager = await user.hasGroup(
                    "customer_relationship.group_relationship_manager"
                );
            }
        });
    }

    get isStageColumn() {
        return this.group.groupByField.relation === "relationship.stage";
    }

    async deleteGroup() {
        if (!this.isStageColumn) {
            return super.deleteGroup();
        }
        // Once the stage is gone the dialog opens the board afresh: a reload of this one would keep the
        // deleted column as an empty one (the kanban keeps columns that became empty).
        const action = await this.orm.call(
            "relationship.stage",
            "action_open_delete_wizard",
            [[this.group.value]],
            { context: { ...this.group.context, relationship_stage_delete_then: "board" } }
        );
        await this.action.doAction(action);
    }

    canDeleteGroup(group) {
        return super.canDeleteGroup(group) && (!this.isStageColumn || this.isRelationshipManager);
    }

    canEditGroup(group) {
        return super.canEditGroup(group) && (!this.isStageColumn || this.isRelationshipManager);
    }
}

export class RelationshipBoardKanbanRenderer extends KanbanRenderer {
    static components = { ...KanbanRenderer.components, KanbanHeader: RelationshipBoardKanbanHeader };
}

registry.category("views").add("relationship_board_kanban", {
    ...kanbanView,
    Renderer: RelationshipBoardKanbanRenderer,
});
