from . import test_gdpr_export
from . import test_gdpr_request
from . import test_goal_measure
from . import test_goal_smart
from . import test_install
from . import test_kpi_builtin
from . import test_kpi_custom
from . import test_ui_tours
