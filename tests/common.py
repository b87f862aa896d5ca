from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class RelationshipCase(TransactionCase):
    """Users of every group of the addon, and a pipeline of our own so figures do not depend on data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        prefix = "customer_relationship."
        cls.user_rel = new_test_user(cls.env, "cr_user", groups="base.group_user," + prefix + "group_relationship_user")
        cls.user_manager = new_test_user(
            cls.env, "cr_manager", groups="base.group_user," + prefix + "group_relationship_manager")
        cls.user_officer = new_test_user(
            cls.env, "cr_officer", groups="base.group_user," + prefix + "group_privacy_officer")
        cls.user_internal = new_test_user(cls.env, "cr_internal", groups="base.group_user")
        cls.user_portal = new_test_user(cls.env, "cr_portal", groups="base.group_portal")
