"""``python -m binance_orderlist``: the same command as the ``binance-orderlist`` console script."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
