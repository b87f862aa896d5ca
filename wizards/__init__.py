from . import gdpr_erasure_confirm
from . import gdpr_request_intake
from . import gdpr_suppression_confirm
from . import relationship_pipeline_add_wizard
from . import relationship_segment_activity_wizard
from . import relationship_stage_delete_wizard
