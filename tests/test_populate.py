from odoo.tests import freeze_time
from odoo.tools.populate import populate_models

from .test_pipeline_stages import PipelineCase

POPULATED = ["res.partner", "relationship.interaction", "relationship.pipeline.membership",
             "relationship.stage.history", "relationship.partner.stat"]


class TestPopulate(PipelineCase):
    """Odoo 18's populate (`odoo-bin populate`, duplication in SQL) keeps the addon's data consistent.

    `make bench` builds its 100,000 partners this way, so each copy must keep its own membership, history
    chain, interactions and last-contact date.
    """

    def test_copies_keep_their_history_and_interactions(self):
        with freeze_time("2026-03-01 10:00:00"):
            partner = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
                {"name": "Populate Seed"})
            member = self._join(partner, self.pipeline)
        with freeze_time("2026-03-04 10:00:00"):
            member.stage_id = self.talk
            self.env["relationship.interaction"].create({
                "partner_id": partner.id, "subject": "Kick-off call", "date": "2026-03-04 09:00:00"})
        self.env.flush_all()
        Partner = self.env["res.partner"].with_context(active_test=False)
        before = {name: self.env[name].with_context(active_test=False).search_count([]) for name in POPULATED}

        populate_models({self.env[name]: 2 for name in POPULATED}, ord("_"))
        self.env.invalidate_all()

        for name in POPULATED:
            self.assertEqual(self.env[name].with_context(active_test=False).search_count([]), 3 * before[name])
        copies = Partner.search([("name", "in", ["Populate Seed_1", "Populate Seed_2"])])
        self.assertEqual(len(copies), 2)
        for copy in copies:
            copy_member = copy.relationship_membership_ids
            self.assertEqual((copy_member.pipeline_id, copy_member.stage_id), (self.pipeline, self.talk))
            history = self._history(copy_member)
            self.assertEqual(history.partner_id, copy)
            self.assertEqual(history.mapped("stage_id"), self.new | self.talk)
            self.assertEqual((history[0].next_stage_id, history[1].previous_stage_id), (self.talk, self.new))
            # every date of a copy moves by the same number of days, so the copy stays consistent
            self.assertEqual(copy_member.date_stage_entered, history[1].date_enter)
            self.assertEqual(history[0].date_leave, history[1].date_enter)
            self.assertEqual(copy.interaction_ids.mapped("subject"), [copy.interaction_ids.subject])
            self.assertEqual(copy.last_interaction_date, copy.interaction_ids.date)
            self.assertEqual(copy.interaction_count, 1)
        self.assertEqual(len(set(copies.mapped("last_interaction_date"))), 2, "copies spread over time")
