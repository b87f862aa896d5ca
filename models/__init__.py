# The shared-configuration mixin first: KPIs, pipelines and stages inherit it.
from . import relationship_shared_config_mixin

# isort: split
from . import gdpr_consent
from . import gdpr_data_category
from . import gdpr_data_erasure
from . import gdpr_data_export
from . import gdpr_destruction_record
from . import gdpr_destruction_record_line
from . import gdpr_request
from . import gdpr_request_deadline
from . import gdpr_request_execution
from . import gdpr_request_line
from . import gdpr_request_status
from . import gdpr_retention_plan
from . import gdpr_retention_rule
from . import gdpr_subject_finder
from . import gdpr_suppression
from . import mail_mail
from . import mail_message
from . import mail_thread
from . import relationship_goal
from . import relationship_goal_measurement
from . import relationship_interaction
from . import relationship_kpi
from . import relationship_overview
from . import relationship_pipeline
from . import relationship_pipeline_membership
from . import relationship_rfm_source
from . import relationship_segment_transition
from . import relationship_stage
from . import relationship_stage_history
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_partner_rfm
