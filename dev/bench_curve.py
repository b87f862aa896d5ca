"""The cost curve of `make bench`: bench/results-<scale>.json of 10,000, 100,000 and 1,000,000 partners side
by side, with the growth per 10x of the data (python3 dev/bench_curve.py, after `make bench` at each scale).
Arguments scale=file (repeatable) read other files instead, e.g. 1000000=bench/run-1m.log: a results file
or the output of `make bench` (its JSON lines); the rows of several files of a scale are merged.

Growth is given on the CPU seconds (Odoo's process and its PostgreSQL backend): on a shared machine the
elapsed time also counts the waits for a core, which depend on what else runs, not on the data.
"""
import json
import sys
from pathlib import Path

SCALES = [10000, 100000, 1000000]


def rows_of(path):
    text = Path(path).read_text(encoding="utf-8")
    try:
        return json.loads(text)["rows"]
    except json.JSONDecodeError:  # the output of make bench: one JSON line per row
        return [json.loads(line) for line in text.splitlines() if line.startswith('{"id"')]


def load(arguments):
    files = {scale: [] for scale in SCALES}
    for argument in arguments:
        scale, path = argument.split("=", 1)
        files[int(scale)].append(path)
    folder = Path(__file__).resolve().parent.parent / "bench"
    results = {}
    for scale, paths in files.items():
        paths = paths or [path for path in [folder / f"results-{scale}.json"] if path.exists()]
        if paths:
            merged = {}
            for path in paths:
                merged.update({(row["id"], row["measured"].split(":")[0]): row for row in rows_of(path)})
            results[scale] = {"rows": list(merged.values())}
    return results


def sides(results):
    """{(id, line, side): (label, {scale: figures})} for every line measured at some scale, in bench order.

    Lines are matched by their rank within their row: a label may hold a size ("from 30,000 orders").
    """
    lines = {}
    for scale, result in sorted(results.items()):
        rank = {}
        for row in result["rows"]:
            rank[row["id"]] = rank.get(row["id"], 0) + 1
            for side in ("ours", "theirs"):
                if side in row:
                    label = row["measured"] if side == "ours" else f"against: {row['against']}"
                    entry = lines.setdefault((row["id"], rank[row["id"]], side), [label, {}])
                    entry[0] = label
                    entry[1][scale] = row[side]
    return {(key[0], label): figures for key, (label, figures) in lines.items()}


def cpu(figures):
    return None if figures.get("cpu_db") is None else figures["cpu_odoo"] + figures["cpu_db"]


def cell(figures):
    if not figures:
        return "-"
    text = f"{figures['seconds'] * 1000:,.0f} ms"
    total = cpu(figures)
    if total is not None:
        text += f" ({total:,.2f} s CPU)"
    return f"{text}, {figures['queries']:g} q"


def growth(low, high):
    if not low or not high or not cpu(low) or cpu(high) is None:
        return "-"
    return f"{cpu(high) / cpu(low):.1f}x"


def table(results):
    lines = ["| id | measured | 10,000 | 100,000 | 1,000,000 | CPU x per 10x (10k→100k, 100k→1M) |",
             "|---|---|---|---|---|---|"]
    for (key, label), by_scale in sides(results).items():
        figures = [by_scale.get(scale) for scale in SCALES]
        cells = [key, label] + [cell(item) for item in figures]
        cells.append(f"{growth(figures[0], figures[1])}, {growth(figures[1], figures[2])}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    print(table(load(sys.argv[1:])))


if __name__ == "__main__":
    main()
