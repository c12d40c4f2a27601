"""eMAG order and return-request status rules (pure Python).

* Order status matrix, §5.3 (rows: actual status, columns: new status)::

                     1 New  2 In progr.  3 Prepared  4 Finalized  0 Canceled  5 Returned
      1 New          No     ACK only     No          No           No          No
      2 In progress  No     Yes          Yes         Yes          Yes         No
      3 Prepared     No     No           Yes         Yes          Yes         No
      4 Finalized    No     No           48h max     Yes          48h max     RT+5 days
      0 Canceled     No     48h max      48h max     48h max      Yes         No
      5 Returned     No     No           No          No           No          No

  (RT = return time allowed to customers, in days.) The 48 hours run from the
  finalization (row 4) or from the cancellation (row 0); RT + 5 days runs from
  the finalization. Window limits are inclusive ("48h max").

* Return request matrix, §7.2 (no time windows; status 1 Incomplete is "left
  out by design" and refused both ways)::

                      2 New  3 Ack.  4 Rejected  5 Canceled  6 Received  7 Finalized
      2 New           Yes    Yes     No          Yes         No          No
      3 Acknowledged  No     Yes     No          Yes         Yes         No
      4 Rejected      No     No      Yes         No          No          No
      5 Canceled      No     No      No          Yes         No          No
      6 Received      No     No      Yes         No          Yes         Yes
      7 Finalized     No     No      No          No          No          Yes
"""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = [
    "ATTACHMENT_TYPE_LABELS",
    "ORDER_STATUS_LABELS",
    "ORDER_STATUS_MATRIX",
    "ORDER_TYPE_LABELS",
    "PAYMENT_MODE_LABELS",
    "RMA_FINAL_STATUSES",
    "RMA_STATUS_LABELS",
    "RMA_STATUS_MATRIX",
    "RMA_STATUS_STAGE",
    "TransitionRefused",
    "check_order_transition",
    "check_rma_transition",
    "order_transition_allowed",
    "rma_transition_allowed",
]

# --------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------
ORDER_STATUS_CANCELED = 0
ORDER_STATUS_NEW = 1
ORDER_STATUS_IN_PROGRESS = 2
ORDER_STATUS_PREPARED = 3
ORDER_STATUS_FINALIZED = 4
ORDER_STATUS_RETURNED = 5
ORDER_STATUS_LABELS = {
    0: "Canceled",
    1: "New",
    2: "In progress",
    3: "Prepared",
    4: "Finalized",
    5: "Returned",
}

ORDER_TYPE_FBE = 2
ORDER_TYPE_SELLER = 3
ORDER_TYPE_LABELS = {2: "Fulfilled by eMAG (FBE)", 3: "Fulfilled by seller"}

PAYMENT_MODE_COD = 1
PAYMENT_MODE_BANK_TRANSFER = 2
PAYMENT_MODE_ONLINE_CARD = 3
PAYMENT_MODE_LABELS = {
    1: "Cash on delivery",
    2: "Bank transfer",
    3: "Online card payment",
}

RMA_STATUS_INCOMPLETE = 1
RMA_STATUS_NEW = 2
RMA_STATUS_ACKNOWLEDGED = 3
RMA_STATUS_REFUSED = 4
RMA_STATUS_CANCELED = 5
RMA_STATUS_RECEIVED = 6
RMA_STATUS_FINALIZED = 7
RMA_STATUS_LABELS = {
    1: "Incomplete",
    2: "New",
    3: "Acknowledged",
    4: "Rejected",
    5: "Canceled",
    6: "Received",
    7: "Finalized",
}

ATTACHMENT_TYPE_INVOICE = 1
ATTACHMENT_TYPE_WARRANTY = 3
ATTACHMENT_TYPE_USER_MANUAL = 4
ATTACHMENT_TYPE_USER_GUIDE = 8
ATTACHMENT_TYPE_AWB = 10
ATTACHMENT_TYPE_PROFORMA = 11
ATTACHMENT_TYPE_LABELS = {
    1: "Invoice",
    3: "Warranty",
    4: "User manual",
    8: "User guide",
    10: "AWB",
    11: "Proforma",
}

WINDOW_48H = timedelta(hours=48)
RETURN_GRACE = timedelta(days=5)

