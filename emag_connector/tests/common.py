from odoo.tests.common import TransactionCase

from ..emag_api.sandbox import EmagSandbox


class EmagSandboxCase(TransactionCase):
    """An eMAG sandbox served on a localhost port, and an account pointing at it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = EmagSandbox(username="seller", password="secret")
        cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.account = cls.env["emag.account"].create(
            {
                "name": "eMAG sandbox",
                "platform": "custom",
                "api_url": cls.sandbox.base_url,
                "username": "seller",
                "password": "secret",
            }
        )

    def setUp(self):
        super().setUp()
        self.sandbox.reset_log()
        self.sandbox.clear_faults()
        self.sandbox.allowed_ips = None
