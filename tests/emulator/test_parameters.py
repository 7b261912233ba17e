"""The cancel parameters as the emulator reads them, over many generated inputs."""

import string
from decimal import Decimal

import pytest
from binance_orderlist_emulator._parameters import CancelParameters, is_legal_symbol, parse_cancel_parameters
from binance_orderlist_emulator._rejections import BinanceRejection
from hypothesis import given
from hypothesis import strategies as st

from .by_hand import encoded

CLIENT_ID_ALPHABET = string.ascii_letters + string.digits + "._:/-"
client_order_ids = st.text(alphabet=CLIENT_ID_ALPHABET, min_size=1, max_size=36)
recv_windows = st.decimals(min_value=Decimal("0.001"), max_value=60000, places=3)


def parse(*, newer: bool = True, **params: object) -> CancelParameters:
    return parse_cancel_parameters(encoded(list(params.items())).encode(), b"", decimal_recv_window=newer)


def code_of(*, newer: bool = True, **params: object) -> int:
    with pytest.raises(BinanceRejection) as raised:
        parse(newer=newer, **params)
    return raised.value.code


@given(list_client_order_id=client_order_ids, new_client_order_id=client_order_ids)
def test_any_valid_client_ids_are_read_back_unchanged(list_client_order_id: str, new_client_order_id: str) -> None:
    parameters = parse(
        symbol="LTCBTC", listClientOrderId=list_client_order_id, newClientOrderId=new_client_order_id, timestamp=1
    )
    assert (parameters.list_client_order_id, parameters.new_client_order_id) == (
        list_client_order_id,
        new_client_order_id,
    )
    assert parameters.order_list_id is None


@given(st.text(min_size=1).filter(lambda text: not (len(text) <= 36 and set(text) <= set(CLIENT_ID_ALPHABET))))
def test_any_other_client_id_is_illegal(client_order_id: str) -> None:
    assert code_of(symbol="LTCBTC", orderListId=1, newClientOrderId=client_order_id, timestamp=1) == -1100


@given(recv_window=recv_windows)
def test_any_decimal_recv_window_up_to_60000_with_three_places_is_read_exactly(recv_window: Decimal) -> None:
    parameters = parse(symbol="LTCBTC", orderListId=0, recvWindow=recv_window, timestamp=1)
    assert parameters.recv_window == recv_window


@given(whole=st.integers(0, 60000), fraction=st.text(alphabet=string.digits, min_size=4, max_size=8))
def test_more_than_three_decimals_is_too_much_precision(whole: int, fraction: str) -> None:
    assert code_of(symbol="LTCBTC", orderListId=0, recvWindow=f"{whole}.{fraction}", timestamp=1) == -1111


@given(recv_window=st.integers(60001, 10**12))
def test_a_recv_window_over_60000_is_refused(recv_window: int) -> None:
    assert code_of(symbol="LTCBTC", orderListId=0, recvWindow=recv_window, timestamp=1) == -1131


@given(recv_window=st.integers(1, 60000))
def test_the_older_document_reads_whole_recv_windows(recv_window: int) -> None:
    parameters = parse(newer=False, symbol="LTCBTC", orderListId=0, recvWindow=recv_window, timestamp=1)
    assert parameters.recv_window == recv_window


def test_the_default_recv_window_is_5000() -> None:
    assert parse(symbol="LTCBTC", orderListId=0, timestamp=1).recv_window == 5000


@given(order_list_id=st.integers(0, 2**63 - 1))
def test_any_long_order_list_id(order_list_id: int) -> None:
    assert parse(symbol="LTCBTC", orderListId=order_list_id, timestamp=1).order_list_id == order_list_id


@pytest.mark.parametrize("symbol", ["LTCBTC", "BTC-USD", "１２３４５６", "币安人生USDT", "A" * 20])
def test_legal_symbols(symbol: str) -> None:
    assert is_legal_symbol(symbol)


@pytest.mark.parametrize("symbol", ["", "ltcbtc", "LTC BTC", "LTC&BTC", "A" * 21, "LTC\nBTC"])
def test_illegal_symbols(symbol: str) -> None:
    assert not is_legal_symbol(symbol)


def test_bytes_that_are_not_utf_8_are_illegal_characters() -> None:
    with pytest.raises(BinanceRejection, match=r"Illegal characters found in a parameter\."):
        parse_cancel_parameters(b"symbol=%FF&orderListId=0&timestamp=1", b"", decimal_recv_window=True)