# rule codes used in the matrices
NO = "no"
YES = "yes"
ACK = "ack"  # by order/acknowledge only
FIN_48H = "fin48"  # within 48 h of finalization
CANCEL_48H = "cancel48"  # within 48 h of cancellation
RETURN_WINDOW = "rt5"  # within RT + 5 days of finalization

_ORDER_ROWS = {
    # new status:  1    2    3         4           0           5
    1: (NO, ACK, NO, NO, NO, NO),
    2: (NO, YES, YES, YES, YES, NO),
    3: (NO, NO, YES, YES, YES, NO),
    4: (NO, NO, FIN_48H, YES, FIN_48H, RETURN_WINDOW),
    0: (NO, CANCEL_48H, CANCEL_48H, CANCEL_48H, YES, NO),
    5: (NO, NO, NO, NO, NO, NO),
}
_ORDER_COLUMNS = (1, 2, 3, 4, 0, 5)

#: {(current, new): rule} for every order status pair
ORDER_STATUS_MATRIX: dict[tuple[int, int], str] = {
    (cur, new): rule
    for cur, row in _ORDER_ROWS.items()
    for new, rule in zip(_ORDER_COLUMNS, row, strict=True)
}

_RMA_ROWS = {
    # new status: 2    3    4    5    6    7
    2: (YES, YES, NO, YES, NO, NO),
    3: (NO, YES, NO, YES, YES, NO),
    4: (NO, NO, YES, NO, NO, NO),
    5: (NO, NO, NO, YES, NO, NO),
    6: (NO, NO, YES, NO, YES, YES),
    7: (NO, NO, NO, NO, NO, YES),
}
_RMA_COLUMNS = (2, 3, 4, 5, 6, 7)

#: {(current, new): True/False} for return-request statuses 2..7
RMA_STATUS_MATRIX: dict[tuple[int, int], bool] = {
    (cur, new): rule == YES
    for cur, row in _RMA_ROWS.items()
    for new, rule in zip(_RMA_COLUMNS, row, strict=True)
}

#: how far along its flow a return request is in each status: a read that
#: shows an earlier stage than the one known is older data (§7.2)
RMA_STATUS_STAGE = {1: 0, 2: 1, 3: 2, 6: 3, 4: 4, 5: 4, 7: 4}
#: statuses after which nothing changes any more
RMA_FINAL_STATUSES = (4, 5, 7)


class TransitionRefused(ValueError):
    """A status change that eMAG's status matrix does not allow."""


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def _label(status: int) -> str:
    return ORDER_STATUS_LABELS.get(status, str(status))


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _now_for(reference: datetime | None, now: datetime | None) -> datetime:
    if now is None:
        tz = reference.tzinfo if reference is not None else None
        now = datetime.now(tz) if tz is not None else datetime.now()
    if reference is not None and (reference.tzinfo is None) != (now.tzinfo is None):
        raise ValueError(
            "cannot compare a timezone-aware and a naive datetime: pass 'now' and "
            "the order timestamps in the same form"
        )
    return now


def _check_known(status: int, labels: dict[int, str], what: str) -> None:
    if status not in labels:
        known = ", ".join(f"{k} {v}" for k, v in labels.items())
        raise TransitionRefused(f"Unknown {what} status {status!r} (known: {known}).")


