from . import gdpr_suppression_confirm
from . import relationship_segment_activity_wizard
from . import relationship_stage_delete_wizard
