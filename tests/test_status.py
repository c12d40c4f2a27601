"""Every cell of the order (§5.3) and return-request (§7.2) status matrices,
and each time window boundary."""

from datetime import datetime, timedelta, timezone

import pytest

from emag_connector.emag_api.status import (
    ATTACHMENT_TYPE_LABELS,
    ORDER_STATUS_LABELS,
    ORDER_TYPE_LABELS,
    PAYMENT_MODE_LABELS,
    RMA_STATUS_LABELS,
    TransitionRefused,
    check_order_transition,
    check_rma_transition,
    order_transition_allowed,
    rma_transition_allowed,
)

FIN = datetime(2026, 1, 1, 10, 0)
NOW = FIN + timedelta(hours=1)
SECOND = timedelta(seconds=1)

# §5.3 as printed: rows = actual status, columns = new status 1, 2, 3, 4, 0, 5
# Y = yes, N = no, A = by ACK only, F = 48 h after finalization,
# C = 48 h after cancellation, R = RT + 5 days after finalization
ORDER_TABLE = {
    1: "NANNNN",
    2: "NYYYYN",
    3: "NNYYYN",
    4: "NNFYFR",
    0: "NCCCYN",
    5: "NNNNNN",
}
COLUMNS = (1, 2, 3, 4, 0, 5)
ORDER_CELLS = [
    (cur, new, code)
    for cur, row in ORDER_TABLE.items()
    for new, code in zip(COLUMNS, row, strict=True)
]
TIMES = {"finalized_at": FIN, "cancelled_at": FIN, "return_days": 14, "now": NOW}


def test_labels():
    assert ORDER_STATUS_LABELS == {
        0: "Canceled",
        1: "New",
        2: "In progress",
        3: "Prepared",
        4: "Finalized",
        5: "Returned",
    }
    assert set(ORDER_TYPE_LABELS) == {2, 3}
    assert set(PAYMENT_MODE_LABELS) == {1, 2, 3}
    assert set(RMA_STATUS_LABELS) == set(range(1, 8))
    assert set(ATTACHMENT_TYPE_LABELS) == {1, 3, 4, 8, 10, 11}


@pytest.mark.parametrize(("current", "new", "code"), ORDER_CELLS)
def test_order_matrix_cell(current, new, code):
    """Within every time window (1 h after the event) only No / ACK refuse."""
    allowed = order_transition_allowed(current, new, **TIMES)
    assert allowed is (code in "YFCR"), (current, new, code)
    if code in "NA":
        with pytest.raises(TransitionRefused):
            check_order_transition(current, new, **TIMES)
    else:
        assert check_order_transition(current, new, **TIMES) is None


@pytest.mark.parametrize(("current", "new", "code"), ORDER_CELLS)
def test_order_matrix_cell_outside_windows(current, new, code):
    """Long after the events, only the plain Yes cells remain allowed."""
    late = {**TIMES, "now": FIN + timedelta(days=365)}
    assert order_transition_allowed(current, new, **late) is (code == "Y")


def test_ack_only_message_and_acknowledge_flag():
    with pytest.raises(TransitionRefused, match="only by acknowledging it"):
        check_order_transition(1, 2)
    check_order_transition(1, 2, via_acknowledge=True)
    # the flag does not open any other cell
    assert not order_transition_allowed(1, 3, via_acknowledge=True)


def test_refusal_messages_name_the_statuses():
    with pytest.raises(TransitionRefused) as exc:
        check_order_transition(3, 2)
    assert (
        str(exc.value)
        == "An order in status Prepared cannot be changed to In progress."
    )
    with pytest.raises(TransitionRefused) as exc:
        check_order_transition(5, 4)
    assert (
        str(exc.value)
        == "A Returned order is final: it cannot be changed to Finalized."
    )
    with pytest.raises(TransitionRefused) as exc:
        check_order_transition(1, 0)
    assert "A New order cannot be changed to Canceled" in str(exc.value)
    assert "acknowledging" in str(exc.value)
    with pytest.raises(TransitionRefused, match="Unknown order status 6"):
        check_order_transition(6, 1)
    with pytest.raises(TransitionRefused, match="Unknown order status 9"):
        check_order_transition(2, 9)


# --- 48 h after finalization: 4 -> 3 and 4 -> 0 ----------------------------
@pytest.mark.parametrize("new", [3, 0])
def test_finalized_48h_boundary(new):
    edge = FIN + timedelta(hours=48)
    check_order_transition(4, new, finalized_at=FIN, now=edge - SECOND)
    check_order_transition(4, new, finalized_at=FIN, now=edge)  # "48h max"
    assert not order_transition_allowed(4, new, finalized_at=FIN, now=edge + SECOND)


