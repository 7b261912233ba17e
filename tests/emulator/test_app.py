"""What the app answers outside its routes."""

import httpx
import pytest


@pytest.mark.parametrize(
    ("accept", "body"),
    [
        ("text/html,application/xhtml+xml", b"<html><body><h2>404 Not found</h2></body></html>"),
        ("application/json", b""),
        (None, b""),
    ],
)
def test_an_unknown_path_is_404_with_binances_page_only_for_html_clients(
    binance: httpx.Client, accept: str | None, body: bytes
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = binance.get("/api/v3/exchangie", headers=headers)
    assert (response.status_code, response.content) == (404, body)
