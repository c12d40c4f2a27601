import logging
import re

from odoo import http
from odoo.http import request

from ..emag_api.calllog import mask_secrets

_logger = logging.getLogger(__name__)

#: eMAG ids are positive integers, kept in PostgreSQL integer columns
MAX_ID = 2**31 - 1


class HideUrlTokens(logging.Filter):
    """Odoo's access log (the werkzeug logger) prints each URL requested: the
    secret tokens of eMAG's callback URLs and invoice URLs become ***."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


_werkzeug_logger = logging.getLogger("werkzeug")
if not any(isinstance(f, HideUrlTokens) for f in _werkzeug_logger.filters):
    _werkzeug_logger.addFilter(HideUrlTokens())


class EmagCallbackController(http.Controller):
    """eMAG's callbacks (1.6): a GET to the URL entered in the eMAG Marketplace
    interface, with the id of what changed. The URL carries the account's
    secret token. A callback is only a wake-up: what it names is re-read from
    eMAG in a job, never taken from the request."""

    @http.route(
        "/emag/callback/<string:token>/<string:kind>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        readonly=False,
        save_session=False,
    )
    def emag_callback(self, token, kind, **params):
        account = request.env["emag.account"].sudo()._emag_by_token(token)
        handler = getattr(self, f"_emag_callback_{kind}", None)
        if not account or handler is None:
            raise request.not_found()
        handler(account, params)
        return request.make_response("OK", headers=[("Content-Type", "text/plain")])

    def _emag_callback_order(self, account, params):
        """New order (1.6): import it (the job reads it from eMAG)."""
        order_id = self._emag_id(params, "order_id")
        if order_id:
            request.env["emag.order"]._emag_enqueue_import(account, order_id=order_id)

    _emag_callback_cancellation = _emag_callback_order

    def _emag_callback_return(self, account, params):
        """New return & status change (1.6): read the request in a job. The
        parameter's name is not documented: rma_id, emag_id or id; without
        one, the account's returns are read."""
        ids = (self._emag_id(params, key) for key in ("rma_id", "emag_id", "id"))
        rma_id = next(filter(None, ids), 0)
        if rma_id:
            request.env["emag.rma"]._emag_enqueue_import(account, emag_id=rma_id)
        elif not any(params.get(key) for key in ("rma_id", "emag_id", "id")):
            account.action_pull_returns()

    @staticmethod
    def _emag_id(params, key):
        """The id a callback names, or 0 when it cannot be an eMAG id (not a
        number, negative, zero, too large): such a wake-up costs no job and
        no call to eMAG."""
        text = str(params.get(key) or "").strip()
        if not re.fullmatch(r"[0-9]{1,10}", text):
            return 0
        value = int(text)
        return value if value <= MAX_ID else 0

    def _emag_callback_awb(self, account, params):
        """AWB status change (1.6): read the AWB's status. The parameter's
        name is not documented: the AWB's eMAG id under awb_id, emag_id or id."""
        ids = (self._emag_id(params, key) for key in ("awb_id", "emag_id", "id"))
        awb_id = next(filter(None, ids), 0)
        awbs = (
            request.env["emag.awb"]
            .sudo()
            .search([("account_id", "=", account.id), ("emag_id", "=", awb_id)])
        )
        awbs._emag_enqueue_status()

    def _emag_callback_documentation(self, account, params):
        """Approved documentation: the offer got its PNK; read it back."""
        offer_id = self._emag_id(params, "product_id")
        offers = (
            request.env["emag.offer"]
            .sudo()
            .search([("account_id", "=", account.id), ("emag_offer_id", "=", offer_id)])
        )
        for offer in offers:
            offer.with_delay(
                identity_key=f"emag-readback-{offer.id}",
            )._job_readback()
        _logger.info(
            "eMAG documentation callback for offer %s of %s", offer_id, account.name
        )
