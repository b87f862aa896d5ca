from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.query import Query

# Best first: the order of the selection is the order of the group-bys.
SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal Customers"),
    ("potential_loyalists", "Potential Loyalists"),
    ("new_customers", "New Customers"),
    ("promising", "Promising"),
    ("need_attention", "Need Attention"),
    ("about_to_sleep", "About to Sleep"),
    ("at_risk", "At Risk"),
    ("cant_lose", "Can't Lose Them"),
    ("hibernating", "Hibernating"),
]
# The segment map of issue 19: (R scores, F scores) -> segment; every (R, F) pair has exactly one.
SEGMENT_MAP = [
    ((1, 2), (1, 2), "hibernating"),
    ((1, 2), (3, 4), "at_risk"),
    ((1, 2), (5,), "cant_lose"),
    ((3,), (1, 2), "about_to_sleep"),
    ((3,), (3,), "need_attention"),
    ((3, 4), (4, 5), "loyal"),
    ((4,), (1,), "promising"),
    ((5,), (1,), "new_customers"),
    ((4, 5), (2, 3), "potential_loyalists"),
    ((5,), (4, 5), "champions"),
]
# How much a segment is worth keeping, roughly R + F: a transition's movement is the difference, so
# Loyal Customers -> At Risk (9 -> 3) is worse than Promising -> About to Sleep (4 -> 2). No segment is 0.
SEGMENT_RANK = {
    "hibernating": 1, "about_to_sleep": 2, "at_risk": 3, "promising": 4, "new_customers": 5,
    "need_attention": 6, "cant_lose": 7, "potential_loyalists": 8, "loyal": 9, "champions": 10,
}

# partner field -> its column in relationship_rfm_score, where the figures are kept
RFM_COLUMNS = {
    "rfm_last_date": "last_date", "rfm_frequency": "frequency", "rfm_monetary": "monetary",
    "rfm_r_score": "r_score", "rfm_f_score": "f_score", "rfm_m_score": "m_score", "rfm_segment": "segment",
}


class ResPartnerRfm(models.Model):
    """RFM scores and segment of commercial partners.

    The figures are kept in relationship.rfm.score (relationship_rfm_score.py, which also recomputes them in
    bulk SQL): these fields read them, and search, group and sort on them in SQL like stored columns, so the
    segment filters and group-bys of contacts, goal scopes and the Overview work on them unchanged.
    """

    _inherit = "res.partner"

    rfm_last_date = fields.Date(string="Last RFM Event", compute="_compute_rfm", search="_search_rfm_last_date",
                                help="Day of the last qualifying event in the analysis window.")
    rfm_recency = fields.Integer(compute="_compute_rfm", string="Recency (days)",
                                 help="Days from the last qualifying event to today.")
    rfm_frequency = fields.Integer(string="Frequency", compute="_compute_rfm", search="_search_rfm_frequency",
                                   help="Qualifying events in the analysis window.")
    rfm_monetary = fields.Float(string="Monetary", compute="_compute_rfm", search="_search_rfm_monetary",
                                help="Sum of the amounts of the qualifying events in the analysis window.")
    rfm_r_score = fields.Integer(string="R Score", compute="_compute_rfm", search="_search_rfm_r_score")
    rfm_f_score = fields.Integer(string="F Score", compute="_compute_rfm", search="_search_rfm_f_score")
    rfm_m_score = fields.Integer(string="M Score", compute="_compute_rfm", search="_search_rfm_m_score")
    rfm_segment = fields.Selection(SEGMENTS, string="Segment", compute="_compute_rfm", search="_search_rfm_segment",
                                   help="Customer segment from the R and F scores, recomputed every night.")

    def _compute_rfm(self):
        # sudo: the scores of a partner are shown to whoever sees the partner, as the partner's own fields
        scores = self.env["relationship.rfm.score"].sudo().search_fetch(
            [("partner_id", "in", self._origin.ids)], ["partner_id", *RFM_COLUMNS.values()])
        by_partner = {score.partner_id.id: score for score in scores}
        today = fields.Date.context_today(self)
        for partner in self:
            score = by_partner.get(partner._origin.id)
            for name, column in RFM_COLUMNS.items():
                partner[name] = score[column] if score else False
            partner.rfm_recency = (today - score.last_date).days if score and score.last_date else 0

    # One search method per field (Odoo passes no field name): each is the SQL of the column on the scores.
    def _search_rfm_last_date(self, operator, value):
        return self._domain_from_field_sql("rfm_last_date", operator, value)

    def _search_rfm_frequency(self, operator, value):
        return self._domain_from_field_sql("rfm_frequency", operator, value)

    def _search_rfm_monetary(self, operator, value):
        return self._domain_from_field_sql("rfm_monetary", operator, value)

    def _search_rfm_r_score(self, operator, value):
        return self._domain_from_field_sql("rfm_r_score", operator, value)

    def _search_rfm_f_score(self, operator, value):
        return self._domain_from_field_sql("rfm_f_score", operator, value)

    def _search_rfm_m_score(self, operator, value):
        return self._domain_from_field_sql("rfm_m_score", operator, value)

    def _search_rfm_segment(self, operator, value):
        return self._domain_from_field_sql("rfm_segment", operator, value)

    @api.model
    def _domain_from_field_sql(self, name, operator, value):
        """The partners whose field ``name`` matches, as Odoo would match a stored column of the partner, for
        the fields _field_to_sql reads from another table (the scores, the lifecycle membership): partners
        without a row have an empty value (a LEFT JOIN), so ('rfm_segment', '=', False) finds them.
        """
        query = Query(self.env, self._table, self._table_sql)
        query.add_where(self._condition_to_sql(self._table, name, operator, value, query))
        return [("id", "in", query)]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # group-bys, orders and searches of the rfm_* fields read the partner's row of scores
        column = RFM_COLUMNS.get(fname)
        if column is None:
            return super()._field_to_sql(alias, fname, query, flush)
        if query is None:
            raise ValueError(f"Cannot convert {self._fields[fname]} to SQL without a query to join its scores")
        self.check_field_access_rights("read", [fname])
        scores = query.make_alias(alias, "rfm_score")
        query.add_join("LEFT JOIN", scores, "relationship_rfm_score",
                       SQL("%s = %s", SQL.identifier(alias, "id"), SQL.identifier(scores, "partner_id")))
        return SQL.identifier(scores, column)

    @api.model_create_multi
    def create(self, vals_list):
        self._rfm_check_not_written(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._rfm_check_not_written([vals])
        return super().write(vals)

    @api.model
    def _rfm_check_not_written(self, vals_list):
        # Scores are figures of the nightly computation: readonly in views is no protection against RPC.
        if not self.env.su and any(name in vals for vals in vals_list for name in RFM_COLUMNS):
            raise UserError(_("RFM scores and segments are computed every night from the RFM sources: "
                              "they cannot be set by hand."))

    @api.model
    def _rfm_recompute(self, reference_date=None):
        """Recompute every partner's RFM scores and segment (relationship.rfm.score._recompute).

        Returns (transitions written, partners whose figures changed).
        """
        reference_date = reference_date or fields.Date.context_today(self)
        return self.env["relationship.rfm.score"]._recompute(reference_date)
