from binance_orderlist import CancelState, SpotClient
from binance_orderlist_emulator import EmulatorControl


def close_stuck_list(client: SpotClient, symbol: str, order_list_id: int) -> CancelState:
    """Your trading code: close an OCO list for certain, even when Binance loses the answer."""
    return client.ensure_order_list_cancelled(symbol=symbol, order_list_id=order_list_id).state


def test_close_stuck_list_survives_a_lost_answer(binance_emulator: EmulatorControl, binance_client: SpotClient) -> None:
    stuck = binance_emulator.create_order_list(symbol="BTCUSDT", contingency_type="OCO")
    binance_emulator.lose_answer()  # the cancel executes; its answer is a 500 "-1007 execution status unknown"

    assert close_stuck_list(binance_client, "BTCUSDT", stuck.order_list_id) is CancelState.NOT_OPEN
    assert binance_emulator.order_list(stuck.order_list_id).list_order_status == "ALL_DONE"
    assert len(binance_emulator.requests(method="DELETE")) == 1  # the cancel was not sent twice
