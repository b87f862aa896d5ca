/** @odoo-module **/
// Log an interaction from a company's card, in English and in Turkish, and read what the card then tells:
// the top of the card (stage, days in it, last contact), the company's list, the counter and the chatter.
import { registry } from "@web/core/registry";
import { formatDate } from "@web/core/l10n/dates";

const { DateTime } = luxon;
const SUBJECT = "Discussed the spring order";
const CARD = ".o_form_view .o_relationship_card";

function cardText(part) {
    const element = document.querySelector(`${CARD} ${part}`);
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
}

function logSteps({ stage, never, justNow }) {
    let before = "";
    return [
        { trigger: ".o_form_view .o_field_widget[name=name]:contains('Tour Customer'), .o_form_view .o_field_widget[name=name] input" },
        // Before: a new company is a lead since today, never contacted.
        { trigger: `${CARD} .o_relationship_card_stage .o_field_widget[name=relationship_stage_id]:contains('${stage}')` },
        { trigger: `${CARD} .o_relationship_card_stage .o_field_widget[name=relationship_days_in_stage]:contains('0')` },
        {
            trigger: `${CARD} .o_relationship_card_contact .o_field_widget[name=relationship_last_contact]`,
            run() {
                before = cardText(".o_relationship_card_contact [name=relationship_last_contact]");
                if (never && before !== never) {
                    throw new Error(`last contact reads "${before}", expected "${never}"`);
                }
                if (!before) {
                    throw new Error("a partner never contacted must not read blank");
                }
            },
        },
        { trigger: `${CARD} .o_relationship_card_contact:not(:has([name=last_interaction_date]))` },
        { trigger: ".o_notebook a[name=relationship_interactions]", run: "click" },
        { trigger: "button[name=action_log_interaction]", run: "click" },
        // Next Step explains itself.
        { trigger: ".modal [name=next_step_hint]:not(:empty)" },
        { trigger: ".modal .o_field_widget[name=subject] input", run: `edit ${SUBJECT}` },
        { trigger: ".modal .o_field_widget[name=channel] select", run: "select \"meeting\"" },
        { trigger: ".modal .o_field_widget[name=outcome] input[data-value=positive]", run: "click" },
        { trigger: ".modal .modal-footer button.btn-primary", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        // After: the company's list (its contacts' interactions too), the counter, the top of the card.
        { trigger: `.o_field_widget[name=commercial_interaction_ids] .o_data_row:contains('${SUBJECT}')` },
        { trigger: "button[name=action_view_interactions] .o_stat_value:contains('1')" },
        {
            trigger: `${CARD} .o_relationship_card_contact .o_field_widget[name=last_interaction_date]:contains('${formatDate(DateTime.local())}')`,
            run() {
                const now = cardText(".o_relationship_card_contact [name=relationship_last_contact]");
                if (now === before || (justNow && now !== justNow)) {
                    throw new Error(`last contact reads "${now}" after logging (before: "${before}")`);
                }
            },
        },
        // One timeline: the interaction is in the chatter, linking to it.
        { trigger: `.o-mail-Chatter .o-mail-Message a[data-oe-model='relationship.interaction']:contains('${SUBJECT}')` },
    ];
}

registry.category("web_tour.tours").add("customer_relationship_interaction_tour_en", {
    steps: () => logSteps({ stage: "Lead", never: "Never", justNow: "Less than a day ago" }),
});

registry.category("web_tour.tours").add("customer_relationship_interaction_tour_tr", {
    // The texts of the card follow the Turkish catalogue (checked on the server by the test); the tour reads
    // the figures: the stage, 0 days, the date written the Turkish way, and that "never" changed.
    steps: () => logSteps({ stage: "Aday", never: null, justNow: null }),
});