def test_finalized_48h_message():
    with pytest.raises(TransitionRefused) as exc:
        check_order_transition(4, 3, finalized_at=FIN, now=datetime(2026, 1, 3, 11, 0))
    assert str(exc.value) == (
        "An order finalized more than 48 hours ago cannot go back to Prepared "
        "(finalized 2026-01-01 10:00, now 2026-01-03 11:00)."
    )
    with pytest.raises(TransitionRefused) as exc:
        check_order_transition(4, 0, finalized_at=FIN, now=datetime(2026, 1, 3, 11, 0))
    assert str(exc.value) == (
        "An order finalized more than 48 hours ago cannot be canceled "
        "(finalized 2026-01-01 10:00, now 2026-01-03 11:00)."
    )


@pytest.mark.parametrize("new", [3, 0, 5])
def test_finalized_without_timestamp_is_refused(new):
    with pytest.raises(TransitionRefused, match="unknown"):
        check_order_transition(4, new, return_days=14, now=NOW)


# --- 48 h after cancellation: 0 -> 2/3/4 ------------------------------------
@pytest.mark.parametrize("new", [2, 3, 4])
def test_cancelled_48h_boundary(new):
    edge = FIN + timedelta(hours=48)
    check_order_transition(0, new, cancelled_at=FIN, now=edge - SECOND)
    check_order_transition(0, new, cancelled_at=FIN, now=edge)
    with pytest.raises(TransitionRefused) as exc:
        check_order_transition(0, new, cancelled_at=FIN, now=edge + SECOND)
    assert "An order canceled more than 48 hours ago cannot be reactivated to" in str(
        exc.value
    )
    assert ORDER_STATUS_LABELS[new] in str(exc.value)
    assert "(canceled 2026-01-01 10:00, now 2026-01-03 10:00)" in str(exc.value)


@pytest.mark.parametrize("new", [2, 3, 4])
def test_cancelled_without_timestamp_is_refused(new):
    with pytest.raises(TransitionRefused, match="cancellation time is unknown"):
        check_order_transition(0, new, now=NOW)


# --- RT + 5 days after finalization: 4 -> 5 ---------------------------------
@pytest.mark.parametrize("return_days", [0, 14, 30])
def test_return_window_boundary(return_days):
    edge = FIN + timedelta(days=return_days + 5)
    kw = {"finalized_at": FIN, "return_days": return_days}
    check_order_transition(4, 5, now=edge - SECOND, **kw)
    check_order_transition(4, 5, now=edge, **kw)
    with pytest.raises(TransitionRefused) as exc:
        check_order_transition(4, 5, now=edge + SECOND, **kw)
    assert f"more than {return_days} + 5 days ago" in str(exc.value)
    assert "cannot be set to Returned" in str(exc.value)


def test_return_window_needs_return_days():
    with pytest.raises(TransitionRefused, match="return time is unknown"):
        check_order_transition(4, 5, finalized_at=FIN, now=NOW)


def test_aware_datetimes_and_default_now():
    fin = datetime.now(timezone.utc) - timedelta(hours=1)
    check_order_transition(4, 3, finalized_at=fin)  # now defaults to UTC now
    old = datetime.now(timezone.utc) - timedelta(hours=49)
    assert not order_transition_allowed(4, 3, finalized_at=old)
    with pytest.raises(ValueError, match="timezone-aware and a naive"):
        check_order_transition(4, 3, finalized_at=fin, now=datetime(2026, 1, 1))


# --- return requests (§7.2) ---------------------------------------------------
# rows = actual status, columns = new status 2..7
RMA_TABLE = {
    2: "YYNYNN",
    3: "NYNYYN",
    4: "NNYNNN",
    5: "NNNYNN",
    6: "NNYNYY",
    7: "NNNNNY",
}
RMA_CELLS = [
    (cur, new, code == "Y")
    for cur, row in RMA_TABLE.items()
    for new, code in zip(range(2, 8), row, strict=True)
]


@pytest.mark.parametrize(("current", "new", "allowed"), RMA_CELLS)
def test_rma_matrix_cell(current, new, allowed):
    assert rma_transition_allowed(current, new) is allowed
    if allowed:
        assert check_rma_transition(current, new) is None
    else:
        with pytest.raises(TransitionRefused) as exc:
            check_rma_transition(current, new)
        assert str(exc.value) == (
            f"A return request in status {RMA_STATUS_LABELS[current]} cannot be "
            f"changed to {RMA_STATUS_LABELS[new]}."
        )


@pytest.mark.parametrize("other", range(1, 8))
def test_rma_incomplete_is_out_of_the_matrix(other):
    assert not rma_transition_allowed(1, other)
    assert not rma_transition_allowed(other, 1)
    with pytest.raises(
        TransitionRefused, match="status 1 \\(Incomplete\\) is not part"
    ):
        check_rma_transition(other, 1)


@pytest.mark.parametrize(("current", "new"), [(0, 2), (2, 8)])
def test_rma_unknown_status(current, new):
    with pytest.raises(TransitionRefused, match="Unknown return request status"):
        check_rma_transition(current, new)
