from .common import RelationshipCase


class TestSettings(RelationshipCase):
    def test_settings_block_round_trip(self):
        Settings = self.env["res.config.settings"]
        defaults = Settings.create({})
        self.assertTrue(defaults.relationship_auto_capture)
        self.assertEqual(defaults.relationship_default_cadence_days, 30)
        self.assertEqual(defaults.gdpr_reminder_days, 7)
        self.assertEqual(defaults.relationship_default_pipeline_id,
                         self.env.ref("customer_relationship.pipeline_customer_lifecycle"))
        onboarding = self.env["relationship.pipeline"].create({"name": "Onboarding Settings"})
        settings = Settings.create({
            "relationship_auto_capture": False, "relationship_default_cadence_days": 45,
            "relationship_default_pipeline_id": onboarding.id, "relationship_pipeline_new_contacts": True,
            "gdpr_reminder_days": 3,
            "gdpr_legal_hold_model_ids": [(6, 0, [self.env["ir.model"]._get_id("relationship.interaction")])],
        })
        settings.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("customer_relationship.auto_capture"), "False")
        self.assertEqual(params.get_param("customer_relationship.default_cadence_days"), "45")
        self.assertEqual(params.get_param("customer_relationship.gdpr_reminder_days"), "3")
        self.assertEqual(params.get_param("customer_relationship.gdpr_legal_hold_models"), "relationship.interaction")
        self.assertTrue(onboarding.is_lifecycle)
        self.assertFalse(self.env.ref("customer_relationship.pipeline_customer_lifecycle").is_lifecycle)
        again = Settings.create({})
        self.assertFalse(again.relationship_auto_capture)
        self.assertTrue(again.relationship_pipeline_new_contacts)
        self.assertEqual(again.relationship_default_pipeline_id, onboarding)
        # New individuals now start in the chosen lifecycle pipeline, and follow the chosen cadence.
        self.env["relationship.stage"].create({"name": "First", "pipeline_id": onboarding.id})
        person = self.env["res.partner"].create({"name": "Settings Person"})
        self.assertEqual(person.relationship_membership_ids.pipeline_id, onboarding)
        self.assertEqual(person.contact_cadence_days, 0)
        self.assertTrue(person.needs_attention, "never contacted, and the cadence of 45 days applies")

    def test_settings_view_loads_with_the_block(self):
        admin = self.env.ref("base.user_admin")
        arch = self.env["res.config.settings"].with_user(admin).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="customer_relationship"', arch)
        self.assertIn("relationship_default_pipeline_id", arch)
