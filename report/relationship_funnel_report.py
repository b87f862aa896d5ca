from datetime import datetime

from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

# Measures counted from the rows' flags rather than summed or averaged from per-row numbers: COUNT with a
# FILTER is the cheapest aggregate PostgreSQL has, and a rate is then two counts of the same pass.
FLAG_COUNTS = {
    "entered_count:sum": None,
    "progressed_count:sum": "progressed",
    "lost_count:sum": "moved_to_lost",
}
EPOCH = datetime(1970, 1, 1)
# What relationship.funnel.summary can answer: its keys, and the measures it adds up (make bench, P6)
SUMMARY_KEYS = {"pipeline_id", "stage_id", "company_id", "is_lifecycle"}
SUMMARY_MEASURES = {
    "__count": "SUM(entered)",
    "entered_count:sum": "SUM(entered)",
    "progressed_count:sum": "SUM(progressed)",
    "lost_count:sum": "SUM(lost)",
    "conversion:avg": "100.0::float8 * SUM(progressed) / NULLIF(SUM(entered), 0)",
    "loss_rate:avg": "100.0::float8 * SUM(lost) / NULLIF(SUM(entered), 0)",
    "days_in_stage:avg": "((SUM(closed_days) + SUM(open_count) * %s - SUM(open_enter_days)) "
                         "/ NULLIF(SUM(entered), 0))::float8",
    "stale_count:sum": "SUM(stale)",
}


class SummaryRead:
    """The context value of a read from the summary: a Python object, which no RPC call can send."""

    def __init__(self, now, stale):
        self.now, self.stale = now, stale
FLAG_RATES = {"conversion:avg": "progressed", "loss_rate:avg": "moved_to_lost"}


