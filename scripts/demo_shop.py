"""What happens on eMAG's side while the demo runs: the offers published,
customers buying (a few hundred orders the first time, then one every few
seconds), and, the first time, a few orders shipped and returned."""

import time

import demo_setup
from demo_setup import in_odoo

#: orders shipped, and returned, by the first run
SHIPPED, RETURNED = 6, 3


class Shop:
    """The demo shop on eMAG (the sandbox) and in Odoo (the account
    ``account_id``); ``say`` prints a line of what happens."""

    def __init__(self, args, sandbox, account_id, say):
        self.args, self.sandbox, self.say = args, sandbox, say
        self.account_id = account_id
        self.error = None  # why the last order could not be placed
        self.first_run = not self.held()  # eMAG has no order yet
        self.burst = []
        self.ship_tried = False
        self.shipped = []  # [(eMAG order id, seller offer id)] to return
        self.returned = 0
        self.last_report = None

    def held(self):
        """How many orders eMAG holds."""
        return self.sandbox.control("stats")[1]["held"]["orders"]

    def figures(self):
        """What is in Odoo (``demo_setup.figures``)."""

        def read(env):
            return demo_setup.figures(env, env["emag.account"].browse(self.account_id))

        return in_odoo(self.args.db, read)

    def wait_for_offers(self, timeout=300):
        """Until the job runner has published every offer; then eMAG approves
        the documentation of the new products."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            figures = self.figures()
            done = figures["offers published"] + figures["offers in error"]
            if done >= figures["offers"]:
                break
            time.sleep(2)
        self.say(
            f"Offers published on eMAG: {figures['offers published']} of "
            f"{figures['offers']} ({figures['offers in error']} in error).",
        )
        _, answer = self.sandbox.control("approve", {})
        if answer["approved"]:
            self.say(
                f"eMAG approved the documentation of {len(answer['approved'])} "
                "new products (the documentation callback updates their offers).",
            )

    def place(self, count, days=0.0, fbe=0):
        """Customers buy ``count`` times; eMAG calls the connector for each."""
        body = {"count": count, "days": days, "fbe": fbe, "notify": True}
        status, answer = self.sandbox.control("shop", body)
        if status != 200:
            if answer.get("error") != self.error:  # said once
                self.error = answer.get("error")
                self.say(f"No order placed: {self.error}")
            return []
        self.error = None
        return answer["ids"]

    def start(self):
        """The first time, a few hundred orders over the last days. (Orders
        placed while the demo was stopped come with the connector's pull,
        every 5 minutes.)"""
        if self.first_run and self.args.orders:
            self.burst = self.place(self.args.orders, self.args.days, fbe=1)
            self.say(
                f"Customers placed {len(self.burst)} orders over the last "
                f"{self.args.days:g} days (B2C and B2B, lockers, vouchers, cash on "
                "delivery and card, one fulfilled by eMAG); eMAG calls the "
                "connector for each.",
            )

    def imported(self, figures):
        """Orders Odoo has, whether made sale orders or in exception."""
        return figures["orders"] + figures["orders in exception"]

    def step(self, figures):
        """Ship a few orders once the first ones are in, then return some."""
        if not self.first_run or self.returned >= RETURNED:
            return
        if not self.ship_tried and self.imported(figures) >= len(self.burst):
            self.ship_tried = True
            self.shipped = in_odoo(
                self.args.db,
                lambda env: demo_setup.ship(
                    env, env["emag.account"].browse(self.account_id), SHIPPED
                ),
            )
            self.say(
                f"The warehouse validated {len(self.shipped)} deliveries: the "
                "connector issues their AWBs on eMAG.",
            )
        for order_id, offer_id in list(self.shipped):
            status, _ = self.sandbox.control(
                "returns",
                {
                    "order_id": order_id,
                    "products": [{"product_id": offer_id, "quantity": 1}],
                    "observations": "Produsul nu mi se potriveste.",
                },
            )
            if status == 200:  # else: not finalized yet, tried again later
                self.shipped.remove((order_id, offer_id))
                self.returned += 1
                self.say(f"A customer returns a product of order {order_id}.")
                break  # one customer at a time

    def report(self, figures):
        """A line of figures, when they changed."""
        line = (
            f"orders {figures['orders']} in Odoo"
            + (
                f" ({figures['orders in exception']} in exception)"
                if figures["orders in exception"]
                else ""
            )
            + f", AWBs {figures['AWBs']}, returns {figures['returns']}"
        )
        if line != self.last_report:
            self.say(line)
            self.last_report = line

    def done(self, figures):
        """Whether --no-serve may stop: every order eMAG holds is in Odoo,
        and the first time, the returns too."""
        if self.imported(figures) < self.held():
            return False
        return not self.first_run or figures["returns"] >= RETURNED
