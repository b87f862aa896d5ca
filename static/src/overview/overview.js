import { Component, onMounted, onPatched, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatChange, formatCount, formatFigure } from "./overview_format";

const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];
const STAGE_COLOURS = { customer: "#59a14f", lost: "#e15759" };

/** Relationships › Overview: KPI tiles with trend, charts and the lists that need someone's attention. */
export class RelationshipOverview extends Component {
    static template = "customer_relationship.RelationshipOverview";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        this.funnelRef = useRef("funnel");
        this.weeksRef = useRef("weeks");
        this.rootRef = useRef("root");
        this.charts = [];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            this.state.data = await this.orm.call("relationship.overview", "get_dashboard", []);
        });
        onMounted(() => this.renderCharts());
        onPatched(() => this.renderCharts());
        onWillUnmount(() => this.destroyCharts());
    }

    // ------------------------------------------------------------------
    // Formatting
    // ------------------------------------------------------------------
    figure(tile) {
        return formatFigure(tile.value, tile.unit);
    }

    change(tile) {
        return formatChange(tile.value - tile.previous, tile.unit);
    }

    /** "up", "down" or "flat", and whether that is good news for this KPI. */
    trendOf(tile) {
        const delta = tile.value - tile.previous;
        if (Math.abs(delta) < 1e-9) {
            return { arrow: "fa-arrow-right", colour: "text-muted", label: _t("unchanged") };
        }
        const better = tile.lower_is_better ? delta < 0 : delta > 0;
        return {
            arrow: delta > 0 ? "fa-arrow-up" : "fa-arrow-down",
            colour: better ? "text-success" : "text-danger",
            label: better ? _t("better than the previous quarter") : _t("worse than the previous quarter"),
        };
    }

    count(value) {
        return formatCount(value);
    }

    date(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    since(tile) {
        return _t("since %(date)s", { date: this.date(tile.date_from) });
    }

    /** Titles of the lists the figures open. */
    get labels() {
        return {
            attention: _t("Partners needing attention"),
            overdue: _t("Overdue privacy requests"),
            soon: _t("Privacy requests due within 7 days"),
            open: _t("Open privacy requests"),
            goals: _t("Goals at risk"),
            falls: _t("Falls to a worse segment this quarter"),
        };
    }

    goalStatus(goal) {
        return goal.status === "off_track" ? _t("Off track") : _t("At risk");
    }

    // ------------------------------------------------------------------
    // Opening the records behind a figure
    // ------------------------------------------------------------------
    open(model, domain, name, views = ["list", "form"], context = {}) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: model,
            domain,
            views: views.map((view) => [false, view]),
            context,
        });
    }

    async openTile(tile) {
        const action = await this.orm.call("relationship.overview", "action_open_kpi", [
            tile.kpi_id, tile.which, tile.date_from, tile.date_to,
        ]);
        if (action) {
            await this.action.doAction(action);
        }
    }

    openRecord(model, id) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: model,
            res_id: id,
            views: [[false, "form"]],
        });
    }

    // ------------------------------------------------------------------
    // Charts (Chart.js, as loaded by Odoo's graph view)
    // ------------------------------------------------------------------
    destroyCharts() {
        this.charts.forEach((chart) => chart.destroy());
        this.charts = [];
    }

    renderCharts() {
        this.destroyCharts();
        const data = this.state.data;
        if (!data) {
            return;
        }
        data.tiles.forEach((tile, index) => this.renderSparkline(tile, index));
        if (data.funnel && this.funnelRef.el) {
            this.renderFunnel(data.funnel);
        }
        if (data.interactions && this.weeksRef.el) {
            this.renderWeeks(data.interactions);
        }
    }

    renderSparkline(tile, index) {
        const canvas = this.rootRef.el?.querySelector(`.o_relationship_tile_${index} canvas`);
        if (!canvas) {
            return;
        }
        const colour = this.trendOf(tile).colour === "text-danger" ? "#e15759" : "#4e79a7";
        this.charts.push(new Chart(canvas, {
            type: "line",
            data: {
                labels: tile.trend.map((point) => this.date(point.date)),
                datasets: [{ data: tile.trend.map((point) => point.value), borderColor: colour,
                    borderWidth: 2, pointRadius: 0, fill: false, tension: 0.3 }],
            },
            options: {
                responsive: true, maintainAspectRatio: false, animation: false,
                plugins: { legend: { display: false }, tooltip: { callbacks: {
                    label: (item) => formatFigure(item.raw, tile.unit),
                } } },
                scales: { x: { display: false }, y: { display: false } },
            },
        }));
    }

    renderFunnel(funnel) {
        const stages = funnel.stages;
        this.charts.push(new Chart(this.funnelRef.el, {
            type: "bar",
            data: {
                labels: stages.map((stage) => stage.name),
                datasets: [{ data: stages.map((stage) => stage.count),
                    backgroundColor: stages.map((stage) => STAGE_COLOURS[stage.stage_type] || PALETTE[0]) }],
            },
            options: {
                indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
                plugins: { legend: { display: false }, tooltip: { callbacks: {
                    label: (item) => formatCount(item.raw),
                } } },
                scales: { x: { beginAtZero: true, ticks: { precision: 0, callback: (value) => formatCount(value) } } },
                onClick: (event, elements) => {
                    if (elements.length) {
                        const stage = stages[elements[0].index];
                        this.open("res.partner", stage.domain, stage.name, ["list", "kanban", "form"]);
                    }
                },
            },
        }));
    }

    renderWeeks(interactions) {
        this.charts.push(new Chart(this.weeksRef.el, {
            type: "bar",
            data: {
                labels: interactions.weeks.map((week) => this.date(week)),
                datasets: interactions.channels.map((channel, index) => ({
                    label: channel.name, data: channel.counts, backgroundColor: PALETTE[index % PALETTE.length],
                })),
            },
            options: {
                responsive: true, maintainAspectRatio: false, animation: false,
                plugins: { legend: { position: "bottom" }, tooltip: { callbacks: {
                    label: (item) => `${item.dataset.label}: ${formatCount(item.raw)}`,
                } } },
                scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true,
                    ticks: { precision: 0, callback: (value) => formatCount(value) } } },
                onClick: (event, elements) => {
                    if (elements.length) {
                        const channel = interactions.channels[elements[0].datasetIndex];
                        this.open("relationship.interaction", channel.domains[elements[0].index],
                            channel.name, ["list", "form"]);
                    }
                },
            },
        }));
    }
}

registry.category("actions").add("customer_relationship.overview", RelationshipOverview);
