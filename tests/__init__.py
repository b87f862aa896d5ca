from . import test_goal_measure, test_goal_smart, test_install, test_kpi_builtin, test_kpi_custom, test_ui_tours
