{
    "name": "eMAG Connector - Romanian e-Factura Bridge",
    "summary": "Attach eMAG invoices once Romanian e-Factura has reached the "
    "state you choose",
    "version": "18.0.1.1.0",
    "category": "Accounting/Localizations/EDI",
    "license": "AGPL-3",
    "author": "eMAG Connector Contributors",
    "development_status": "Alpha",
    "depends": ["emag_connector", "l10n_ro_edi"],
    "data": [
        "views/emag_account_views.xml",
        "views/emag_order_views.xml",
        "views/account_move_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
