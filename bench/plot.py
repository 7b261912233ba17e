"""Draw bench/out/results.png from results.json: four panels, one per figure, each bar labelled with its ratio.

``python -m bench.plot RESULTS_JSON OUT_PNG``, run by bench/run.py with the plot venv's Python
(bench/out/venvs/plot, where run.py installs matplotlib; the project's .venv stays as ``make`` built it).
"""

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib  # type: ignore[import-not-found, unused-ignore]

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]

OURS_COLOR = "#1f6feb"
BASELINE_COLOR = "#6e7781"
PEER_COLOR = "#d97706"
WHOLE_NUMBERS_FROM = 100  # bar labels drop the decimal from here on


def color(label: str) -> str:
    if label.startswith("binance-orderlist"):
        return OURS_COLOR
    if "baseline" in label or label.startswith(("raw", "http", "bare", "aiohttp")):
        return BASELINE_COLOR
    return PEER_COLOR


def panel(axes: Any, rows: dict[str, Any], key: str, title: str, unit: str, target: float | None = None) -> None:
    measured = [(label, row) for label, row in rows.items() if row.get(key) is not None]
    labels = [label for label, _ in measured]
    values = [row[key] for _, row in measured]
    bars = axes.barh(range(len(values)), values, color=[color(label) for label in labels])
    axes.set_yticks(range(len(values)), labels, fontsize=7)
    axes.invert_yaxis()
    axes.set_title(title, fontsize=10)
    axes.set_xlabel(unit, fontsize=8)
    axes.tick_params(axis="x", labelsize=7)
    for bar, (_, row) in zip(bars, measured, strict=True):
        ratio = row.get(f"{key}_ratio")
        text = f" {row[key]:,.0f}" if row[key] >= WHOLE_NUMBERS_FROM else f" {row[key]:,.1f}"
        axes.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            text + (f" ({ratio:.2f}x)" if ratio else ""),
            va="center",
            fontsize=6,
        )
    if target is not None:
        axes.axvline(target, color="#cf222e", linestyle="--", linewidth=1)
    axes.margins(x=0.3)


def main() -> None:
    results_path, png_path = Path(sys.argv[1]), Path(sys.argv[2])
    report: dict[str, Any] = json.loads(results_path.read_text())
    summary: dict[str, dict[str, dict[str, Any]]] = report["summary"]
    figure, axes = plt.subplots(2, 2, figsize=(15, 11))
    sync_rows = list(summary["sync"].values())
    sync_baseline = sync_rows[0].get("cpu_us") if sync_rows else None
    panel(
        axes[0][0],
        summary["sync"],
        "cpu_us",
        "Sync: client CPU per call (lower is better)",
        "µs per call",
        None if sync_baseline is None else sync_baseline * 1.05,
    )
    best_peer = max(
        (
            row["calls_per_s"]
            for label, row in summary["async"].items()
            if label.startswith(("python-binance", "ccxt")) and row.get("calls_per_s")
        ),
        default=None,
    )
    panel(
        axes[0][1],
        summary["async"],
        "calls_per_s",
        "Async: 50 in flight (higher is better)",
        "calls per second",
        best_peer,
    )
    panel(axes[1][0], summary["footprint"], "import_ms", "Cold import (lower is better)", "ms", 90.0)
    panel(axes[1][1], summary["footprint"], "peak_rss_mb", "Peak RSS after one call (lower is better)", "MB", 35.0)
    figure.suptitle(
        f"binance-orderlist benchmark, {report['date']}: {report['machine']['cpu_model']}, "
        f"{report['machine']['nproc']} cores, Python {report['machine']['python']}; medians of "
        f"{report['settings']['reps']} repetitions, (ratio) to raw httpx / raw aiohttp; dashed: target",
        fontsize=9,
    )
    figure.tight_layout()
    figure.savefig(png_path, dpi=110)
    print(json.dumps({"plot": str(png_path)}))


if __name__ == "__main__":
    main()