# --------------------------------------------------------------------------
# orders (§5.3)
# --------------------------------------------------------------------------
def check_order_transition(
    current: int,
    new: int,
    *,
    finalized_at: datetime | None = None,
    cancelled_at: datetime | None = None,
    return_days: int | None = None,
    now: datetime | None = None,
    via_acknowledge: bool = False,
) -> None:
    """Raise :class:`TransitionRefused` unless eMAG allows ``current -> new``.

    ``finalized_at`` is needed for 4 -> 3, 4 -> 0 and 4 -> 5 (with
    ``return_days``, the customer return time RT in days); ``cancelled_at`` for
    0 -> 2/3/4. ``now`` defaults to the current time (in the timezone of the
    reference timestamp when it is aware). 1 -> 2 is allowed only with
    ``via_acknowledge=True`` (the order/acknowledge route, not order/save).
    """
    _check_known(current, ORDER_STATUS_LABELS, "order")
    _check_known(new, ORDER_STATUS_LABELS, "order")
    rule = ORDER_STATUS_MATRIX[(current, new)]
    cur, nxt = _label(current), _label(new)

    if rule == YES:
        return
    if rule == ACK:
        if via_acknowledge:
            return
        raise TransitionRefused(
            "An order goes from New to In progress only by acknowledging it "
            "(order/acknowledge), not by saving it with status In progress."
        )
    if rule == NO:
        if current == ORDER_STATUS_RETURNED:
            raise TransitionRefused(
                f"A Returned order is final: it cannot be changed to {nxt}."
            )
        if current == ORDER_STATUS_NEW:
            raise TransitionRefused(
                f"A New order cannot be changed to {nxt}: the only change allowed is "
                "to In progress, by acknowledging the order (order/acknowledge)."
            )
        raise TransitionRefused(f"An order in status {cur} cannot be changed to {nxt}.")

    if rule == FIN_48H:
        if finalized_at is None:
            raise TransitionRefused(
                f"A Finalized order can go back to {nxt} only within 48 hours of "
                "finalization, and the finalization time is unknown."
            )
        moment = _now_for(finalized_at, now)
        if moment - finalized_at > WINDOW_48H:
            verb = (
                "go back to Prepared" if new == ORDER_STATUS_PREPARED else "be canceled"
            )
            raise TransitionRefused(
                f"An order finalized more than 48 hours ago cannot {verb} "
                f"(finalized {_fmt(finalized_at)}, now {_fmt(moment)})."
            )
        return

    if rule == CANCEL_48H:
        if cancelled_at is None:
            raise TransitionRefused(
                f"A Canceled order can be reactivated to {nxt} only within 48 hours "
                "of cancellation, and the cancellation time is unknown."
            )
        moment = _now_for(cancelled_at, now)
        if moment - cancelled_at > WINDOW_48H:
            raise TransitionRefused(
                f"An order canceled more than 48 hours ago cannot be reactivated to "
                f"{nxt} (canceled {_fmt(cancelled_at)}, now {_fmt(moment)})."
            )
        return

    # RETURN_WINDOW: 4 -> 5
    if finalized_at is None or return_days is None:
        raise TransitionRefused(
            "A Finalized order can be set to Returned only within the return time "
            "(RT) + 5 days of finalization; the finalization time or the return "
            "time is unknown."
        )
    moment = _now_for(finalized_at, now)
    limit = timedelta(days=return_days) + RETURN_GRACE
    if moment - finalized_at > limit:
        raise TransitionRefused(
            f"An order finalized more than {return_days} + 5 days ago (return time "
            f"{return_days} days) cannot be set to Returned "
            f"(finalized {_fmt(finalized_at)}, now {_fmt(moment)})."
        )


def order_transition_allowed(current: int, new: int, **kwargs) -> bool:
    """Boolean form of :func:`check_order_transition` (same keyword args)."""
    try:
        check_order_transition(current, new, **kwargs)
    except TransitionRefused:
        return False
    return True


# --------------------------------------------------------------------------
# return requests (§7.2)
# --------------------------------------------------------------------------
def check_rma_transition(current: int, new: int) -> None:
    """Raise :class:`TransitionRefused` unless eMAG allows the return-request
    status change ``current -> new`` (§7.2; no time windows are documented)."""
    _check_known(current, RMA_STATUS_LABELS, "return request")
    _check_known(new, RMA_STATUS_LABELS, "return request")
    cur = RMA_STATUS_LABELS[current]
    nxt = RMA_STATUS_LABELS[new]
    if RMA_STATUS_INCOMPLETE in (current, new):
        raise TransitionRefused(
            f"Return request status 1 (Incomplete) is not part of the seller status "
            f"matrix: a return request cannot be changed from {cur} to {nxt}."
        )
    if not RMA_STATUS_MATRIX[(current, new)]:
        raise TransitionRefused(
            f"A return request in status {cur} cannot be changed to {nxt}."
        )


def rma_transition_allowed(current: int, new: int) -> bool:
    try:
        check_rma_transition(current, new)
    except TransitionRefused:
        return False
    return True
