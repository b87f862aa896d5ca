"""Methods reachable over JSON-RPC are the ones users are meant to call (issue 14, Done when 4).

Odoo lets RPC call any method whose name does not start with "_" on any model. This test lists the public
methods the addon introduces (defined in the addon, not overriding Odoo's own public methods such as
create or message_post) on every model, and compares them with ALLOWED. A new public method fails it:
either it is meant for users (add it here, and check it is safe as the weakest user who can reach the
model), or it is internal (prefix it with "_").
"""
import inspect

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

ADDON_PREFIX = "odoo.addons.customer_relationship."

ALLOWED = {
    # Buttons of forms and lists. Each one checks the rights of the user on the records it acts on (a
    # write it makes, or an explicit check) before it computes anything.
    "gdpr.consent.action_withdraw",
    "gdpr.erasure.confirm.action_confirm",
    "gdpr.request.action_download_export",
    "gdpr.request.action_execute",
    "gdpr.request.action_lift_restriction",
    "gdpr.request.action_prepare_plan",
    "gdpr.request.action_reject",
    "gdpr.request.action_reset_to_new",
    "gdpr.request.action_send_answer",
    "gdpr.request.action_verify_identity",
    "gdpr.request.intake.action_register",
    # Refuses anyone but a Privacy Officer, then sets 1 to 6 months on the retention rules' scheduled action.
    "gdpr.retention.interval.action_save",
    "gdpr.retention.rule.action_preview",
    "gdpr.retention.rule.action_run",
    "gdpr.retention.rule.action_view_partners",
    "gdpr.retention.rule.action_view_records",
    "gdpr.suppression.confirm.action_confirm",
    "relationship.goal.action_activate",
    "relationship.goal.action_cancel",
    "relationship.goal.action_draft",
    "relationship.goal.action_measure",
    "relationship.goal.action_view_measurements",
    "relationship.pipeline.action_open_board",
    "relationship.pipeline.add.wizard.action_add",
    "relationship.pipeline.membership.action_open_partner",
    "relationship.stage.action_open_delete_wizard",
    "relationship.stage.delete.wizard.action_confirm",
    # Creates the activities with the user's own rights on the contacts (mail.activity create checks them).
    "relationship.segment.activity.wizard.action_schedule",
    "res.partner.action_log_interaction",
    "res.partner.action_view_gdpr_consents",
    "res.partner.action_view_interactions",
    # Stage rules read other models as the system: each of these refuses anyone but an administrator.
    "relationship.stage.rule.action_apply",
    "relationship.stage.rule.action_preview",
    "relationship.stage.rule.preview.action_apply",
    "relationship.stage.rule.suggestion.action_accept",
    # Computed with the caller's own rights (record rules, field groups); refuses malformed input.
    "relationship.kpi.compute_value",
    # The Overview: figures, lists and the partners behind a KPI tile, all read with the caller's rights.
    "relationship.overview.action_open_kpi",
    "relationship.overview.get_dashboard",
}


def public_methods(env):
    """{"model.method"} for every public method the addon introduces, on every model of the registry."""
    found = set()
    for model_name in env.registry:
        classes = inspect.getmro(type(env[model_name]))
        ours = [cls for cls in classes if cls.__module__.startswith(ADDON_PREFIX)]
        others = [cls for cls in classes if not cls.__module__.startswith(ADDON_PREFIX)]
        for cls in ours:
            for name, member in vars(cls).items():
                if name.startswith("_") or not callable(member) or isinstance(member, type):
                    continue
                if any(name in vars(other) for other in others):
                    continue  # an override of Odoo's own public method (create, write, message_post, ...)
                found.add(f"{model_name}.{name}")
    return found


@tagged("post_install", "-at_install")
class TestPublicSurface(TransactionCase):

    def test_public_methods_are_the_allowed_ones(self):
        found = public_methods(self.env)
        self.assertIn("relationship.goal.action_activate", found, "the enumeration found nothing")
        self.assertTrue(any(name.startswith("gdpr.") for name in found), "GDPR models must be listed too")
        self.assertEqual(sorted(found - ALLOWED), [], "public methods not meant for users: prefix them with _")
        self.assertEqual(sorted(ALLOWED - found), [], "allowed methods that no longer exist: remove them")
