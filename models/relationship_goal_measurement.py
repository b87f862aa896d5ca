from odoo import api
from odoo import fields
from odoo import models


class RelationshipGoalMeasurement(models.Model):
    _name = "relationship.goal.measurement"
    _description = "Relationship Goal Measurement"
    _order = "date desc, id desc"
    _rec_name = "date"

    goal_id = fields.Many2one("relationship.goal", required=True, index=True, ondelete="cascade")
    kpi_id = fields.Many2one(related="goal_id.kpi_id", store=True, index=True)
    company_id = fields.Many2one(related="goal_id.company_id", store=True, index=True)
    date = fields.Date(required=True, index=True)
    value = fields.Float(required=True, aggregator="avg")
    target_value = fields.Float(aggregator="avg", readonly=True)
    expected_value = fields.Float(
        string="Expected Path", aggregator="avg", readonly=True,
        help="Where the goal should stand on this day: the baseline, plus the share of the period elapsed of the "
             "way to the target.")

    _sql_constraints = [
        ("goal_date_unique", "UNIQUE(goal_id, date)", "A goal has one measurement per day."),
    ]

    @api.model
    def _record(self, values):
        """Store {goal: value} as measurements dated on each goal's last measurement day.

        A second measurement on the same day updates the first; costs a fixed number of queries.
        """
        if not values:
            return self.browse()
        goals = self.env["relationship.goal"].union(*values)
        existing = {(m.goal_id, m.date): m for m in self.search(
            [("goal_id", "in", goals.ids), ("date", "in", list(set(goals.mapped("date_last_measured"))))])}
        to_create = []
        for goal, value in values.items():
            measurement = existing.get((goal, goal.date_last_measured))
            expected = goal.baseline_value + (goal.target_value - goal.baseline_value) * goal.expected_progress / 100
            if measurement:
                measurement.write({"value": value, "target_value": goal.target_value, "expected_value": expected})
            else:
                # kpi and company given: the INSERT holds them, no UPDATE per batch of measurements
                to_create.append({"goal_id": goal.id, "date": goal.date_last_measured, "value": value,
                                  "target_value": goal.target_value, "expected_value": expected,
                                  "kpi_id": goal.kpi_id.id, "company_id": goal.company_id.id})
        return self.create(to_create)
