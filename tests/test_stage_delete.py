from lxml import etree

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError
from odoo.exceptions import RedirectWarning
from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import RelationshipCase

WIZARD = "relationship.stage.delete.wizard"


def _join(env, partners, stage):
    """Put partners (outside every pipeline) into ``stage``: returns their memberships."""
    return env["relationship.pipeline.membership"].create([
        {"partner_id": partner.id, "pipeline_id": stage.pipeline_id.id, "stage_id": stage.id} for partner in partners])


def _partners(env, names, **vals):
    """Partners outside every pipeline (not in the lifecycle one either), as in tests/test_pipeline_stages.py."""
    return env["res.partner"].with_context(relationship_no_pipeline=True).create(
        [{"name": name, **vals} for name in names])


def _build_pipeline(env, name="Delete Test"):
    """Doomed (2 partners), Kept (1 partner), Spare (empty), in that order: returns the memberships."""
    pipeline = env["relationship.pipeline"].create({"name": name, "stage_ids": [
        (0, 0, {"name": stage, "sequence": seq}) for seq, stage in enumerate(("Doomed", "Kept", "Spare"), 1)]})
    doomed, kept, spare = pipeline.stage_ids.sorted("sequence")
    movers = _partners(env, ("Mover One", "Mover Two"), is_company=True)
    stayer = _partners(env, ("Stayer",), is_company=True)
    return pipeline, (doomed, kept, spare), _join(env, movers, doomed) | _join(env, stayer, kept)


