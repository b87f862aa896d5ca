/** @odoo-module **/
// Follow a goal: activate it, read the figures it measured at once, its measurement and its chart.
// The same journey in English and in Turkish: numbers are written the way the user's language writes them,
// and uppercase headings keep the Turkish dotted capital (İ).
import { registry } from "@web/core/registry";

function followSteps({ lang, number }) {
    return [
        { trigger: ".o_breadcrumb:contains('Follow the tour goal')" },
        // The page speaks the user's language, so CSS uppercase cases it the way the language does.
        {
            trigger: ".o_form_view .o_horizontal_separator",
            run() {
                if (document.documentElement.lang !== lang) {
                    throw new Error(`page language ${document.documentElement.lang}, expected ${lang}`);
                }
                for (const heading of document.querySelectorAll(".o_form_view .o_horizontal_separator")) {
                    const expected = heading.textContent.trim().toLocaleUpperCase(lang);
                    if (heading.innerText.trim() !== expected) {
                        throw new Error(`heading shown as "${heading.innerText}", expected "${expected}"`);
                    }
                }
            },
        },
        { trigger: "button[name=action_activate]", run: "click" },
        // Activation measures at once: baseline 2, now 5 of a target of 8 (in the measurement below), on track.
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=active]" },
        { trigger: `.o_field_widget[name=baseline_value]:contains('${number("2.00")}')` },
        { trigger: `.o_field_widget[name=current_value]:contains('${number("5.00")}')` },
        { trigger: ".o_field_widget[name=status] .text-bg-success" },
        { trigger: "button[name=action_view_measurements] .o_stat_value:contains('1')" },
        { trigger: ".o_notebook a[name=measurements]", run: "click" },
        // 30 of 89 days elapsed: the expected path stands at 2 + 6 x 30/89 = 4.02.
        {
            trigger: `.o_field_widget[name=measurement_ids] .o_data_row:has(td[name=value]:contains('${number("5.00")}')):has(td[name=target_value]:contains('${number("8.00")}')):has(td[name=expected_value]:contains('${number("4.02")}'))`,
        },
        { trigger: "button[name=action_view_measurements]", run: "click" },
        { trigger: ".o_graph_renderer canvas" },
    ];
}

registry.category("web_tour.tours").add("customer_relationship_goal_follow_tour_en", {
    steps: () => followSteps({ lang: "en-US", number: (text) => text }),
});

registry.category("web_tour.tours").add("customer_relationship_goal_follow_tour_tr", {
    // Turkish writes 4,02 (and 1.234,50)
    steps: () => followSteps({ lang: "tr-TR", number: (text) => text.replace(".", ",") }),
});
