{
    "name": "Customer Relationship Toolkit",
    "summary": "Interaction log, partner pipelines, SMART goals from KPIs and GDPR requests",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "customer_relationship",
    "website": "https://github.com/customer-relationship/customer_relationship",
    "application": True,
    "installable": True,
    "depends": ["mail", "contacts", "privacy_lookup"],
    "data": [
        "security/customer_relationship_security.xml",
        "security/ir.model.access.csv",
        "security/customer_relationship_rules.xml",
        # Interaction log
        # Pipelines and stages
        # Goals and KPIs
        # GDPR
        # Shared
        "data/ir_config_parameter_data.xml",
        "data/relationship_dashboard_card_data.xml",
        "views/relationship_dashboard_card_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [],
    "assets": {},
}
