"""Disclosure control: what protection hides, what it costs, and the attack over every version.

Measured on the demo data and on a dataset 50 times larger (bench/datasets.py, built once
per `make bench` run): the information loss stored with the latest snapshot (issue 13's
goals), the time to publish one member's revised file, the gate's read of one table, and
(on the demo) the member-by-member attack over every retained version and year.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench import datasets
from bench.report import Result
from etl.codebook import TOTAL, load_codebook
from etl.config import Settings
from etl.disclosure.loss import summary
from etl.publish import snapshots

TITLE = "Disclosure control"
GOAL_MS = 50
SHOWN_GOAL, PERSONS_GOAL = 0.90, 0.95
REVISION_GOAL_S = 5


def run(workdir: Path) -> list[Result]:
    import os

    results: list[Result] = []
    for dataset in datasets.both():
        settings = Settings(data_dir=dataset.data_dir)
        results += _loss(dataset.name, settings)
        os.environ["TILANNEKUVA_DATA_DIR"] = str(settings.data_dir)
        results += _gate(dataset.name, settings)
        if dataset.name == "demo":  # the corrections are drawn for the demo's members
            results += _revision(dataset, workdir)
            results += _partial(dataset, workdir)
            results += _attack(settings)
    return results


def _loss(label: str, settings: Settings) -> list[Result]:
    """Shares of the network's cells (not `<5`) and of their persons shown, from the snapshot's protection_loss."""
    ref = snapshots.current(settings)
    assert ref is not None
    with snapshots.open_snapshot(ref.path) as con:
        loss = con.execute("SELECT * FROM protection_loss").df()
    network = summary(loss[loss["group"] == "network"], ["period"]).set_index("period")
    both = summary(loss[loss["group"] == "network"].assign(period="all"), ["period"]).iloc[0]
    results = []
    periods = {"year": "years", "half": "half-years"}  # protection_loss names the kind of period in the singular
    for period, row in [("years and half-years", both), *((periods.get(p, p), r) for p, r in network.iterrows())]:
        cells_met = row["share_cells"] >= SHOWN_GOAL
        persons_met = row["share_persons"] >= PERSONS_GOAL
        results.append(
            Result(
                f"{label}: network cells that are not `<5` shown, v{ref.version}, {period}",
                f"{int(row['cells_shown']):,} of {int(row['cells'] - row['cells_small']):,} = "
                f"{row['share_cells']:.1%}; persons {row['share_persons']:.1%}",
                goal=f">= {SHOWN_GOAL:.0%} of cells, >= {PERSONS_GOAL:.0%} of persons",
                met=bool(cells_met and persons_met),
                note=f"{int(row['withheld_cells']):,} cells in tables not offered (left out of the shares); "
                "per table: python -m etl protection",
            )
        )
    return results


def _views() -> list:  # type: ignore[type-arg]
    from dashboard.reading import gate

    views = []
    for measure, pairs in load_codebook().breakdowns.items():
        for dim1, dim2 in pairs:
            for half_years in (False, True):
                views.append(gate.View(measure, dim1, dim2, half_years=half_years))
                if dim2 == TOTAL:
                    views.append(
                        gate.View(measure, dim1, dim2, half_years=half_years, like_for_like=True, first_year=2020)
                    )
    return views


def _gate(label: str, settings: Settings) -> list[Result]:
    from dashboard.reading import data, gate

    ref = snapshots.current(settings)
    assert ref is not None
    data.run_query(ref.path, "snapshot_meta")  # open the connection once, as a running dashboard has
    protected, raw = [], []
    for view in _views():
        started = time.perf_counter()
        gate.network(ref, view)
        protected.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        data.run_query(
            ref.path, "network_cells", measure=view.measure, dim1=view.dim1, dim2=view.dim2, kinds=view.kinds,
            first_year=view.first_year, last_year=view.last_year, orgs=None,
        )  # fmt: skip
        raw.append((time.perf_counter() - started) * 1000)
    p95 = _p95(protected)
    return [
        Result(
            f"{label}: one protected table from the gate (p95 of {len(protected)} tables)",
            f"{p95:.1f} ms (p50 {statistics.median(protected):.1f})",
            goal=f"p95 < {GOAL_MS} ms",
            baseline=f"unprotected query p95 {_p95(raw):.1f} ms (p50 {statistics.median(raw):.1f})",
            ratio=f"{p95 / max(_p95(raw), 1e-9):.1f}x",
            met=p95 < GOAL_MS,
            note="every breakdown of every measure, years and half-years, like-for-like totals and breakdowns",
        )
    ]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _revision(dataset: datasets.Dataset, workdir: Path) -> list[Result]:
    """Load and publish one member's corrected 2025, protection against every earlier version included."""
    from bench.harness.updates import update_files

    settings = dataset.copy(workdir)
    (path,) = update_files(settings.data_dir, workdir / f"revision-{dataset.name}", 1)
    return [
        _published_in_time(
            f"{dataset.name}: load and publish one member's corrected year (protection against every version)",
            settings,
            path,
            f"{path.name}: the member's tables of the year drawn again (bench/harness/updates.py); "
            "that year is protected anew against its earlier versions, the other years are copied",
        )
    ]