class RelationshipFunnelReport(models.Model):
    """Funnel per pipeline and stage, one row per stage entry so any period or tag filter applies.

    Averages of per-row figures give the funnel's ratios for any grouping: the mean of `conversion`
    (100 when the partner went on to a later stage that is not lost) is the conversion rate, the mean
    of `loss_rate` (100 when it went to a lost stage) the loss rate. Whether a move went on was decided
    with the stages' order at the move and stored, so reordering stages does not rewrite past figures.
    """

    _name = "relationship.funnel.report"
    _description = "Relationship Funnel Analysis"
    _auto = False
    _order = "date_enter desc"
    _rec_name = "stage_id"

    pipeline_id = fields.Many2one("relationship.pipeline", readonly=True)
    is_lifecycle = fields.Boolean(string="Lifecycle Pipeline", readonly=True)
    stage_id = fields.Many2one("relationship.stage", readonly=True)
    stage_sequence = fields.Integer(string="Stage Order at Entry", readonly=True, aggregator=None)
    partner_id = fields.Many2one("res.partner", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True, help="Where the partner came from.")
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Moved By", readonly=True)
    date_enter = fields.Datetime(string="Entered On", readonly=True)
    entered_count = fields.Integer(string="Entered", readonly=True, aggregator="sum")
    progressed_count = fields.Integer(string="Went On", readonly=True, aggregator="sum")
    conversion = fields.Float(string="Conversion Rate (%)", readonly=True, aggregator="avg")
    lost_count = fields.Integer(string="Went to Lost", readonly=True, aggregator="sum")
    loss_rate = fields.Float(string="Loss Rate (%)", readonly=True, aggregator="avg")
    days_in_stage = fields.Float(string="Average Days in Stage", readonly=True, aggregator="avg")
    stale_count = fields.Integer(string="Currently Stale", readonly=True, aggregator="sum")

    def init(self):
        # make bench, P6: AVG over numeric per-row arithmetic made the pivot 3.3x a plain _read_group at
        # 300,000 rows; float8 and the stored duration of closed rows, 2.3x; the stored date a row goes
        # stale (no join to the stages) and the measures below, 1.2x. The pipeline, stage and partner are
        # LEFT JOINs on their keys: PostgreSQL drops such a join when the query reads none of its columns
        # (the pipeline is read for the lifecycle filter, the partner for its source, the stage for old
        # rows' order).
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT h.id,
                       h.pipeline_id,
                       p.is_lifecycle,
                       h.stage_id,
                       COALESCE(h.stage_sequence, s.sequence) AS stage_sequence,
                       h.partner_id,
                       partner.source_id,
                       h.company_id,
                       h.user_id,
                       h.date_enter,
                       h.progressed,
                       h.moved_to_lost,
                       1 AS entered_count,
                       CASE WHEN h.progressed THEN 1 ELSE 0 END AS progressed_count,
                       CASE WHEN h.progressed THEN 100.0::float8 ELSE 0.0::float8 END AS conversion,
                       CASE WHEN h.moved_to_lost THEN 1 ELSE 0 END AS lost_count,
                       CASE WHEN h.moved_to_lost THEN 100.0::float8 ELSE 0.0::float8 END AS loss_rate,
                       h.date_leave,
                       h.duration_days,
                       h.date_stale,
                       CASE WHEN h.date_leave IS NULL
                            THEN DATE_PART('epoch', (NOW() AT TIME ZONE 'UTC') - h.date_enter) / 86400.0
                            ELSE h.duration_days END AS days_in_stage,
                       COALESCE(h.date_stale <= (NOW() AT TIME ZONE 'UTC'), FALSE) AS is_stale,
                       CASE WHEN h.date_stale <= (NOW() AT TIME ZONE 'UTC') THEN 1 ELSE 0 END AS stale_count
                  FROM relationship_stage_history h
                  LEFT JOIN relationship_stage s ON s.id = h.stage_id
                  LEFT JOIN relationship_pipeline p ON p.id = h.pipeline_id
                  LEFT JOIN res_partner partner ON partner.id = h.partner_id
            )
        """)

    # ------------------------------------------------------------------
    # The pivot as it opens reads the summary; any other question, the rows
    # ------------------------------------------------------------------
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        if not self._summary_serves(domain, groupby, aggregates, having):
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        self.env["relationship.stage.history"].flush_model()  # the triggers add up what is in the database
        summary = self.with_context(relationship_funnel_summary=SummaryRead(
            fields.Datetime.now(), "stale_count:sum" in aggregates))
        rows = super(RelationshipFunnelReport, summary)._read_group(
            domain, groupby, aggregates, having, offset, limit, order)
        # the groups' records back in the caller's environment
        return [tuple(value.with_env(self.env) if isinstance(value, models.BaseModel) else value for value in row)
                for row in rows]

    def _summary_serves(self, domain, groupby, aggregates, having):
        """Whether the filters (the user's and the record rules'), groupings and measures only name what the
        summary keeps: pipeline, stage, company and lifecycle, and the funnel's counts, rates and days."""
        if having or not set(groupby) <= SUMMARY_KEYS or not set(aggregates) <= set(SUMMARY_MEASURES):
            return False
        rules = self.env["ir.rule"]._compute_domain(self._name, "read") or []
        return all(not isinstance(leaf, (list, tuple)) or leaf[0] in SUMMARY_KEYS
                   for leaf in [*(domain or []), *rules])

    @property
    def _table_sql(self):
        read = self.env.context.get("relationship_funnel_summary")
        if not isinstance(read, SummaryRead):
            return super()._table_sql
        stale = SQL("""
            LEFT JOIN (SELECT pipeline_id, stage_id, company_id, COUNT(*) AS stale FROM relationship_stage_history
                        WHERE date_stale <= %s GROUP BY pipeline_id, stage_id, company_id) st
                   ON st.pipeline_id = k.pipeline_id AND st.stage_id = k.stage_id
                  AND st.company_id IS NOT DISTINCT FROM k.company_id""", read.now) if read.stale else SQL()
        # keys whose rows all went (differences adding up to nothing) are left out
        return SQL("""(
            SELECT k.*, p.is_lifecycle, %s AS stale
              FROM (SELECT pipeline_id, stage_id, company_id, SUM(entered) AS entered,
                           SUM(progressed) AS progressed, SUM(lost) AS lost, SUM(closed_days) AS closed_days,
                           SUM(open_count) AS open_count, SUM(open_enter_days) AS open_enter_days
                      FROM relationship_funnel_summary GROUP BY pipeline_id, stage_id, company_id
                    HAVING SUM(entered) != 0) k
              LEFT JOIN relationship_pipeline p ON p.id = k.pipeline_id
              %s)""", SQL("COALESCE(st.stale, 0)") if read.stale else SQL("0"), stale)

    def _read_group_select(self, aggregate_spec, query):
        """The count and rate measures as counts of flags, the days in stage as one sum (same figures as
        summing or averaging the rows), with "now" a constant of the query rather than a call per row."""
        read = self.env.context.get("relationship_funnel_summary")
        if isinstance(read, SummaryRead):
            if aggregate_spec != "__count":
                self.check_field_access_rights("read", [aggregate_spec.split(":")[0]])
            return SQL(SUMMARY_MEASURES[aggregate_spec], *(
                [(read.now - EPOCH).total_seconds() / 86400.0] if aggregate_spec == "days_in_stage:avg" else []))
        if aggregate_spec not in FLAG_COUNTS and aggregate_spec not in FLAG_RATES \
                and aggregate_spec not in ("days_in_stage:avg", "stale_count:sum"):
            return super()._read_group_select(aggregate_spec, query)
        self.check_field_access_rights("read", [aggregate_spec.split(":")[0]])
        now = fields.Datetime.now()  # the view's NOW() in UTC, a constant of the query instead of a call per row
        if aggregate_spec == "days_in_stage:avg":
            # duration_days is that of the closed rows; an open row counts up to now
            return SQL("SUM(CASE WHEN %s IS NULL THEN %s - DATE_PART('epoch', %s) / 86400.0 ELSE %s END)"
                       " / NULLIF(COUNT(*), 0)",
                       SQL.identifier(self._table, "date_leave"), (now - EPOCH).total_seconds() / 86400.0,
                       SQL.identifier(self._table, "date_enter"), SQL.identifier(self._table, "duration_days"))
        if aggregate_spec == "stale_count:sum":
            return SQL("COUNT(*) FILTER (WHERE %s <= %s)", SQL.identifier(self._table, "date_stale"), now)
        if aggregate_spec in FLAG_RATES:
            return SQL("100.0::float8 * COUNT(*) FILTER (WHERE %s) / NULLIF(COUNT(*), 0)",
                       SQL.identifier(self._table, FLAG_RATES[aggregate_spec]))
        flag = FLAG_COUNTS[aggregate_spec]
        return SQL("COUNT(*) FILTER (WHERE %s)", SQL.identifier(self._table, flag)) if flag else SQL("COUNT(*)")
