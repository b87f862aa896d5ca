from . import (
    relationship_goal,
    relationship_goal_measurement,
    relationship_interaction,
    relationship_kpi,
    relationship_pipeline,
    relationship_stage,
    relationship_stage_history,
    res_config_settings,
    res_partner,
)