class TestStageDelete(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pipeline, (cls.doomed, cls.kept, cls.spare), memberships = _build_pipeline(cls.env)
        cls.movers, cls.stayer = memberships[:2], memberships[2]
        cls.movers[1].partner_id.active = False  # archived partners move too: nobody is left without a stage
        cls.elsewhere = cls.env["relationship.pipeline"].create(
            {"name": "Elsewhere", "stage_ids": [(0, 0, {"name": "Far"})]})
        cls.far = cls.elsewhere.stage_ids

    def _open_dialog(self, action, **values):
        """What the web client does with the action: a new record with the action's context, saved on confirm."""
        self.assertEqual((action["type"], action["res_model"], action["target"]),
                         ("ir.actions.act_window", WIZARD, "new"))
        self.assertNotIn("res_id", action)
        return self.env[WIZARD].with_context(**action["context"]).create(values)

    def _assert_moved_and_gone(self):
        self.assertFalse(self.doomed.exists())
        self.assertEqual(self.movers.stage_id, self.kept)
        self.assertEqual(self.stayer.stage_id, self.kept)
        open_rows = self.env["relationship.stage.history"].search(
            [("membership_id", "in", (self.movers | self.stayer).ids), ("date_leave", "=", False)])
        self.assertEqual(open_rows.stage_id, self.kept)
        self.assertEqual(len(open_rows), 3)

    def _assert_untouched(self):
        self.env.invalidate_all()  # read what the database holds after the refusal's rollback
        self.assertTrue(self.doomed.exists())
        self.assertEqual(self.movers.stage_id, self.doomed)
        self.assertEqual(self.env["relationship.stage.history"].search_count(
            [("membership_id", "in", self.movers.ids)]), 2)

    def test_warning_of_a_plain_unlink_opens_a_dialog_that_survives_the_rollback(self):
        """Board column › Delete used to fail with "records … cannot be found": the wizard was created in
        the transaction the warning rolls back."""
        wizards_before = self.env[WIZARD].search_count([])
        with self.assertRaises(RedirectWarning) as caught:
            self.doomed.unlink()
        message, action, button = caught.exception.args[:3]
        self.assertEqual(message, "Partners are in the stage(s) Doomed: choose where they go before the stage "
                                  "is deleted.")
        self.assertEqual(button, "Choose where they go")
        self.assertEqual(self.env[WIZARD].search_count([]), wizards_before)
        self._assert_untouched()
        wizard = self._open_dialog(action, target_stage_id=self.kept.id)
        self.assertEqual((wizard.stage_ids, wizard.pipeline_id, wizard.partner_count), (self.doomed, self.pipeline, 2))
        # Raised from whatever view failed to delete: that view reloads.
        self.assertEqual(wizard.action_confirm(), {"type": "ir.actions.client", "tag": "soft_reload"})
        self._assert_moved_and_gone()

    def test_pipeline_form_row_opens_the_dialog_then_the_form_reloads_itself(self):
        action = self.doomed.action_open_delete_wizard()
        self.assertEqual(action["context"], {"active_model": "relationship.stage", "active_ids": [self.doomed.id]})
        wizard = self._open_dialog(action, target_stage_id=self.kept.id)
        self.assertEqual(wizard.action_confirm(), {"type": "ir.actions.act_window_close"})
        self._assert_moved_and_gone()

    def test_board_column_lands_on_a_fresh_board_of_the_pipeline(self):
        """The board asks for "board": reloading the old one would keep the deleted column, empty."""
        action = self.doomed.with_context(relationship_stage_delete_then="board").action_open_delete_wizard()
        self.assertEqual(action["context"]["relationship_stage_delete_then"], "board")
        after = self._open_dialog(action, target_stage_id=self.kept.id).action_confirm()
        self.assertEqual((after["res_model"], after["target"], after["domain"]),
                         ("relationship.pipeline.membership", "main", [("pipeline_id", "=", self.pipeline.id)]))
        self.assertEqual(after["context"]["default_pipeline_id"], self.pipeline.id)
        self._assert_moved_and_gone()

    def test_stages_list_lands_on_the_stages_list_not_on_the_deleted_form(self):
        server_action = self.env.ref("customer_relationship.action_relationship_stage_delete")
        self.assertEqual(server_action.binding_model_id.model, "relationship.stage")
        action = server_action.with_user(self.user_manager).with_context(
            active_model="relationship.stage", active_ids=self.doomed.ids, active_id=self.doomed.id).run()
        wizard = self._open_dialog(action, target_stage_id=self.kept.id)
        after = wizard.action_confirm()
        self.assertEqual(after, {"type": "ir.actions.act_url", "target": "self",
                                 "url": "/odoo/action-customer_relationship.action_relationship_stage"})
        self._assert_moved_and_gone()

    def test_refusals_name_the_problem_and_change_nothing(self):
        wizard = self._open_dialog(self.doomed.action_open_delete_wizard())
        with self.assertRaisesRegex(UserError, "^Choose the stage that receives the 2 partners of the deleted "
                                               "stages.$"):
            wizard.action_confirm()
        for target in (self.doomed, self.far):
            wizard.target_stage_id = target
            with self.assertRaisesRegex(UserError, "^The partners must go to another stage of the pipeline "
                                                   "“Delete Test”.$"):
                wizard.action_confirm()
        both = self._open_dialog((self.doomed | self.far).action_open_delete_wizard(), target_stage_id=self.kept.id)
        _join(self.env, _partners(self.env, ("Far One",)), self.far)
        with self.assertRaisesRegex(UserError, "^Delete the stages of one pipeline at a time"):
            both.action_confirm()
        self._assert_untouched()
        self.assertTrue(self.far.exists())

    def test_partners_of_another_company_are_not_left_behind(self):
        """A stage holds a partner of a company the manager does not work for (put there by someone who does)."""
        other_company = self.env["res.company"].create({"name": "Other Co"})
        outsider = _join(self.env, _partners(self.env, ("Outsider",), company_id=other_company.id), self.doomed)
        self.user_manager.groups_id |= self.env.ref("base.group_partner_manager")
        wizard = self.env[WIZARD].with_user(self.user_manager).create(
            {"stage_ids": [(6, 0, self.doomed.ids)], "target_stage_id": self.kept.id})
        self.assertEqual(wizard.partner_count, 2)  # the two it can see
        with self.assertRaisesRegex(UserError, "^Partners of companies you do not work for are in the stage"
                                               r"\(s\) Doomed: someone who works for their companies must "
                                               "delete it.$"):
            wizard.action_confirm()
        self._assert_untouched()
        self.assertEqual(outsider.stage_id, self.doomed)

    def test_empty_stages_delete_without_asking_for_a_target(self):
        empty_far = self.env["relationship.stage"].create({"name": "Empty Far", "pipeline_id": self.elsewhere.id})
        wizard = self._open_dialog((self.spare | empty_far).action_open_delete_wizard())
        self.assertEqual(wizard.partner_count, 0)
        wizard.action_confirm()
        self.assertFalse((self.spare | empty_far).exists())
        self.assertEqual(self.pipeline.stage_ids, self.doomed | self.kept)

    def test_only_relationship_managers_delete_stages(self):
        action = self.doomed.with_user(self.user_rel).action_open_delete_wizard()
        with self.assertRaises(AccessError):
            self.env[WIZARD].with_user(self.user_rel).with_context(**action["context"]).create(
                {"target_stage_id": self.kept.id})
        with self.assertRaises(AccessError):
            self.spare.with_user(self.user_rel).unlink()
        server_action = self.env.ref("customer_relationship.action_relationship_stage_delete")
        with self.assertRaises(AccessError):
            server_action.with_user(self.user_rel).with_context(
                active_model="relationship.stage", active_ids=self.doomed.ids).run()
        self._assert_untouched()
        manager = self.env(user=self.user_manager)
        manager_wizard = manager[WIZARD].with_context(**action["context"]).create({"target_stage_id": self.kept.id})
        # Moving partners needs the right to write them, as on the board.
        self.user_manager.groups_id |= self.env.ref("base.group_partner_manager")
        manager_wizard.action_confirm()
        self._assert_moved_and_gone()

    def test_moving_100_partners_costs_the_same_queries_as_10(self):
        def queries_to_delete(count):
            stage = self.env["relationship.stage"].create({"name": f"Batch {count}", "pipeline_id": self.pipeline.id})
            with freeze_time("2026-01-05 09:00:00"):  # entered before the move, as in life
                _join(self.env, _partners(self.env, [f"B{count}-{i}" for i in range(count)]), stage)
                self.env.flush_all()
            self.env.invalidate_all()
            # The history is written as superuser: an Environment computes its company once, from the user
            # record, and whether Python still holds the previous one decides if that read happens again.
            # Read it here so that only what depends on the number of partners is compared.
            self.env["res.users"].browse(SUPERUSER_ID).company_id  # noqa: B018
            before = self.env.cr.sql_log_count
            stage._move_partners_and_unlink(self.spare)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        queries_to_delete(1)  # warm the caches that are filled once
        self.assertEqual(queries_to_delete(10), queries_to_delete(100))
        self.assertEqual(self.spare.partner_count, 111)

    def test_stage_lists_sum_nothing(self):
        """Days Allowed of different stages added up means nothing: no sum in grouped stage lists."""
        Stage = self.env["relationship.stage"]
        for view in (self.env.ref("customer_relationship.relationship_stage_view_list"),
                     self.env.ref("customer_relationship.relationship_pipeline_view_form")):
            arch = etree.fromstring(view.arch)
            names = {field.get("name") for lst in arch.iter("list") for field in lst.iterchildren("field")}
            self.assertIn("sla_days", names)
            described = Stage.fields_get(sorted(names & set(Stage._fields)), ["aggregator"])
            self.assertEqual({name: desc for name, desc in described.items() if desc.get("aggregator")}, {})


@tagged("post_install", "-at_install")
class TestStageDeleteTours(HttpCase):
    """Each path a person deletes a stage by, in headless Chromium, and what the screen shows afterwards."""

    def setUp(self):
        super().setUp()
        self.pipeline, (self.doomed, self.kept, self.spare), memberships = _build_pipeline(
            self.env, "Tour Delete Pipeline")
        self.movers, self.stayer = memberships[:2], memberships[2]

    def _assert_moved_and_gone(self):
        self.assertFalse(self.doomed.exists())
        self.assertEqual(self.pipeline.stage_ids, self.kept | self.spare)
        self.assertEqual((self.movers | self.stayer).stage_id, self.kept)

    def test_board_column_menu(self):
        manager = new_test_user(self.env, "tour_stage_manager", groups=(
            "base.group_user,base.group_partner_manager,customer_relationship.group_relationship_manager"))
        self.start_tour(f"/odoo/action-customer_relationship.action_relationship_pipeline/{self.pipeline.id}",
                        "customer_relationship_stage_delete_board_tour", login=manager.login)
        self._assert_moved_and_gone()

    def test_pipeline_form(self):
        self.start_tour(f"/odoo/action-customer_relationship.action_relationship_pipeline/{self.pipeline.id}",
                        "customer_relationship_stage_delete_pipeline_form_tour", login="admin")
        self._assert_moved_and_gone()
        self.assertEqual(self.pipeline.name, "Tour Delete Pipeline Renamed")

    def test_stages_list(self):
        self.start_tour("/odoo/action-customer_relationship.action_relationship_stage",
                        "customer_relationship_stage_delete_stages_list_tour", login="admin")
        self._assert_moved_and_gone()

    def test_stage_form(self):
        self.start_tour(f"/odoo/action-customer_relationship.action_relationship_stage/{self.doomed.id}",
                        "customer_relationship_stage_delete_stage_form_tour", login="admin")
        self._assert_moved_and_gone()
