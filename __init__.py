from odoo.tools import SQL

from . import models
from . import report
from . import wizards
from .report.relationship_funnel_summary import DELTA_FUNCTION


def uninstall_hook(env):
    """The funnel summary's trigger function lives outside the addon's tables: dropped with its triggers."""
    env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(DELTA_FUNCTION)))
