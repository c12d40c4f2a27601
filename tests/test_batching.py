from datetime import datetime, timedelta

import pytest

from emag_connector.emag_api.batching import (
    OversizedEntity,
    count_elements,
    date_windows,
    save_batches,
)


def test_count_elements_counts_flattened_leaves():
    offer = {
        "id": 1,
        "sale_price": 10.5,
        "stock": [{"warehouse_id": 1, "value": 3}],
        "handling_time": [],
        "characteristics": [{"id": 5, "value": "Red"}, {"id": 6, "value": "XL"}],
    }
    # id, sale_price, 2 stock leaves, 1 for the empty list, 4 characteristic leaves
    assert count_elements(offer) == 9
    assert count_elements({"data": [offer, offer]}) == 18


def test_batches_never_exceed_fifty_entities():
    batches = save_batches([{"id": i, "stock": 1} for i in range(120)])
    assert [len(b) for b in batches] == [50, 50, 20]
    assert [e["id"] for b in batches for e in b] == list(range(120))


def test_batches_never_exceed_4000_elements():
    big = [
        {"id": i, "characteristics": [{"id": k} for k in range(199)]} for i in range(50)
    ]
    batches = save_batches(big)
    assert all(count_elements(b) <= 4000 for b in batches)
    assert sum(len(b) for b in batches) == 50
    assert [len(b) for b in batches] == [20, 20, 10]


def test_an_entity_over_4000_elements_is_refused_before_sending():
    huge = {"id": 7, "ean": [str(10**8 + i) for i in range(4000)]}
    with pytest.raises(OversizedEntity, match="id 7 has 4001 input elements"):
        save_batches([huge])


def test_date_windows_split_long_periods_into_28_days():
    start = datetime(2026, 1, 1)
    windows = date_windows(start, start + timedelta(days=70))
    assert [(b - a).days for a, b in windows] == [28, 28, 14]
    assert windows[0][0] == start and windows[-1][1] == start + timedelta(days=70)
    assert all(windows[i][1] == windows[i + 1][0] for i in range(len(windows) - 1))
    assert date_windows(start, start) == []
