"""Measurements taken before 18.0.2.0.0 get their expected path: the baseline plus the share of the goal's
period elapsed on the measurement day of the way to the target (as relationship.goal.measurement._record)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE relationship_goal_measurement m
           SET expected_value = g.baseline_value + (m.target_value - g.baseline_value) * CASE
                   WHEN g.date_deadline <= g.date_start THEN 1.0
                   ELSE LEAST(1.0, GREATEST(0.0, (m.date - g.date_start)::float / (g.date_deadline - g.date_start)))
               END
          FROM relationship_goal g
         WHERE g.id = m.goal_id AND m.expected_value IS NULL AND g.date_deadline IS NOT NULL
    """)
