import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";

/**
 * Where the user's language puts the percent sign: Turkish writes "%20,0", English "20.0%".
 * The digits themselves come from Odoo's formatters (the user's language settings in Odoo).
 */
function percentBefore() {
    try {
        const parts = new Intl.NumberFormat(user.lang || "en-US", { style: "percent" }).formatToParts(0.2);
        const sign = parts.findIndex((part) => part.type === "percentSign");
        const digits = parts.findIndex((part) => part.type === "integer");
        return sign >= 0 && sign < digits;
    } catch {
        return false;
    }
}

export function formatPercent(value, { signed = false } = {}) {
    const number = formatFloat(Math.abs(value), { digits: [16, 1] });
    const sign = signed && value > 0 ? "+" : value < 0 ? "-" : "";
    return percentBefore() ? `${sign}%${number}` : `${sign}${number}%`;
}

export function formatCount(value, { signed = false } = {}) {
    const number = formatInteger(Math.abs(Math.round(value)));
    const sign = signed && value > 0 ? "+" : value < 0 ? "-" : "";
    return `${sign}${number}`;
}

/** A KPI figure in its unit. */
export function formatFigure(value, unit, options = {}) {
    return unit === "percent" ? formatPercent(value, options) : formatCount(value, options);
}

/**
 * The change of a KPI between two periods: a count's difference, or for a rate the difference in
 * percentage points ("-50.0 pts", "-50,0 puan"), which a percent sign would read as a relative change.
 */
export function formatChange(value, unit) {
    if (unit !== "percent") {
        return formatCount(value, { signed: true });
    }
    const sign = value > 0 ? "+" : value < 0 ? "-" : "";
    const points = _t("pts"); // outside the template string, where the translations' extractor finds it
    return `${sign}${formatFloat(Math.abs(value), { digits: [16, 1] })} ${points}`;
}
