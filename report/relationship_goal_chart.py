from odoo import fields
from odoo import models
from odoo import tools


class RelationshipGoalChart(models.Model):
    """A goal's measurements as three series (measured, target, expected path), one row per series and day.

    Odoo's graph view draws one measure: grouped by day and series, it draws the three lines together. Only
    days with a measurement have rows, and the chart action turns off fill_temporal, so no zeros are drawn
    for the days in between.
    """

    _name = "relationship.goal.chart"
    _description = "Relationship Goal Chart"
    _auto = False
    _order = "date, series"
    _rec_name = "date"

    goal_id = fields.Many2one("relationship.goal", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    series = fields.Selection(
        [("1_measured", "Measured"), ("2_target", "Target"), ("3_expected", "Expected Path")], readonly=True)
    value = fields.Float(readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # ids stay unique: three rows per measurement, series in the lowest bits
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT m.id * 3 + s.k AS id, m.goal_id, m.company_id, m.date, s.series,
                       CASE s.k WHEN 0 THEN m.value WHEN 1 THEN m.target_value ELSE m.expected_value END
                           AS value
                  FROM relationship_goal_measurement m
                 CROSS JOIN (VALUES (0, '1_measured'), (1, '2_target'), (2, '3_expected')) AS s(k, series)
                 WHERE s.k != 2 OR m.expected_value IS NOT NULL
            )
        """)