def _published_in_time(label: str, settings: Settings, path: Path, note: str) -> Result:
    """Load and publish the file at `path`, timed against the revision goal."""
    from etl.warehouse import load

    started = time.perf_counter()
    result = load.load_bytes(path.read_bytes(), path.name, "bench", settings, publish_now=True)
    seconds = time.perf_counter() - started
    return Result(
        label,
        f"{seconds:.1f} s" if result.ok else "refused",
        goal=f"<= {REVISION_GOAL_S} s",
        met=(seconds <= REVISION_GOAL_S) if result.ok else False,
        note=note,
    )


def _partial(dataset: datasets.Dataset, workdir: Path) -> list[Result]:
    """A member's half-year sent with two cells of new clients (its other tables left out), published,
    then its year attacked over every version: the case where the engine once gave up on two figures
    and the attack found a like-for-like cell of the version before pinned."""
    from bench.harness.attack import attack_versions
    from bench.harness.updates import partial_file

    settings = dataset.copy(workdir / "partial")
    path = partial_file(settings.data_dir, workdir / "partial-files", "demo-tuki", "2025H1", 400)
    published = _published_in_time(
        f"{dataset.name}: load and publish a half-year sent with two cells of new clients",
        settings,
        path,
        f"{path.name}: new clients 400, all labour, its other tables left out; the tables the member "
        "reports change, so 2025 is protected from the start (several rounds of withholding)",
    )
    paths = [snapshots.snapshot_path(settings, v) for v in snapshots.list_versions(settings)]
    report = attack_versions(paths, settings.disclosure_threshold, [2025])
    return [
        published,
        Result(
            f"{dataset.name}: attack over all {len(paths)} versions of 2025 after that publication",
            f"{report.pinned} pinned, {report.narrowed} `x` narrowed below the threshold",
            goal="0 pinned, 0 narrowed",
            met=report.failures.empty and published.measured != "refused",
            note=f"{len(report.ranges):,} (hidden figure, attacker) pairs",
        ),
    ]


def _attack(settings: Settings) -> list[Result]:
    from bench.harness.attack import attack_versions

    paths = [snapshots.snapshot_path(settings, v) for v in snapshots.list_versions(settings)]
    started = time.perf_counter()
    report = attack_versions(paths, settings.disclosure_threshold)
    seconds = time.perf_counter() - started
    ranges = report.ranges
    attackers = ranges["attacker"].nunique()
    return [
        Result(
            f"demo: attack over all {len(paths)} versions and every year (outsider and each member)",
            f"{report.pinned} pinned, {report.narrowed} `x` narrowed below the threshold",
            goal="0 pinned, 0 narrowed",
            met=report.failures.empty,
            note=f"{len(ranges):,} (hidden figure, attacker) pairs, {attackers} attackers, in {seconds:.0f} s "
            "(bench/harness/attack.py, member by member)",
        )
    ]
