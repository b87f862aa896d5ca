from . import relationship_stage_delete_wizard
