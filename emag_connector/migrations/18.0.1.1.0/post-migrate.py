def migrate(cr, version):
    """The currency of an eMAG order is stored since 18.0.1.1.0 (it was its
    sale order's): fill it for the orders imported before."""
    if not version:
        return
    cr.execute(
        """
        UPDATE emag_order eo
           SET currency_id = so.currency_id
          FROM sale_order so
         WHERE so.id = eo.sale_order_id
           AND eo.currency_id IS NULL
        """
    )
