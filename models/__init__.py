from . import (
    relationship_interaction,
    relationship_pipeline,
    relationship_stage,
    relationship_stage_history,
    res_config_settings,
    res_partner,
)
from . import relationship_dashboard_card
