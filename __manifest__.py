{
    "name": "Customer Relationship Toolkit",
    "summary": "Log customer interactions, move partners through pipelines, set SMART goals measured from KPIs, "
               "and answer GDPR and KVKK requests",
    "version": "18.0.2.2.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Customer Relationship Toolkit contributors",
    "application": True,
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "depends": ["mail", "contacts", "privacy_lookup", "utm"],
    "data": [
        "security/customer_relationship_security.xml",
        "security/ir.model.access.csv",
        "security/customer_relationship_rules.xml",
        # Interaction log
        "data/relationship_interaction_data.xml",
        "views/relationship_interaction_views.xml",
        # Pipelines and stages
        "data/relationship_pipeline_data.xml",
        "views/relationship_pipeline_views.xml",
        "views/relationship_pipeline_membership_views.xml",
        "views/relationship_stage_views.xml",
        "views/relationship_stage_history_views.xml",
        "report/relationship_funnel_report_views.xml",
        "data/relationship_funnel_data.xml",
        "views/res_partner_views.xml",
        # Goals and KPIs
        "data/relationship_kpi_data.xml",
        "data/relationship_goal_data.xml",
        "views/relationship_kpi_views.xml",
        "views/relationship_goal_views.xml",
        # GDPR
        "data/gdpr_data.xml",
        "views/gdpr_request_views.xml",
        "views/gdpr_request_intake_views.xml",
        "views/gdpr_consent_views.xml",
        "views/gdpr_suppression_views.xml",
        "views/gdpr_suppression_confirm_views.xml",
        "views/gdpr_erasure_confirm_views.xml",
        "views/gdpr_data_category_views.xml",
        "report/gdpr_request_report.xml",
        "data/gdpr_mail_template_data.xml",
        "data/gdpr_retention_data.xml",
        "views/gdpr_retention_interval_views.xml",
        "views/gdpr_retention_rule_views.xml",
        "views/gdpr_destruction_record_views.xml",
        # Shared
        "data/ir_config_parameter_data.xml",
        "views/relationship_overview_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        # Customer segments (RFM)
        "data/relationship_rfm_data.xml",
        "views/relationship_rfm_source_views.xml",
        "views/relationship_segment_transition_views.xml",
        "views/res_partner_rfm_views.xml",
        # Where partners come from (UTM sources)
        "views/res_partner_source_views.xml",
        # Stage rules
        "data/relationship_stage_rule_data.xml",
        "views/relationship_stage_rule_wizard_views.xml",
        "views/relationship_stage_rule_views.xml",
    ],
    "demo": [
        "demo/relationship_pipeline_demo.xml",
        "demo/relationship_interaction_demo.xml",
        # Goals and KPIs
        "demo/relationship_goal_demo.xml",
        # GDPR
        "demo/gdpr_demo.xml",
        "demo/gdpr_erasure_demo.xml",
        "demo/gdpr_retention_demo.xml",
        "demo/gdpr_data_category_demo.xml",
        # Where partners come from (UTM sources)
        "demo/res_partner_source_demo.xml",
        # Stage rules
        "demo/relationship_stage_rule_demo.xml",
        "demo/gdpr_retention_category_demo.xml",
        "demo/gdpr_destruction_record_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "customer_relationship/static/src/**/*",
        ],
        "web.assets_tests": [
            "customer_relationship/static/tests/tours/*.js",
        ],
    },
}
