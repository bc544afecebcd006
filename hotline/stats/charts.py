"""Geometry of the server-rendered SVG charts: a daily rate trend and a ranking bar chart."""

from __future__ import annotations

from typing import Any

# Colours of the three rates, the same on every chart and legend.
COLOURS = {"response_rate": "#1f4e8c", "resolution_rate": "#1a7f37", "satisfaction_rate": "#c8a24a"}


def trend(
    days: list[str],
    series: dict[str, list[float | None]],
    volume: list[int] | None = None,
    width: int = 720,
    height: int = 220,
) -> dict[str, Any]:
    """Lay out one line per rate (0–100 %) over ``days``; a day without data breaks the line.

    ``volume`` (tickets received per day) is drawn as faint bars behind the lines.
    """
    left, right, top, bottom = 40, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(days) - 1, 1)

    def x(i: int) -> float:
        return round(left + i * step, 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - v), 1)

    lines = []
    for name, values in series.items():
        segments: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x(i), y(value)))
        lines.append(
            {
                "name": name,
                "colour": COLOURS.get(name, "#5b6472"),
                "paths": [" ".join(f"{a},{b}" for a, b in s) for s in segments if len(s) > 1],
                "dots": [p for s in segments if len(s) == 1 for p in s],
            }
        )
    peak = max(volume or [0]) or 1
    bar_w = max(step * 0.6, 2)
    columns = [
        {"x": round(x(i) - bar_w / 2, 1), "y": y(n / peak), "h": round(plot_h * n / peak, 1),
         "w": round(bar_w, 1), "n": n, "day": days[i]}
        for i, n in enumerate(volume or []) if n
    ]  # fmt: skip
    every = max(1, round(len(days) / 6))
    ticks = [{"x": x(i), "label": d[5:]} for i, d in enumerate(days) if i % every == 0]
    grid = [{"y": y(v), "label": f"{int(v * 100)}%"} for v in (0, 0.25, 0.5, 0.75, 1)]
    return {"width": width, "height": height, "left": left, "right": width - right,
            "bottom": height - bottom, "lines": lines, "ticks": ticks, "grid": grid,
            "columns": columns, "peak": peak}  # fmt: skip


def bars(
    rows: list[dict[str, Any]], metric: str, width: int = 720, bar: int = 18, label_w: int = 210
) -> dict[str, Any]:
    """Lay out one horizontal bar per row for ``metric`` (0–1), in the given order."""
    plot_w = width - label_w - 60
    items = []
    for i, row in enumerate(rows):
        value = row.get(metric)
        items.append(
            {
                "label": row["name"],
                "y": i * (bar + 8) + 4,
                "w": round(plot_w * value, 1) if value is not None else 0,
                "text": f"{value * 100:.1f}%" if value is not None else "—",
                "count": row.get("received", 0),
            }
        )
    return {"width": width, "height": len(rows) * (bar + 8) + 8, "bar": bar,
            "label_w": label_w, "plot_w": plot_w, "items": items,
            "colour": COLOURS.get(metric, "#1f4e8c")}  # fmt: skip
