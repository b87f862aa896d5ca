/** @odoo-module **/
// The pipeline board: a kanban of memberships whose control panel switches to another pipeline's board.
import { onWillStart } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { RelationshipBoardKanbanRenderer } from "./relationship_board_kanban";

export class RelationshipBoardController extends KanbanController {
    static components = { ...KanbanController.components, Dropdown, DropdownItem };

    setup() {
        super.setup();
        this.boardOrm = useService("orm");
        this.pipelines = [];
        onWillStart(async () => {
            this.pipelines = await this.boardOrm.searchRead("relationship.pipeline", [], ["name"]);
        });
    }

    get currentPipelineId() {
        return this.props.context.default_pipeline_id;
    }

    get currentPipelineName() {
        const current = this.pipelines.find((pipeline) => pipeline.id === this.currentPipelineId);
        return current ? current.name : "";
    }

    /** The "Add to Pipeline" wizard for this board's pipeline; the board reloads when it closes. */
    async addPartners() {
        await this.actionService.doAction("customer_relationship.action_relationship_pipeline_add_wizard", {
            additionalContext: { default_pipeline_id: this.currentPipelineId, relationship_from_board: true },
            onClose: () => this.model.load(),
        });
    }

    async switchPipeline(pipelineId) {
        const action = await this.boardOrm.call("relationship.pipeline", "action_open_board", [[pipelineId]]);
        await this.actionService.doAction(action, { stackPosition: "replaceCurrentAction" });
    }
}

registry.category("views").add("relationship_board", {
    ...kanbanView,
    Controller: RelationshipBoardController,
    Renderer: RelationshipBoardKanbanRenderer,
    buttonTemplate: "customer_relationship.RelationshipBoard.Buttons",
});
