"""The benchmark driver: ``python -m benchmarks`` (from the repository root).

Every metric is measured for tkconsole and for a bare jupyter_client client
in the same run, each side in a fresh process, alternating, ``--rounds``
times (median reported), and printed as one line:

    name value unit  bare value unit  ratio r

Modules that measure a feature of their own (``EXTRA``) expose
``run() -> list[(case, tkconsole figure, baseline figure)]`` and are
printed after the core table.  Speed is measured here, never asserted in
tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

from . import core, keys, output, prompt_after_idle, qtconsole, remote
from .common import CASES_ENV, private_display, run_child

EXTRA = ("conversation", "encryption", "prompt_after_idle", "rich", "soak", "tabs", "widgets")
CHILDREN = {
    "gui": core.gui,
    "embedded": core.embedded,
    "bare": core.bare_child,
    "qt": qtconsole.qt_child,
    **remote.CHILDREN,
    **keys.CHILDREN,
    **prompt_after_idle.CHILDREN,
}


def report(gui: dict, bare: dict, qt: dict | None = None) -> list[str]:
    qt = qt or {}
    lines = []
    for key, name, unit, scale, compare in (
        core.METRICS + remote.METRICS + output.metrics() + keys.METRICS
    ):
        if key not in gui:
            continue
        value = gui[key] * scale
        line = f"{name} {value:.4g} {unit}"
        if key in bare:
            base = bare[key] * scale
            line += f"  bare {base:.4g} {unit}"
            if compare == "ratio" and base:
                line += f"  ratio {value / base:.3f}x"
            elif compare == "diff":
                line += f"  diff {value - base:+.3g} {unit}"
        if key in qt:
            line += f"  qtconsole {qt[key] * scale:.4g} {unit}"
        lines.append(line)
    return lines


def medians(runs: list[dict]) -> dict:
    keys_ = set().union(*runs) if runs else set()
    return {k: statistics.median(r[k] for r in runs if k in r) for k in keys_}


def core_tables(
    rounds: int, startups: int, with_qt: bool, save: Path | None = None
) -> tuple[dict, dict, dict]:
    """``(tkconsole, bare, qtconsole)``: medians, each side in turn every round.

    Each child's figures are shown on stderr as it ends (and appended to
    ``save`` as a JSON line), so a long run that is stopped keeps them."""
    sides = ("bare", "gui", "qt") if with_qt else ("bare", "gui")
    starts: dict[str, list[dict]] = {kind: [] for kind in (*sides, "embedded")}
    for n in range(startups):
        for kind in starts:
            starts[kind].append(_child(kind, False, f"start-up {n + 1}/{startups}", save))
    full: dict[str, list[dict]] = {kind: [] for kind in sides}
    for n in range(rounds):  # alternate, so a busy moment hits every side alike
        for kind in sides:
            full[kind].append(_child(kind, True, f"round {n + 1}/{rounds}", save))
    tables = {kind: {**medians(full[kind]), **medians(starts[kind])} for kind in sides}
    tables["gui"].update(medians(starts["embedded"]))
    tables["bare"]["startup_embedded"] = tables["bare"]["startup"]  # the same reference
    return tables["gui"], tables["bare"], tables.get("qt", {})


def _child(kind: str, full: bool, label: str, save: Path | None) -> dict:
    started = time.perf_counter()
    result = qtconsole.run_qt(full) if kind == "qt" else run_child(kind, full)
    took = time.perf_counter() - started
    print(f"[{label}] {kind} ({took:.0f} s): {json.dumps(result)}", file=sys.stderr, flush=True)
    if save is not None:
        with save.open("a") as f:
            f.write(json.dumps({"side": kind, "full": full, "label": label, **result}) + "\n")
    return result


def _cell(side: dict, key: str, unit: str, scale: float) -> str:
    if key not in side:
        return ""
    if side[key] >= qtconsole.CASE_LIMIT and unit in ("s", "ms"):
        return f"{qtconsole.CASE_LIMIT:.0f} s+, unfinished"
    return f"{side[key] * scale:.3g} {unit}"


def markdown(gui: dict, bare: dict, qt: dict) -> list[str]:
    """The core figures as a Markdown table (docs/performance.md's first table)."""
    lines = ["| case | bare client | tkconsole | ratio | QtConsole |", "|---|---|---|---|---|"]
    for key, name, unit, scale, compare in core.METRICS + output.metrics():
        if key not in gui:
            continue
        cells = [_cell(d, key, unit, scale) for d in (bare, gui, qt)]
        ratio = f"{gui[key] / bare[key]:.2f}x" if compare == "ratio" and bare.get(key) else ""
        lines.append(f"| {name} | {cells[0]} | {cells[1]} | {ratio} | {cells[2]} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument("--t0", type=float)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="full runs per side (median)")
    parser.add_argument("--startups", type=int, default=5, help="start-up runs per side")
    parser.add_argument(
        "--no-qt", action="store_true", help="leave out QtConsole even where it is installed"
    )
    parser.add_argument(
        "--cases",
        default="",
        help="comma-separated core cases to run (idle, roundtrip, flood, "
        + ", ".join(output.CASES)
        + "); default: all",
    )
    parser.add_argument("--save", type=Path, help="append each child's figures here (JSON lines)")
    parser.add_argument(
        "--markdown", action="store_true", help="also print the core table in Markdown"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated: core, remote, keys, " + ", ".join(EXTRA)
    )
    parser.add_argument(
        "--soak-minutes", type=float, help="how long the soak case runs (default: 20)"
    )
    args = parser.parse_args(argv)
    if args.soak_minutes is not None:
        os.environ["TKCONSOLE_SOAK_MINUTES"] = str(args.soak_minutes)  # benchmarks/soak.py
    if args.child:
        CHILDREN[args.child](args.t0, args.full)
        return 0
    if args.cases:
        os.environ[CASES_ENV] = args.cases  # the children read it
    only = set(filter(None, args.only.split(",")))
    wanted = lambda name: not only or name in only  # noqa: E731
    with private_display():
        gui: dict = {}
        bare: dict = {}
        qt: dict = {}
        if wanted("core"):
            with_qt = not args.no_qt and qtconsole.available()
            gui, bare, qt = core_tables(args.rounds, args.startups, with_qt, args.save)
        if wanted("remote"):
            remote_gui, remote_bare = remote.measure()
            gui.update(remote_gui)
            bare.update(remote_bare)
        if wanted("keys"):
            gui.update(run_child("typing", True))
        for line in report(gui, bare, qt) + (markdown(gui, bare, qt) if args.markdown else []):
            print(line, flush=True)
        for name in EXTRA:
            if wanted(name):
                _run_extra(name)
    return 0


def _run_extra(name: str) -> None:
    try:
        module = importlib.import_module(f"benchmarks.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"benchmarks.{name}":
            raise
        return
    for case, ours, base in module.run():
        print(f"{case} {ours}" + (f"  baseline {base}" if base else ""), flush=True)
