from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
RFM_STORED = ("rfm_last_date", "rfm_frequency", "rfm_monetary", "rfm_r_score", "rfm_f_score", "rfm_m_score",
              "rfm_segment")


class ResPartnerRfm(models.Model):
    """RFM scores and segment of commercial partners, recomputed in bulk SQL (never per partner)."""

    _inherit = "res.partner"

    rfm_last_date = fields.Date(string="Last RFM Event", readonly=True, copy=False,
                                help="Day of the last qualifying event in the analysis window.")
    rfm_recency = fields.Integer(compute="_compute_rfm_recency", string="Recency (days)",
                                 help="Days from the last qualifying event to today.")
    rfm_frequency = fields.Integer(string="Frequency", readonly=True, copy=False,
                                   help="Qualifying events in the analysis window.")
    rfm_monetary = fields.Float(string="Monetary", readonly=True, copy=False,
                                help="Sum of the amounts of the qualifying events in the analysis window.")
    rfm_r_score = fields.Integer(string="R Score", readonly=True, copy=False, index=True)
    rfm_f_score = fields.Integer(string="F Score", readonly=True, copy=False, index=True)
    rfm_m_score = fields.Integer(string="M Score", readonly=True, copy=False, index=True)
    rfm_segment = fields.Selection(SEGMENTS, string="Segment", readonly=True, copy=False, index=True,
                                   help="Customer segment from the R and F scores, recomputed every night.")

    @api.depends("rfm_last_date")
    def _compute_rfm_recency(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.rfm_recency = (today - partner.rfm_last_date).days if partner.rfm_last_date else 0

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
        if not self.env.su and any(name in vals for vals in vals_list for name in RFM_STORED):
            raise UserError(_("RFM scores and segments are computed every night from the RFM sources: "
                              "they cannot be set by hand."))

    # ------------------------------------------------------------------
    # Recomputation: one statement, one pass over each source's records
    # ------------------------------------------------------------------
    @api.model
    def _rfm_recompute(self, reference_date=None):
        """Score every commercial partner with events in the active sources; log segment changes.

        Each of R (last event day), F (event count) and M (amount sum) is cut by ntile(5) within the
        partner's company, ties broken by partner id: the latest, most frequent, largest get 5.
        Returns (transitions written, partners updated).
        """
        reference_date = reference_date or fields.Date.context_today(self)
        # sudo: sources are defined by administrators and the scores are company-wide figures; the
        # caller (cron, or a manager's "Recompute now") only triggers the computation.
        sources = self.env["relationship.rfm.source"].sudo().search([])
        Partner = self.sudo()
        Partner.flush_model(["commercial_partner_id", "company_id", "active", *RFM_STORED])
        self.env["relationship.segment.transition"].flush_model()
        if sources:
            events = SQL(" UNION ALL ").join(source._events_query(reference_date) for source in sources)
        else:
            events = SQL("SELECT NULL::int AS partner_id, NULL::date AS last_day, 0 AS frequency, "
                         "NULL::numeric AS monetary WHERE FALSE")
        with_amount = any(sources.mapped("amount_field_id"))
        self.env.cr.execute(self._rfm_statement(events, with_amount, reference_date))
        moved, updated = self.env.cr.fetchone()
        Partner.invalidate_model(list(RFM_STORED) + ["rfm_recency"])
        self.env["relationship.segment.transition"].invalidate_model()
        return moved, updated

    @api.model
    def _rfm_statement(self, events, with_amount, reference_date):
        monetary = SQL("COALESCE(SUM(e.monetary), 0)") if with_amount else SQL("NULL::numeric")
        m_score = SQL("ntile(5) OVER (PARTITION BY company_id ORDER BY monetary, id)") if with_amount \
            else SQL("NULL::int")
        segment = SQL("CASE %s END", SQL(" ").join(
            SQL("WHEN s.r_score IN %s AND s.f_score IN %s THEN %s", rs, fs, name) for rs, fs, name in SEGMENT_MAP))
        return SQL("""
            WITH events AS (%(events)s),
            partners AS (
                SELECT e.partner_id AS id, cp.company_id, MAX(e.last_day) AS last_day,
                       SUM(e.frequency)::int AS frequency, %(monetary)s AS monetary
                  FROM events e JOIN res_partner cp ON cp.id = e.partner_id
                 WHERE cp.active
                 GROUP BY e.partner_id, cp.company_id
            ),
            scored AS (
                SELECT p.*,
                       ntile(5) OVER (PARTITION BY company_id ORDER BY last_day, id) AS r_score,
                       ntile(5) OVER (PARTITION BY company_id ORDER BY frequency, id) AS f_score,
                       %(m_score)s AS m_score
                  FROM partners p
            ),
            target AS (
                SELECT COALESCE(s.id, o.id) AS id, COALESCE(s.company_id, o.company_id) AS company_id,
                       s.last_day, s.frequency, s.monetary, s.r_score, s.f_score, s.m_score,
                       %(segment)s AS segment, o.rfm_segment AS old_segment
                  FROM scored s
                  FULL JOIN (SELECT id, company_id, rfm_segment FROM res_partner WHERE rfm_segment IS NOT NULL) o
                    ON o.id = s.id
            ),
            moved AS (
                INSERT INTO relationship_segment_transition
                       (partner_id, company_id, segment_from, segment_to, movement, date,
                        create_uid, create_date, write_uid, write_date)
                SELECT id, company_id, old_segment, segment, %(rank_to)s - %(rank_from)s, %(day)s,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM target WHERE segment IS DISTINCT FROM old_segment
                RETURNING id
            ),
            updated AS (
                UPDATE res_partner p
                   SET rfm_last_date = t.last_day, rfm_frequency = t.frequency, rfm_monetary = t.monetary,
                       rfm_r_score = t.r_score, rfm_f_score = t.f_score, rfm_m_score = t.m_score,
                       rfm_segment = t.segment
                  FROM target t
                 WHERE p.id = t.id
                   AND (p.rfm_last_date, p.rfm_frequency, p.rfm_monetary, p.rfm_r_score, p.rfm_f_score,
                        p.rfm_m_score, p.rfm_segment)
                       IS DISTINCT FROM (t.last_day, t.frequency, t.monetary, t.r_score, t.f_score,
                                         t.m_score, t.segment)
                RETURNING p.id
            )
            SELECT (SELECT COUNT(*) FROM moved), (SELECT COUNT(*) FROM updated)
        """, events=events, monetary=monetary, m_score=m_score, segment=segment,
            rank_to=self._rfm_rank_sql("segment"), rank_from=self._rfm_rank_sql("old_segment"),
            day=reference_date, uid=self.env.uid)

    @staticmethod
    def _rfm_rank_sql(column):
        return SQL("CASE %s ELSE 0 END", SQL(" ").join(
            SQL("WHEN %s = %s THEN %s", SQL.identifier(column), name, value)
            for name, value in SEGMENT_RANK.items()))
