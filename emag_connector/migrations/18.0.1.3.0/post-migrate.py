def migrate(cr, version):
    """Orders have a shipping deadline since 18.0.1.3.0 (the Overview warns
    before it passes): for the orders imported before, the order date plus
    the account's handling time, until the next import brings eMAG's own."""
    if not version:
        return
    cr.execute(
        """
        UPDATE emag_order eo
           SET shipping_deadline = eo.emag_date
               + make_interval(days => GREATEST(ea.default_handling_time, 1))
          FROM emag_account ea
         WHERE ea.id = eo.account_id
           AND eo.shipping_deadline IS NULL
           AND eo.emag_date IS NOT NULL
        """
    )
