"""Import N eMAG orders from the sandbox, next to the same sale orders made
directly through the ORM.

    <odoo's python> benchmarks/bench_order_import.py -d DATABASE [--orders 200]
        [--addons-path PATHS]

DATABASE must have emag_connector installed; everything is rolled back at the
end. Prints SQL queries and seconds per order for the connector's import
(partner, lines, totals check, confirmation, acknowledgement enqueued) and for
what the connector must make of each order done directly through the ORM (a
new customer with its invoice and delivery addresses, the sale order with the
same lines, its confirmation), and the connector's overhead as a ratio.
"""

import sys
import time

from odoo_bench import odoo_env, parse_args, row, sandbox_account

from odoo import Command


def main():
    args = parse_args(__doc__, "orders", 200)
    n = args.orders
    with odoo_env(args, rate_limit=False) as (env, sb):
        cr = env.cr
        product = env["product.product"].create(
            {"name": "Bench", "default_code": "BENCH", "is_storable": True}
        )
        account = sandbox_account(env, sb)
        tax = account.tax_map_ids.filtered(lambda r: r.vat_rate == 21).tax_id
        env["emag.offer"].create(
            {"account_id": account.id, "product_id": product.id, "emag_offer_id": 1}
        )
        line = {"product_id": 1, "sale_price": "82.6446", "vat": "0.21"}
        sb.seed_orders(
            [{"products": [dict(line, quantity=1 + i % 3)]} for i in range(n)]
        )
        client = account._emag_client()
        orders = list(client.read_orders(*_window(account)))
        env.flush_all()

        before, started = cr.sql_log_count, time.monotonic()
        for order in orders:
            env["emag.order"]._emag_import(account, order)
        env.flush_all()
        connector = (cr.sql_log_count - before, time.monotonic() - started)

        romania = env.ref("base.ro")
        before, started = cr.sql_log_count, time.monotonic()
        for i in range(n):
            address = {"street": f"Strada Exemplu {i}", "city": "Sector 1"}
            partner = env["res.partner"].create(
                {"name": f"Client {i}", "country_id": romania.id, **address}
            )
            invoice, delivery = env["res.partner"].create(
                [
                    {"parent_id": partner.id, "type": kind, **address}
                    for kind in ("invoice", "delivery")
                ]
            )
            sale = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "partner_invoice_id": invoice.id,
                    "partner_shipping_id": delivery.id,
                    "pricelist_id": account.pricelist_id.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1 + i % 3,
                                "price_unit": 100.0,
                                "tax_id": [Command.set(tax.ids)],
                            }
                        ),
                        Command.create(
                            {
                                "product_id": env.ref(
                                    "emag_connector.product_emag_shipping"
                                ).id,
                                "price_unit": 19.99,
                                "tax_id": [Command.set(tax.ids)],
                            }
                        ),
                    ],
                }
            )
            sale.action_confirm()
        env.flush_all()
        plain = (cr.sql_log_count - before, time.monotonic() - started)

        imported = env["emag.order"].search_count([("state", "=", "done")])
        print(f"{len(orders)} eMAG orders read, {imported} imported")
        for label, (queries, seconds) in (
            ("connector import", connector),
            ("plain ORM sale orders", plain),
        ):
            print(label)
            row("SQL queries per order", round(queries / n, 1))
            row("seconds per order", f"{seconds / n:.3f}")
        print("overhead of the connector")
        row("queries ratio", f"{connector[0] / plain[0]:.2f}")
        row("seconds ratio", f"{connector[1] / plain[1]:.2f}")
    return 0


def _window(account):
    from datetime import timedelta

    from odoo import fields

    now = fields.Datetime.now()
    return account._emag_local(now - timedelta(days=1)), account._emag_local(
        now + timedelta(minutes=5)
    )


if __name__ == "__main__":
    sys.exit(main())
