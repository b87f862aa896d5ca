from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestUiTours(HttpCase):
    """What users click, in headless Chromium."""

    def test_goal_tour(self):
        self.start_tour("/odoo", "customer_relationship_goal_tour", login="admin")
        goal = self.env["relationship.goal"].search([("name", "=", "Win five new customers")])
        self.assertEqual(goal.state, "active")
        self.assertEqual(goal.kpi_id, self.env.ref("customer_relationship.kpi_acquisition"))
        self.assertEqual(goal.target_value, 5.0)
        self.assertTrue(goal.achievability_note)
