from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import api
from odoo import models
from odoo.tools import SQL

# The partners behind each stage figure: the Overview's cards open exactly these.
STAGE_SETS = {
    "start": "customer_start",
    "end": "customer_end",
    "new": "customer_end AND NOT customer_start",
    "lost": "customer_start AND NOT customer_end",
    "retained": "customer_start AND customer_end",
}
# Two bits per period in a bigint.
MAX_PERIODS = 31
HISTORY_FIELDS = ["partner_id", "stage_type", "date_enter", "date_leave", "pipeline_id", "company_id"]


class RelationshipKpi(models.Model):
    """The stage KPIs' figures (see relationship_kpi.py for the formulas built on them).

    A partner is a customer at instant t in the measured pipelines when one of its stage-history rows
    there has a customer stage, was entered at or before t and not left by t. For a period, S counts the
    customers at its first instant, E those just before its end, N those at the end who were not at the
    start, L those at the start who are not at the end.

    Reading every customer row for each period cost 0.1 to 0.4 s at 300,000 history rows (make bench, P7).
    Partners split in two sets that are cheap to read:
    - "steady": a customer row still open, entered before the first period starts. Those partners are
      customers at every instant measured, so they count in S and E of every period and never in N or L:
      only their number is needed (an index-only count on the open customer rows, in partner order).
    - "moving": every other partner with a customer row open at, or entered or left after, that start:
      the rows of the periods themselves, few for recent periods, found through the date indexes. Their
      status at each instant is computed from those rows.
    A partner in neither set is a customer at none of the instants.
    """

    _inherit = "relationship.kpi"

    @staticmethod
    def _period_instants(date_from, date_to):
        """Start of the first day, and the end of the last day as an exclusive bound."""
        return datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)

    @staticmethod
    def _stage_formula(key, figures):
        start, end, new, lost = figures["S"], figures["E"], figures["N"], figures["L"]
        if key == "acquisition":
            return float(new)
        if not start:
            return 0.0
        if key == "retention_rate":
            return (start - lost) / start * 100.0
        if key == "churn_rate":
            return lost / start * 100.0
        return (end - start) / start * 100.0

    @api.model
    def _stage_scope(self, partner_domain=None, pipeline_ids=None, company_ids=None):
        """Domain of the customer rows measured: the lifecycle pipelines when no pipeline is given."""
        pipelines = [("pipeline_id", "in", list(pipeline_ids))] if pipeline_ids else \
            [("pipeline_id.is_lifecycle", "=", True)]
        domain = [("stage_type", "=", "customer"), *pipelines, *self._company_domain(company_ids)]
        if partner_domain:
            domain.append(("partner_id", "any", list(partner_domain)))
        return domain

    @api.model
    def _stage_sets(self, periods, partner_domain=None, pipeline_ids=None, company_ids=None):
        """SQL of the steady partners (partner_id, possibly repeated) and of the moving ones with their status.

        ``periods`` is a list of at most MAX_PERIODS (date_from, date_to). The moving partners' relation
        has one row per partner and a bit mask ``status``: bit 2i is set when the partner is a customer at
        the start of period i, bit 2i + 1 when it is one at its end. One integer per partner keeps the
        grouping small (one aggregate rather than two per period). Record rules apply: a user only counts
        the rows of their companies.
        """
        instants = [self._period_instants(*period) for period in periods]
        first, last = min(start for start, _end in instants), max(end for _start, end in instants)
        History = self.env["relationship.stage.history"]
        History.flush_model(HISTORY_FIELDS)
        scope = self._stage_scope(partner_domain, pipeline_ids, company_ids)
        steady = History._search([*scope, ("date_leave", "=", False), ("date_enter", "<=", first)])
        steady_sql = steady.select(SQL("%s AS partner_id", SQL.identifier(steady.table, "partner_id")))
        # two selects, each read from its index alone (open rows by entry, closed rows by leaving date)
        entered = History._search([*scope, ("date_leave", "=", False), ("date_enter", ">", first),
                                   ("date_enter", "<", last)])
        left = History._search([*scope, ("date_leave", ">", first), ("date_enter", "<", last)])
        # (the open rows' date_leave is NULL, written as such: reading the column would visit the table)
        moving_sql = SQL("%s UNION ALL %s", entered.select(
            SQL.identifier(entered.table, "partner_id"), SQL.identifier(entered.table, "date_enter"),
            SQL("NULL::timestamp AS date_leave"),
        ), left.select(*(SQL.identifier(left.table, name) for name in ("partner_id", "date_enter", "date_leave"))))
        bits = []
        for index, (start, end) in enumerate(instants):
            bits += [
                SQL("((m.date_enter <= %s AND (m.date_leave IS NULL OR m.date_leave > %s))::int::int8 << %s)",
                    start, start, 2 * index),
                SQL("((m.date_enter < %s AND (m.date_leave IS NULL OR m.date_leave >= %s))::int::int8 << %s)",
                    end, end, 2 * index + 1),
            ]
        # PostgreSQL gives << and | the same precedence, left to right: each shifted bit is parenthesised
        # The steady partners are left out after grouping, by one index probe per moving partner (LIMIT
        # keeps it a probe): an anti-join would hash every steady partner first, as long as the count.
        moving_flags = SQL("""
            SELECT moving.partner_id, moving.status
              FROM (SELECT m.partner_id, BIT_OR(%s) AS status FROM (%s) AS m GROUP BY m.partner_id) AS moving
         LEFT JOIN LATERAL (SELECT 1 AS found FROM (%s) AS steady
                             WHERE steady.partner_id = moving.partner_id LIMIT 1) AS steady ON TRUE
             WHERE steady.found IS NULL
        """, SQL(" | ").join(bits), moving_sql, steady_sql)
        return steady_sql, moving_flags

    def _stage_figures_many(self, periods, partner_domain=None, pipeline_ids=None, company_ids=None):
        """[{S, E, N, L}] for each of ``periods`` (a list of (date_from, date_to)), one query per MAX_PERIODS."""
        if len(periods) > MAX_PERIODS:
            return [figures for chunk in range(0, len(periods), MAX_PERIODS) for figures in
                    self._stage_figures_many(periods[chunk:chunk + MAX_PERIODS], partner_domain, pipeline_ids,
                                             company_ids)]
        steady, moving = self._stage_sets(periods, partner_domain, pipeline_ids, company_ids)
        counts = []
        for index in range(len(periods)):
            start, end = SQL("(status & %s) <> 0", 1 << 2 * index), SQL("(status & %s) <> 0", 1 << 2 * index + 1)
            counts += [SQL("COUNT(*) FILTER (WHERE %s)", start), SQL("COUNT(*) FILTER (WHERE %s)", end),
                       SQL("COUNT(*) FILTER (WHERE %s AND NOT %s)", end, start),
                       SQL("COUNT(*) FILTER (WHERE %s AND NOT %s)", start, end)]
        # execute_query flushes what the filters read (a partner filter reads res.partner)
        [(steady_count, *row)] = self.env.execute_query(SQL(
            "SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT partner_id FROM (%s) AS rows) AS steady), %s"
            " FROM (%s) AS moving",
            steady, SQL(", ").join(counts), moving))
        return [{"S": steady_count + row[4 * index], "E": steady_count + row[4 * index + 1],
                 "N": row[4 * index + 2], "L": row[4 * index + 3]} for index in range(len(periods))]

    def _stage_figures(self, date_from, date_to, partner_domain=None, pipeline_ids=None, company_ids=None):
        """S, E, N and L of one period, in one query."""
        return self._stage_figures_many([(date_from, date_to)], partner_domain, pipeline_ids, company_ids)[0]

    def _stage_flags(self, date_from, date_to, partner_domain=None, pipeline_ids=None, company_ids=None):
        """SQL of (partner_id, customer_start, customer_end) for every partner who is a customer at some instant."""
        steady, moving = self._stage_sets([(date_from, date_to)], partner_domain, pipeline_ids, company_ids)
        return SQL("""
            SELECT partner_id, TRUE AS customer_start, TRUE AS customer_end FROM (%s) AS steady
             UNION
            SELECT partner_id, (status & 1) <> 0, (status & 2) <> 0 FROM (%s) AS moving
        """, steady, moving)

    def _stage_partner_ids(self, which, date_from, date_to, partner_domain=None, pipeline_ids=None,
                           company_ids=None):
        """Ids of the partners behind a figure (``which`` is a key of STAGE_SETS), in one query."""
        flags = self._stage_flags(date_from, date_to, partner_domain, pipeline_ids, company_ids)
        rows = self.env.execute_query(SQL("SELECT partner_id FROM (%s) AS flags WHERE %s ORDER BY partner_id",
                                          flags, SQL(STAGE_SETS[which])))
        return [row[0] for row in rows]
