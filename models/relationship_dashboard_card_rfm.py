from odoo import _
from odoo import fields
from odoo import models
from odoo.tools import date_utils


class RelationshipDashboardCardRfm(models.Model):
    """Overview cards of the RFM segments: their sizes, and this quarter's worst movements."""

    _inherit = "relationship.dashboard.card"

    code = fields.Selection(
        selection_add=[("rfm_segments", "Customer segments"), ("rfm_movements", "Segment movements")],
        ondelete={"rfm_segments": "cascade", "rfm_movements": "cascade"})

    def _figure_rfm_segments(self):
        Partner = self.env["res.partner"]
        labels = dict(Partner._fields["rfm_segment"]._description_selection(self.env))
        sizes = dict(Partner._read_group([("rfm_segment", "!=", False)], ["rfm_segment"], ["__count"]))
        # best segments first, as in the selection
        detail = " · ".join(f"{label} {sizes[key]}" for key, label in labels.items() if key in sizes)
        return str(sum(sizes.values())), detail or _("not computed yet"), False

    def _figure_rfm_movements(self):
        """Downgrades since the quarter began; the detail names the falls with the largest drop first."""
        labels = dict(self.env["res.partner"]._fields["rfm_segment"]._description_selection(self.env))
        none = _("no segment")
        falls = self.env["relationship.segment.transition"]._read_group(
            self._rfm_movements_domain(), ["segment_from", "segment_to", "movement"], ["__count"])
        falls.sort(key=lambda row: (row[2], -row[3]))
        detail = " · ".join(_("%(before)s → %(after)s: %(count)s", before=labels.get(before, none),
                                after=labels.get(after, none), count=count)
                            for before, after, _movement, count in falls[:3])
        total = sum(row[3] for row in falls)
        return str(total), detail or _("no customer fell to a worse segment"), bool(total)

    def _rfm_movements_domain(self):
        start = date_utils.start_of(fields.Date.context_today(self), "quarter")
        return [("date", ">=", start), ("movement", "<", 0)]

    def action_open(self):
        self.ensure_one()
        if self.code == "rfm_segments":
            return {
                "type": "ir.actions.act_window", "name": self.name, "res_model": "res.partner",
                "domain": [("rfm_segment", "!=", False)], "views": [(False, "list"), (False, "form")],
                "context": {"group_by": "rfm_segment"},
            }
        if self.code == "rfm_movements":
            return {
                "type": "ir.actions.act_window", "name": self.name, "res_model": "relationship.segment.transition",
                "domain": self._rfm_movements_domain(), "views": [(False, "pivot"), (False, "list")],
            }
        return super().action_open()
