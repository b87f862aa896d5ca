from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.tools.sql import create_index

from .res_partner_rfm import SEGMENTS


class RelationshipSegmentTransition(models.Model):
    """A partner's move from one RFM segment to another, written by the recomputation (bulk SQL)."""

    _name = "relationship.segment.transition"
    _description = "Customer Segment Transition"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # Written only by the recomputation's statement and dated by `date`: no log columns, whose user
    # foreign keys cost two checks per row when the first run writes a row per scored partner (make bench P8).
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade", readonly=True)
    # no index: a handful of companies, and the matrix and the Overview read a period's rows anyway
    company_id = fields.Many2one("res.company", readonly=True,
                                 help="The partner's company; empty for partners shared by every company.")
    # no index on the segments: ten values, the matrix reads every row of its period anyway
    segment_from = fields.Selection(SEGMENTS, string="From Segment", readonly=True,
                                    help="Empty: the partner had no segment (no events in the window).")
    segment_to = fields.Selection(SEGMENTS, string="To Segment", readonly=True,
                                  help="Empty: the partner has no events in the window any more.")
    date = fields.Date(required=True, index=True, readonly=True)
    movement = fields.Integer(
        readonly=True, aggregator="sum",
        help="Change of the segment's worth (Champions 10 ... Hibernating 1, none 0): negative is a fall.")

    def init(self):
        # The Overview counts this quarter's falls: the few negative rows by date, not every move of the
        # period (a first run writes one row per scored partner, almost all of them rises).
        create_index(self.env.cr, "relationship_segment_transition_fall_date_index", self._table, ["date"],
                     where="movement < 0")

    @api.model
    def _recompute_now(self):
        """Managers' "Recompute now" (a server action): same as the nightly cron."""
        if not self.env.user.has_group("customer_relationship.group_relationship_manager"):
            raise AccessError(_("Only Relationship Managers may recompute the customer segments."))
        moved, updated = self.env["res.partner"]._rfm_recompute()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Customer segments recomputed: %(updated)s partners updated, %(moved)s changed segment.",
                             updated=updated, moved=moved),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
