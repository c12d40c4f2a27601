{
    "name": "eMAG Marketplace Connector",
    "summary": "Sell on eMAG and Fashion Days marketplaces from Odoo: offers, "
    "stock, orders, AWB, invoices and returns",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "AGPL-3",
    "author": "eMAG Connector Contributors",
    "development_status": "Alpha",
    "depends": ["mail", "queue_job"],
    "external_dependencies": {"python": ["pydantic", "requests"]},
    "data": [
        "security/emag_security.xml",
        "security/ir.model.access.csv",
        "views/emag_account_views.xml",
        "views/emag_menus.xml",
    ],
    "application": True,
    "installable": True,
}
