from odoo.exceptions import AccessError

from .common import RelationshipCase


class TestInstall(RelationshipCase):
    def test_module_installed_with_manifest(self):
        module = self.env["ir.module.module"].search([("name", "=", "customer_relationship")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.shortdesc, "Customer Relationship Toolkit")
        self.assertEqual(module.installed_version, "18.0.2.2.0")
        self.assertEqual(module.license, "LGPL-3")
        self.assertTrue(module.application)
        self.assertEqual(
            set(module.dependencies_id.mapped("name")), {"mail", "contacts", "privacy_lookup", "utm"})

    def test_groups_and_implications(self):
        user = self.env.ref("customer_relationship.group_relationship_user")
        manager = self.env.ref("customer_relationship.group_relationship_manager")
        officer = self.env.ref("customer_relationship.group_privacy_officer")
        category = self.env.ref("customer_relationship.module_category_customer_relationship")
        self.assertEqual(manager.category_id, category)
        self.assertIn(user, manager.implied_ids)
        self.assertIn(user, officer.implied_ids)
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("customer_relationship.group_relationship_manager"))
        self.assertTrue(admin.has_group("customer_relationship.group_privacy_officer"))
        self.assertTrue(self.user_manager.has_group("customer_relationship.group_relationship_user"))
        self.assertFalse(self.user_rel.has_group("customer_relationship.group_relationship_manager"))

    def test_root_menu_visible_only_to_relationship_users(self):
        root = self.env.ref("customer_relationship.menu_relationship_root")
        self.assertEqual(root.groups_id, self.env.ref("customer_relationship.group_relationship_user"))
        for user, visible in ((self.user_internal, False), (self.user_portal, False)):
            menus = self.env["ir.ui.menu"].with_user(user).sudo()._visible_menu_ids()
            self.assertEqual(root.id in menus, visible, user.login)
        self.assertEqual(root.web_icon, "customer_relationship,static/description/icon.png")


class TestAccessSmoke(RelationshipCase):
    """One read per group; the full matrix lives in test_access_matrix."""

    def _can_read(self, user, model):
        try:
            self.env[model].with_user(user).search([], limit=1)
        except AccessError:
            return False
        return True

    def test_relationship_user_reads_interactions_and_pipelines(self):
        for model in ("relationship.interaction", "relationship.pipeline", "relationship.stage",
                      "relationship.stage.history"):
            self.assertTrue(self._can_read(self.user_rel, model), model)

    def test_manager_configures_pipelines(self):
        pipeline = self.env["relationship.pipeline"].with_user(self.user_manager).create({"name": "Smoke"})
        self.assertEqual(pipeline.name, "Smoke")
        with self.assertRaises(AccessError):
            self.env["relationship.pipeline"].with_user(self.user_rel).create({"name": "Refused"})

    def test_privacy_officer_is_a_relationship_user(self):
        self.assertTrue(self._can_read(self.user_officer, "relationship.interaction"))

    def test_plain_internal_and_portal_users_get_nothing(self):
        for user in (self.user_internal, self.user_portal):
            for model in ("relationship.interaction", "relationship.pipeline"):
                self.assertFalse(self._can_read(user, model), f"{user.login} {model}")
