/** @odoo-module **/
// Read the Overview: the KPI tiles show this quarter's figures in the user's language, with their change
// against the previous quarter; the churn tile opens exactly the partner who was lost.
import { registry } from "@web/core/registry";

function overviewSteps(figures) {
    const tile = (kpi) => `.o_relationship_tile[data-kpi=${kpi}]`;
    return [
        { trigger: `${tile("acquisition")} .o_relationship_tile_value:contains('${figures.acquisition}')` },
        { trigger: `${tile("acquisition")} .o_relationship_tile_change.text-success:contains('${figures.acquisitionChange}')` },
        { trigger: `${tile("acquisition")} .fa-arrow-up` },
        { trigger: `${tile("retention_rate")} .o_relationship_tile_value:contains('${figures.retention}')` },
        { trigger: `${tile("retention_rate")} .o_relationship_tile_change.text-danger .fa-arrow-down` },
        // a rate's change is in percentage points: 100 % last quarter, 50 % now
        { trigger: `${tile("retention_rate")} .o_relationship_tile_change:contains('${figures.retentionChange}')` },
        { trigger: `${tile("churn_rate")} .o_relationship_tile_value:contains('${figures.churn}')` },
        // churn going up is bad news
        { trigger: `${tile("churn_rate")} .o_relationship_tile_change.text-danger .fa-arrow-up` },
        { trigger: `${tile("churn_rate")} .o_relationship_tile_change:contains('${figures.churnChange}')` },
        { trigger: `${tile("growth_rate")} .o_relationship_tile_value:contains('${figures.growth}')` },
        { trigger: ".o_relationship_funnel canvas" },
        { trigger: ".o_relationship_weeks canvas" },
        { trigger: ".o_relationship_attention .o_relationship_count:contains('1')" },
        { trigger: ".o_relationship_attention li:contains(Tour Waiting)" },
        { trigger: tile("churn_rate"), run: "click" },
        { trigger: ".o_list_view .o_data_row .o_data_cell:contains(Tour Lost)" },
        { trigger: ".o_list_view:not(:has(.o_data_row:nth-child(2)))" },
        { trigger: ".o_list_view .o_data_row:not(:contains(Tour Kept))" },
    ];
}

const URL = "/odoo/action-customer_relationship.action_relationship_overview";

registry.category("web_tour.tours").add("customer_relationship_overview_tour_en", {
    url: URL,
    steps: () => overviewSteps({
        acquisition: "1", acquisitionChange: "+1", retention: "50.0%", churn: "50.0%", growth: "0.0%",
        retentionChange: "-50.0 pts", churnChange: "+50.0 pts",
    }),
});

registry.category("web_tour.tours").add("customer_relationship_overview_tour_tr", {
    url: URL,
    steps: () => overviewSteps({
        acquisition: "1", acquisitionChange: "+1", retention: "%50,0", churn: "%50,0", growth: "%0,0",
        retentionChange: "-50,0 puan", churnChange: "+50,0 puan",
    }),
});
