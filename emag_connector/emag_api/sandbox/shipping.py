"""Routes of shipping (§6): AWBs, labels, localities, couriers, addresses."""

from __future__ import annotations

import base64
import copy
from typing import Any

from .labels import awb_pdf, awb_zpl
from .protocol import Request, Response, count_result, envelope, error, paginate
from .validation import (
    as_int,
    parse_date,
    parse_datetime,
    validate_awb_fields,
    validate_party,
)

PAPER_FORMATS = ("A4", "A5", "A6", "ZPL")


class ShippingRoutes:
    """Mixin of EmagSandbox: awb/*, locality/*, courier_accounts, addresses."""

    # ------------------------------------------------------------ awb/save

    def _awb_save(self, req: Request) -> Response:
        """Issues AWBs.  Response ``results`` (the doc does not state it; this is
        the nested shape seen in integrations, with every id the client needs)::

            {"reservation_id": 4528511, "courier_id": 5186,
             "courier_name": "Sameday",
             "awb": [{"emag_id": 9755945, "awb_number": "2EMG00000001",
                      "awb_barcode": "2EMG00000001001"}]}

        A dict in ``data`` gives a dict in ``results``; a list gives a list.
        """
        single = isinstance(req.data, dict)
        entities = self._entities(req)
        if isinstance(entities, Response):
            return entities
        messages: list[str] = []
        results = []
        for index, awb in enumerate(entities):
            problems, target, account = self._check_awb(awb, index)
            if problems:
                messages.extend(problems)
                continue
            results.append(self._issue_awb(awb, target, account))
        if messages:
            return error(
                messages, results=results[0] if single and results else results
            )
        return envelope(results[0] if single else results)

    def _check_awb(
        self, awb: Any, index: int
    ) -> tuple[list[str], dict | None, dict | None]:
        if not isinstance(awb, dict):
            return [f"AWB #{index + 1}: must be an object"], None, None
        is_rma = bool(awb.get("rma_id"))
        ref = awb.get("rma_id") if is_rma else awb.get("order_id")
        label = f"AWB for {'return' if is_rma else 'order'} {ref}"
        problems = validate_awb_fields(awb)
        valid_locality = self._locality_exists
        for role in ("sender", "receiver"):
            problems.extend(
                validate_party(awb.get(role), role, valid_locality=valid_locality)
            )
        address_role = "receiver" if is_rma else "sender"
        address_id = (awb.get(address_role) or {}).get("address_id")
        if address_id and address_id not in {a["address_id"] for a in self.addresses}:
            problems.append(
                f"'{address_role}.address_id' {address_id} is not your address"
            )
        if problems:
            return [f"{label}: {p}" for p in problems], None, None
        target = self._awb_target(awb, is_rma)
        if isinstance(target, str):
            return [f"{label}: {target}"], None, None
        account = self._awb_account(awb, target, is_rma)
        if isinstance(account, str):
            return [f"{label}: {account}"], None, None
        return [], target, account

    def _awb_target(self, awb: dict, is_rma: bool) -> dict | str:
        if is_rma:
            rma = self.rmas.get(as_int(awb["rma_id"]))
            if rma is None:
                return "the return request does not exist"
            if "order_id" in awb and as_int(awb["order_id"]) != as_int(rma["order_id"]):
                return "'order_id' is not the order of the return request"
            if awb.get("pickup_and_return"):
                return "'pickup_and_return' must be 0 for an AWB belonging to a return"
            if awb.get("dropoff_locker"):
                return "'dropoff_locker' is used only for orders"
            # The format of "date" is not stated: YYYY-MM-DD (or with a time).
            moment = parse_datetime(awb.get("date"))
            day = parse_date(awb.get("date")) or (moment.date() if moment else None)
            if day is None:
                return "'date' (YYYY-MM-DD) is required for AWBs belonging to returns"
            if day <= self.now().date():
                return "'date' must be at least the next day"
            return rma
        order = self.orders.get(as_int(awb["order_id"]))
        if order is None:
            return "the order does not exist"
        if as_int(order.get("type")) == 2:
            return "orders fulfilled by eMAG (type 2) cannot get an AWB from the seller"
        status = as_int(order.get("status"))
        if status == 0:
            return "the order is canceled: no AWB can be issued"
        if status == 1:
            # Not stated in the doc; an unacknowledged order may still be edited or
            # canceled by eMAG, so the sandbox asks for the acknowledge first.
            return "the order must be acknowledged before issuing an AWB"
        if status == 5:
            return "the order is returned: no AWB can be issued"
        return order

    def _awb_account(self, awb: dict, target: dict, is_rma: bool) -> dict | str:
        wanted_types = {1, 3} if is_rma else {2, 3}
        accounts = {a["account_id"]: a for a in self.courier_accounts}
        enforced = None if is_rma else target.get("enforced_vendor_courier_accounts")
        if enforced is not None and not enforced:
            return (
                "enforced_vendor_courier_accounts is an empty list: this order's AWB "
                "cannot be issued from the Marketplace"
            )
        account_id = as_int(awb.get("courier_account_id"))
        if account_id is None:
            if enforced:
                account_id = as_int(enforced[0])
            else:
                candidates = [
                    a["account_id"]
                    for a in self.courier_accounts
                    if a.get("status") == 1
                    and a.get("courier_account_type") in wanted_types
                ]
                if not candidates:
                    return "no active courier account can be used"
                account_id = candidates[0]
        account = accounts.get(account_id)
        if account is None or account.get("status") != 1:
            return f"'courier_account_id' {account_id} is not an active courier account"
        if account.get("courier_account_type") not in wanted_types:
            return f"'courier_account_id' {account_id} cannot be used for this shipment"
        if enforced and account_id not in {as_int(a) for a in enforced}:
            return (
                f"'courier_account_id' {account_id} is not allowed: use one of "
                f"{enforced} (enforced_vendor_courier_accounts)"
            )
        return account

    def _issue_awb(self, awb: dict, target: dict, account: dict) -> dict:
        emag_id = self._next_id("awb_emag_id")
        reservation_id = self._next_id("awb_reservation_id")
        number = f"2EMG{self._next_id('awb_number'):08d}"
        barcode = f"{number}001"
        is_rma = bool(awb.get("rma_id"))
        record = copy.deepcopy(awb)
        record.update(
            {
                "emag_id": emag_id,
                "reservation_id": reservation_id,
                "order_id": target["order_id"] if is_rma else target["id"],
                "rma_id": target["emag_id"] if is_rma else awb.get("rma_id"),
                "type": as_int(target.get("type")) or 3,
                "weight": awb.get("weight", 1),
                "awb": [
                    {"emag_id": emag_id, "awb_number": number, "awb_barcode": barcode}
                ],
                "status": [
                    {
                        "code": "NEW",
                        "name": "Registered",
                        "description": "AWB registered",
                    }
                ],
                "courier": [
                    {
                        "courier_account_id": account["account_id"],
                        "courier_name": account["courier_name"],
                    }
                ],
                "created": self.now_str(),
            }
        )
        if is_rma:
            record["awb_type"] = 2  # pickup from customer
            target.setdefault("awbs", []).append({"reservation_id": reservation_id})
        elif as_int(target.get("status")) in (2, 3):
            # "Order status finalized will be set automatically when issuing the
            # first AWB for that order" (§5.3).
            self._finalize(target)
        self.awbs[emag_id] = record
        return {
            "reservation_id": reservation_id,
            "courier_id": account["account_id"],
            "courier_name": account["courier_name"],
            "awb": copy.deepcopy(record["awb"]),
        }

    # ------------------------------------------------------------- awb/read

    def _awb_read(self, req: Request) -> Response:
        data = req.data if isinstance(req.data, dict) else {}
        if "emag_id" in data:
            record = self.awbs.get(as_int(data["emag_id"]))
        elif "reservation_id" in data:
            wanted = as_int(data["reservation_id"])
            record = next(
                (a for a in self.awbs.values() if a["reservation_id"] == wanted), None
            )
        else:
            return error("'emag_id' or 'reservation_id' is required")
        if record is None:
            return error("The AWB does not exist")
        return envelope([copy.deepcopy(record)])

    def _awb_params(self, req: Request) -> dict:
        params = {k: v[0] for k, v in req.query.items() if v}
        if isinstance(req.data, dict):
            params.update({k: str(v) for k, v in req.data.items()})
        return params

    def _awb_read_pdf(self, req: Request) -> Response:
        params = self._awb_params(req)
        record = self.awbs.get(as_int(params.get("emag_id")))
        if record is None:
            return error("'emag_id' is required and must be an AWB issued via API")
        paper = params.get("awb_format", "A4").upper()
        if paper not in PAPER_FORMATS:
            return error("'awb_format' must be one of A4, A5, A6, ZPL")
        number = record["awb"][0]["awb_number"]
        barcode = record["awb"][0]["awb_barcode"]
        if paper == "ZPL":
            return self._zpl_response(number, barcode)
        return Response(
            raw=awb_pdf(number, barcode, paper), content_type="application/pdf"
        )

    def _awb_read_zpl(self, req: Request) -> Response:
        params = self._awb_params(req)
        record = self.awbs.get(as_int(params.get("emag_id")))
        if record is None:
            return error("'emag_id' is required and must be an AWB issued via API")
        return self._zpl_response(
            record["awb"][0]["awb_number"], record["awb"][0]["awb_barcode"]
        )

    def _zpl_response(self, number: str, barcode: str) -> Response:
        # §6.4: "this request will return a base64 encoded content of the ZPL
        # format".  zpl_base64=False answers the plain ZPL text instead.
        text = awb_zpl(number, barcode).encode("ascii")
        if self.zpl_base64:
            text = base64.b64encode(text)
        return Response(raw=text, content_type="text/plain; charset=utf-8")

    # ---------------------------------------------------- reference reads

    def _locality_exists(self, locality_id: int) -> bool:
        return any(loc["emag_id"] == locality_id for loc in self.localities)

    def _filtered_localities(self, data: Any) -> list[dict]:
        data = data if isinstance(data, dict) else {}
        rows = self.localities
        if "emag_id" in data:
            rows = [r for r in rows if r["emag_id"] == as_int(data["emag_id"])]
        if data.get("name"):
            name = str(data["name"]).casefold()
            rows = [
                r
                for r in rows
                if name
                in (str(r["name"]).casefold(), str(r.get("name_latin")).casefold())
            ]
        if data.get("region2"):
            region = str(data["region2"]).casefold()
            rows = [
                r
                for r in rows
                if region
                in (
                    str(r.get("region2")).casefold(),
                    str(r.get("region2_latin")).casefold(),
                )
            ]
        # "When not using the country filter the API will respond only with
        # localities from the platform country."
        country = str(data.get("country_code") or self.country_code).upper()
        rows = [r for r in rows if str(r.get("country_code")).upper() == country]
        if data.get("modified"):
            since = parse_datetime(data["modified"])
            if since is not None:
                rows = [
                    r
                    for r in rows
                    if (parse_datetime(r.get("modified")) or since) > since
                ]
        return copy.deepcopy(rows)

    def _locality_read(self, req: Request) -> Response:
        return envelope(paginate(self._filtered_localities(req.data), req.data))

    def _locality_count(self, req: Request) -> Response:
        return envelope(
            count_result(len(self._filtered_localities(req.data)), req.data)
        )

    def _courier_accounts_read(self, req: Request) -> Response:
        return envelope(copy.deepcopy(self.courier_accounts))

    def _addresses_read(self, req: Request) -> Response:
        data = req.data if isinstance(req.data, dict) else {}
        rows = self.addresses
        if "address_type_id" in data:
            rows = [
                r
                for r in rows
                if r["address_type_id"] == as_int(data["address_type_id"])
            ]
        return envelope(copy.deepcopy(paginate(rows, data)))
