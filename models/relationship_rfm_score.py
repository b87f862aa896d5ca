from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from .res_partner_rfm import RFM_COLUMNS
from .res_partner_rfm import SEGMENT_MAP
from .res_partner_rfm import SEGMENT_RANK
from .res_partner_rfm import SEGMENTS

# Local to the recomputation's transaction: hashes of 100,000 partners fit in memory instead of spilling
# to disk, and compiling the statement (JIT) costs more than it saves on a statement of a few seconds.
STATEMENT_SETTINGS = {"work_mem": "64MB", "jit": "off"}


class RelationshipRfmScore(models.Model):
    """RFM figures of one commercial partner, rewritten in bulk SQL by the recomputation (never by the ORM).

    They live beside res_partner rather than on it (make bench P8): a res_partner row is wide and has
    21 indexes, and rewriting the 31,672 scored partners of the bench database took 11.7 of the first run's
    16.2 s. A row here has three indexes. The partner's rfm_* fields read, search, group and sort these rows
    (res_partner_rfm.py).
    """

    _name = "relationship.rfm.score"
    _description = "Customer RFM Score"
    _rec_name = "partner_id"
    _order = "id"
    # Written only by the recomputation's statement, whose transitions say when a segment changed: no log
    # columns, whose user foreign keys would cost two checks per row.
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", readonly=True)
    last_date = fields.Date(string="Last RFM Event", readonly=True)
    frequency = fields.Integer(readonly=True)
    monetary = fields.Float(readonly=True)
    r_score = fields.Integer(readonly=True)
    f_score = fields.Integer(readonly=True)
    m_score = fields.Integer(readonly=True)
    segment = fields.Selection(SEGMENTS, readonly=True, index=True)

    _sql_constraints = [
        # also the index that joins a partner to its row
        ("partner_unique", "UNIQUE(partner_id)", "A partner has one row of RFM scores."),
    ]

    def init(self):
        # Development builds of 18.0.2.0.0 stored the figures on res_partner: carry them over once (so the
        # next run logs no transition for unchanged partners), then drop the columns and their indexes.
        cr = self.env.cr
        if not column_exists(cr, "res_partner", "rfm_segment"):
            return
        cr.execute("""
            INSERT INTO relationship_rfm_score
                   (partner_id, last_date, frequency, monetary, r_score, f_score, m_score, segment)
            SELECT id, rfm_last_date, rfm_frequency, rfm_monetary, rfm_r_score, rfm_f_score,
                   rfm_m_score, rfm_segment
              FROM res_partner WHERE rfm_segment IS NOT NULL
            ON CONFLICT (partner_id) DO NOTHING
        """)
        cr.execute(SQL("ALTER TABLE res_partner %s", SQL(", ").join(
            SQL("DROP COLUMN IF EXISTS %s", SQL.identifier(name)) for name in RFM_COLUMNS)))

    # ------------------------------------------------------------------
    # Recomputation: one statement, one pass over each source's records
    # ------------------------------------------------------------------
    @api.model
    def _recompute(self, reference_date):
        """Score every commercial partner with events in the active sources; log segment changes.

        Returns (transitions written, partners whose figures changed).
        """
        # sudo: sources are defined by administrators and the scores are company-wide figures; the
        # caller (cron, or a manager's "Recompute now") only triggers the computation.
        sources = self.env["relationship.rfm.source"].sudo().search([])
        self.env["res.partner"].flush_model(["commercial_partner_id", "company_id", "active"])
        self.flush_model()
        self.env["relationship.segment.transition"].flush_model()
        if sources:
            events = SQL(" UNION ALL ").join(source._events_query(reference_date) for source in sources)
        else:
            events = SQL("SELECT NULL::int AS partner_id, NULL::date AS last_day, 0 AS frequency, "
                         "NULL::numeric AS monetary WHERE FALSE")
        with_amount = any(sources.mapped("amount_field_id"))
        self.env.cr.execute(SQL("SELECT %s", SQL(", ").join(
            SQL("set_config(%s, %s, true)", name, value) for name, value in STATEMENT_SETTINGS.items())))
        self.env.cr.execute(self._statement(events, with_amount, reference_date))
        moved, updated = self.env.cr.fetchone()
        self.invalidate_model()
        self.env["relationship.segment.transition"].invalidate_model()
        self.env["res.partner"].invalidate_model([*RFM_COLUMNS, "rfm_recency"])
        return moved, updated

    @api.model
    def _statement(self, events, with_amount, reference_date):
        """Each of R (last event day), F (event count) and M (amount sum) is cut by ntile(5) within the
        partner's company, ties broken by partner id: the latest, most frequent, largest get 5.

        Only what changed is written: a transition per changed segment, a score row per partner whose
        figures changed (the last event day is stored, not the recency, so a quiet day changes few).
        """
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
                SELECT COALESCE(s.id, o.partner_id) AS id, s.id IS NOT NULL AS scored,
                       o.partner_id IS NOT NULL AS known,
                       -- a partner that drops out is logged in its current company
                       CASE WHEN s.id IS NULL THEN (SELECT company_id FROM res_partner WHERE id = o.partner_id)
                            ELSE s.company_id END AS company_id,
                       s.last_day, s.frequency, s.monetary, s.r_score, s.f_score, s.m_score,
                       %(segment)s AS segment, o.segment AS old_segment,
                       (s.last_day, s.frequency, s.monetary::float8, s.r_score, s.f_score, s.m_score)
                           IS DISTINCT FROM (o.last_date, o.frequency, o.monetary, o.r_score, o.f_score, o.m_score)
                           AS changed
                  FROM scored s FULL JOIN relationship_rfm_score o ON o.partner_id = s.id
            ),
            -- new rows in partner order: the indexes on partners and the foreign-key checks then read and
            -- write their pages in order rather than at random (an eighth less CPU in the first run)
            moved AS (
                INSERT INTO relationship_segment_transition
                       (partner_id, company_id, segment_from, segment_to, movement, date)
                SELECT id, company_id, old_segment, segment, %(rank_to)s - %(rank_from)s, %(day)s
                  FROM target WHERE segment IS DISTINCT FROM old_segment ORDER BY id
                RETURNING id
            ),
            -- a recomputation at the same time may insert the row of the same new partner: under REPEATABLE
            -- READ the conflict is then a serialization failure, which Odoo retries (a unique violation is
            -- not). RETURNING gives only the rows really inserted, so the count stays right.
            inserted AS (
                INSERT INTO relationship_rfm_score
                       (partner_id, last_date, frequency, monetary, r_score, f_score, m_score, segment)
                SELECT id, last_day, frequency, monetary, r_score, f_score, m_score, segment
                  FROM target WHERE scored AND NOT known ORDER BY id
                ON CONFLICT (partner_id) DO NOTHING
                RETURNING partner_id
            ),
            updated AS (
                UPDATE relationship_rfm_score o
                   SET last_date = t.last_day, frequency = t.frequency, monetary = t.monetary,
                       r_score = t.r_score, f_score = t.f_score, m_score = t.m_score, segment = t.segment
                  FROM target t
                 WHERE o.partner_id = t.id AND t.scored AND t.known AND t.changed
                RETURNING o.partner_id
            ),
            dropped AS (
                DELETE FROM relationship_rfm_score o USING target t
                 WHERE NOT t.scored AND o.partner_id = t.id
                RETURNING o.partner_id
            )
            SELECT (SELECT COUNT(*) FROM moved),
                   (SELECT COUNT(*) FROM inserted) + (SELECT COUNT(*) FROM updated) + (SELECT COUNT(*) FROM dropped)
        """, events=events, monetary=monetary, m_score=m_score, segment=segment,
            rank_to=self._rank_sql("segment"), rank_from=self._rank_sql("old_segment"), day=reference_date)

    @staticmethod
    def _rank_sql(column):
        return SQL("CASE %s ELSE 0 END", SQL(" ").join(
            SQL("WHEN %s = %s THEN %s", SQL.identifier(column), name, value)
            for name, value in SEGMENT_RANK.items()))
