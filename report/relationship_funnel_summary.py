from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

DELTA_FUNCTION = "relationship_funnel_summary_delta"


class RelationshipFunnelSummary(models.Model):
    """The funnel's figures per pipeline, stage and company, kept up to date by the database itself.

    The funnel pivot, as it opens (stages of a pipeline, perhaps per company), reads these few rows instead
    of every stage entry (make bench, P6). Statement-level triggers on relationship_stage_history append one
    row of differences per key a statement touches: appended, never updated, so concurrent moves never wait
    for each other nor conflict. A key's figures are the sum of its rows; the daily job folds them into one.
    Any other filter or grouping (a period, a source, a tag) reads the history rows themselves.
    """

    _name = "relationship.funnel.summary"
    _description = "Relationship Funnel Summary"
    _log_access = False

    # plain ids, no foreign keys: deleting a pipeline deletes its history rows, whose differences then name
    # the pipeline just deleted (they add up to nothing and are left out, then folded away)
    pipeline_id = fields.Integer(required=True)
    stage_id = fields.Integer(required=True)
    company_id = fields.Integer()
    entered = fields.Integer()
    progressed = fields.Integer()
    lost = fields.Integer()
    # numeric sums: the differences a later statement subtracts cancel exactly
    closed_days = fields.Float(digits=(20, 6), help="Days in stage of the rows closed.")
    open_count = fields.Integer()
    open_enter_days = fields.Float(digits=(20, 6), help="Entry dates of the open rows, in days since 1970.")

    def init(self):
        res = super().init()
        cr = self.env.cr
        columns = SQL("""pipeline_id, stage_id, company_id, COUNT(*) AS entered,
                         COUNT(*) FILTER (WHERE progressed) AS progressed,
                         COUNT(*) FILTER (WHERE moved_to_lost) AS lost,
                         COALESCE(SUM(duration_days::numeric) FILTER (WHERE date_leave IS NOT NULL), 0) AS closed_days,
                         COUNT(*) FILTER (WHERE date_leave IS NULL) AS open_count,
                         COALESCE(SUM(DATE_PART('epoch', date_enter)::numeric / 86400) FILTER (
                             WHERE date_leave IS NULL), 0) AS open_enter_days""")
        negated = SQL("""pipeline_id, stage_id, company_id, -COUNT(*), -COUNT(*) FILTER (WHERE progressed),
                         -COUNT(*) FILTER (WHERE moved_to_lost),
                         -COALESCE(SUM(duration_days::numeric) FILTER (WHERE date_leave IS NOT NULL), 0),
                         -COUNT(*) FILTER (WHERE date_leave IS NULL),
                         -COALESCE(SUM(DATE_PART('epoch', date_enter)::numeric / 86400) FILTER (
                             WHERE date_leave IS NULL), 0)""")
        target = SQL("""relationship_funnel_summary (pipeline_id, stage_id, company_id, entered, progressed, lost,
                        closed_days, open_count, open_enter_days)""")
        key = SQL("pipeline_id, stage_id, company_id")
        # plpgsql plans a statement when it first runs it: the branch of another event never reads a
        # transition table its trigger does not have. An update adds the differences of the keys whose
        # figures changed only (writing a row's other columns adds nothing).
        cr.execute(SQL("""
            CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO %(target)s SELECT %(columns)s FROM new_rows GROUP BY %(key)s;
                ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO %(target)s SELECT %(negated)s FROM old_rows GROUP BY %(key)s;
                ELSE
                    INSERT INTO %(target)s
                    SELECT %(key)s, SUM(entered), SUM(progressed), SUM(lost), SUM(closed_days), SUM(open_count),
                           SUM(open_enter_days)
                      FROM (SELECT %(columns)s FROM new_rows GROUP BY %(key)s
                            UNION ALL
                            SELECT %(negated)s FROM old_rows GROUP BY %(key)s) d
                     GROUP BY %(key)s
                    HAVING SUM(entered) != 0 OR SUM(progressed) != 0 OR SUM(lost) != 0 OR SUM(closed_days) != 0
                        OR SUM(open_count) != 0 OR SUM(open_enter_days) != 0;
                END IF;
                RETURN NULL;
            END
            $body$
        """, function=SQL.identifier(DELTA_FUNCTION), target=target, columns=columns, negated=negated, key=key))
        cr.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'relationship_stage_history'::regclass")
        existing = {row[0] for row in cr.fetchall()}
        for name, event, referencing in (
            ("insert", SQL("INSERT"), SQL("NEW TABLE AS new_rows")),
            ("update", SQL("UPDATE"), SQL("OLD TABLE AS old_rows NEW TABLE AS new_rows")),
            ("delete", SQL("DELETE"), SQL("OLD TABLE AS old_rows")),
        ):
            if f"relationship_funnel_summary_{name}" not in existing:
                cr.execute(SQL(
                    "CREATE TRIGGER %s AFTER %s ON relationship_stage_history REFERENCING %s "
                    "FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                    SQL.identifier(f"relationship_funnel_summary_{name}"), event, referencing,
                    SQL.identifier(DELTA_FUNCTION)))
        # a new table (install, or the upgrade that adds it): the history so far, in one statement
        cr.execute("SELECT 1 FROM relationship_funnel_summary LIMIT 1")
        if not cr.fetchone():
            cr.execute(SQL("INSERT INTO %s SELECT %s FROM relationship_stage_history GROUP BY %s",
                           target, columns, key))
        return res

    @api.model
    def _cron_fold(self):
        """Fold each key's rows of differences into one (daily): the pivot then adds up a few rows per key.

        Rows appended by transactions still running are not visible here, so they are neither deleted nor
        counted: they stay, and are folded the next day.
        """
        self.env.cr.execute("""
            WITH gone AS (DELETE FROM relationship_funnel_summary RETURNING *)
            INSERT INTO relationship_funnel_summary (pipeline_id, stage_id, company_id, entered, progressed, lost,
                                                     closed_days, open_count, open_enter_days)
            SELECT pipeline_id, stage_id, company_id, SUM(entered), SUM(progressed), SUM(lost), SUM(closed_days),
                   SUM(open_count), SUM(open_enter_days)
              FROM gone GROUP BY pipeline_id, stage_id, company_id
            HAVING SUM(entered) != 0 OR SUM(open_count) != 0 OR SUM(closed_days) != 0
        """)
        self.invalidate_model()
