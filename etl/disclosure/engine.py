"""Protect every published table together: DATA-CONTRACT 8, one deterministic pass per year.

1. Primary rules on the version being published: small counts (c); cells where one
   member holds all but 1..t-1 persons, so it would learn the rest (d); cross rows
   and columns under 10 that fall in one cell (d). Tables of fewer than 3 members,
   half-year tables whose yearly-only reporters are 1 or 2, and like-for-like tables
   whose group differs by 1 or 2 members from a group published for the same table
   (in this version or any retained one) are withheld: not offered at all.
2. The year's model over every retained version (etl.disclosure.model): an earlier
   version's cells are fixed, shown or hidden as published; a cell of this version
   that is the same figure (same members, unchanged) keeps that state.
3. Secondary suppression (etl.disclosure.secondary): the cheapest cells to hide so
   that no attacker - an outsider reading every version, or a member knowing its own
   figures - pins a hidden cell, narrows an `x` cell below the threshold, or learns
   one member's figures or a revision; then a reveal pass.
4. A table whose every non-zero cell ends up hidden is not offered either.

Years share no person, so a snapshot is protected year by year.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.codebook import TOTAL, load_codebook
from etl.disclosure import model as node_model
from etl.disclosure import secondary
from etl.disclosure.attackers import Knowledge
from etl.disclosure.epochs import codes_by_block
from etl.disclosure.nodes import Block, Code, Layer, Model
from etl.disclosure.primary import primary_reasons, small_lines, withhold_changed_groups
from etl.disclosure.published import OUTPUT, output
from etl.disclosure.rules import FLAG_SECONDARY, FLAG_SMALL
from etl.disclosure.tables import (
    ALL,
    KEY,
    Batch,
    Subset,
    countries_to_fold,
    fold,
    published_cells,
    rows_of,
    with_margins,
)

log = logging.getLogger(__name__)
WITHHOLDING = ("members", "group", "unsafe", "empty", "fold_row")  # not offered at all (fold_row: those cells)
MAX_ROUNDS = 12  # rounds of withholding: three tiers per attribute, a few attributes per year
TABLE_OF_CELL = ["measure", "kind", "dim1", "dim2"]
LIKE_FOR_LIKE, NETWORK_HALVES, NETWORK_YEARS = 0, 1, 2  # tiers of tables withheld, first to last
# What the Assistance System publishes every year: the last network cells to hide (DATA-CONTRACT 8.8).
OFFICIAL_SPLITS = ("sex", "age_group", "exploitation_place", "exploitation_form", "citizenship")
ZERO_WEIGHT = 1e7  # a hidden 0 sits at its lower bound: it protects little and needs protecting itself


@dataclass(frozen=True)
class Prior:
    """An earlier published version, as an attacker reads it."""

    version: int
    facts: pd.DataFrame  # its member cells (columns of Batch.facts)
    cells: pd.DataFrame  # its published_cell rows
    subsets: list[Subset]


def protect(batch: Batch, threshold: int, priors: Sequence[Prior] = ()) -> pd.DataFrame:
    """The published cells of every year in `batch` (columns OUTPUT and the exact `persons`; value <NA> when hidden)."""
    countries = countries_to_fold(batch.facts, threshold, batch.folded, batch.shown)
    frames = [
        protect_year(int(year), facts, batch, threshold, priors, countries)
        for year, facts in fold(batch.facts, countries).groupby("year", sort=True)
    ]
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*OUTPUT, "persons"])


def folded_countries(batch: Batch, threshold: int) -> set[tuple[str, int, str]]:
    """(measure, year, country) folded into "other" (kept so later versions fold them too)."""
    return countries_to_fold(batch.facts, threshold, batch.folded, batch.shown)


def protect_year(
    year: int,
    facts: pd.DataFrame,
    batch: Batch,
    threshold: int,
    priors: Sequence[Prior],
    countries: set[tuple[str, int, str]],
) -> pd.DataFrame:
    started = time.perf_counter()
    prepared = year_state(year, facts, batch, threshold, priors, countries)
    if prepared is None:
        return pd.DataFrame(columns=OUTPUT)
    cells, model, state = prepared
    layers = len(model.bits) - 1
    if layers and not (state.candidate.any() or (state.hidden & ~state.frozen).any()):
        log.info("%d: every figure as published before (%d versions)", year, layers)
        return output(cells, state.current, state.earlier, state.hidden, batch, threshold)
    protection = secondary.Protection(state.knowledge, state.hidden, state.candidate, state.weight, state.keep)
    _protect_or_withhold(model, state, protection, cells, year)
    outcome = protection.finish()
    log.info("%d: %d nodes, %d versions before, %.1f s", year, len(model.values), layers, time.perf_counter() - started)
    return output(cells, state.current, state.earlier, outcome.hidden, batch, threshold)


def year_state(
    year: int,
    facts: pd.DataFrame,
    batch: Batch,
    threshold: int,
    priors: Sequence[Prior],
    countries: set[tuple[str, int, str]],
) -> tuple[pd.DataFrame, Model, _State] | None:
    """The year's cells with their primary reasons, its model over every version, and what is
    known before secondary suppression (None: nothing to publish)."""
    facts = with_margins(facts)
    cells = published_cells(facts, batch.subsets)
    if cells.empty:
        return None
    layers = [layer for prior in priors if (layer := prior_layer(prior, year, countries)) is not None]
    cells["reason"] = primary_reasons(cells, facts, batch, threshold)
    current = Layer(0, facts, cells, frozen=False)
    withhold_changed_groups(layers, current)
    cells["offered"] = ~cells["reason"].isin(WITHHOLDING)
    model = node_model.build([*layers, current], batch.measures, load_codebook().part_whole)
    return cells, model, _State.of(model, [*layers, current], threshold)


def _protect_or_withhold(
    model: Model, state: _State, protection: secondary.Protection, cells: pd.DataFrame, year: int
) -> None:
    """Hide what protects every figure; where nothing can, withhold the tables around it.

    Some figure may stay pinned however much is hidden (the `<t` cells a member's own figures
    sit in are known to be at least 1). Then the least important tables around it are not
    offered: like-for-like tables, then half-year tables, then the network's yearly crosses. Before
    those, their small lines are folded and the `x` cells no hiding keeps wide are shown again
    (kept only if that protects everything). Only if that is not enough may a member's need hide
    headline cells, and at last withhold a headline table (never a total).
    """
    headlines = True
    for _ in range(MAX_ROUNDS):
        unprotected = protection.run()
        if not unprotected:
            return
        unsafe = _unsafe_tables(model, state, unprotected, cells, keep_headlines=headlines)
        if _only_network_years(unsafe) and _spare_network_years(state, protection, cells):
            return
        if not unsafe:
            if not headlines:
                log.warning("%d: %d figures could not be protected", year, len(unprotected))
                return
            protection.release_headlines()
            headlines = False
            continue
        log.info(
            "%d: %d figures no hiding protects: %d tables not offered so that no member can pin them",
            year,
            len(unprotected),
            len(unsafe),
        )
        hit = np.asarray(pd.MultiIndex.from_frame(cells[["subset", *TABLE_OF_CELL]]).isin(unsafe))
        cells.loc[hit, ["reason", "offered"]] = ["unsafe", False]
        protection.withdraw(state.take_out(hit))
    if protection.run():
        log.warning("%d: figures still unprotected after %d rounds of withholding", year, MAX_ROUNDS)


def _spare_network_years(state: _State, protection: secondary.Protection, cells: pd.DataFrame) -> bool:
    """Before withholding the network's yearly tables: fold their crosses' small lines, show `x` cells again.

    True when that protects every figure (kept); otherwise everything is as before the attempt.
    """
    network_year = ((cells["subset"] == ALL) & (cells["kind"] == "Y")).to_numpy()
    hit = small_lines(cells, state.knowledge.threshold).to_numpy() & cells["offered"].to_numpy(dtype=bool)
    hit &= network_year
    before = cells[["reason", "offered"]].copy(), state.current.copy()
    cells.loc[hit, ["reason", "offered"]] = ["fold_row", False]
    folded = state.take_out(hit)
    if not protection.show_again_instead(lambda: protection.fold(folded)):
        return True
    cells[["reason", "offered"]] = before[0]
    state.current[:] = before[1]
    state.refresh_zeros()
    return False


def _only_network_years(tables: list) -> bool:
    """Withholding would reach the network's yearly tables (none left below them: the headlines next)."""
    return all(subset == ALL and kind == "Y" for subset, _, kind, _, _ in tables)


def prior_layer(prior: Prior, year: int, countries: set[tuple[str, int, str]]) -> Layer | None:
    """An earlier version's view of the year, folded as the version being published folds it."""
    stored = prior.cells[prior.cells["year"] == year]
    facts = prior.facts[prior.facts["year"] == year]
    if stored.empty or facts.empty:
        return None
    facts = with_margins(fold(facts, countries))
    rebuilt = published_cells(facts, prior.subsets)
    keys = ["subset", *KEY]
    stored = stored[[*keys, "value", "flag", "reason"]].rename(columns={"value": "stored"})
    cells = rebuilt.drop(columns=["value", "flag"]).merge(stored, on=keys, how="inner")
    cells = cells.rename(columns={"stored": "value"})
    cells["offered"] = ~cells["reason"].isin(WITHHOLDING)
    return Layer(prior.version, facts, cells, frozen=True)


# --- what is known before secondary suppression -----------------------------------------------


@dataclass
class _State:
    knowledge: Knowledge
    hidden: np.ndarray
    candidate: np.ndarray
    weight: np.ndarray
    keep: np.ndarray  # the network's yearly totals and official splits: never hidden for one member's sake
    current: np.ndarray  # node of each current cell (-1: not offered)
    earlier: dict[int, tuple[str, str]]  # node -> (flag letter, reason) an earlier version hid it with
    frozen: np.ndarray  # nodes an earlier version published
    seen_before: np.ndarray  # known from earlier versions alone (shown, or left out of a table: 0)
    layer: Layer  # the version being published
    codes: dict[Block, list[Code]]  # the codes of each block in any version

    def take_out(self, hit: np.ndarray) -> np.ndarray:
        """Take the `hit` cells out of publication: the nodes no offered cell stands for any more
        (those an earlier version published stay as they are)."""
        offered = self.current >= 0
        gone = np.setdiff1d(self.current[hit & offered], self.current[~hit & offered])
        self.current[hit] = -1
        self.refresh_zeros()
        return gone[~self.frozen[gone]]

    def refresh_zeros(self) -> None:
        """What is known exactly after a change of the tables offered: a code a table no longer
        offered leaves out tells nothing any more."""
        visible = self.seen_before.copy()
        _known_zeros(self.knowledge.model, self.layer, visible, self.codes)
        self.knowledge.visible[:] = visible

    @classmethod
    def of(cls, model: Model, layers: list[Layer], threshold: int) -> _State:
        for layer in layers:
            layer.cells["node"] = _nodes_of(model, layer.cells)
        folded_nodes = np.concatenate([_folded_nodes(model, layer.cells) for layer in layers])
        codes = codes_by_block(layers)
        size = len(model.values)
        published, visible, small, hidden, frozen = (np.zeros(size, dtype=bool) for _ in range(5))
        earlier: dict[int, tuple[str, str]] = {}
        for layer in layers:
            nodes = layer.cells["node"].to_numpy()
            offered = layer.cells["offered"].to_numpy(dtype=bool)
            published[nodes[offered]] = True
            if not layer.frozen:
                continue
            _known_zeros(model, layer, visible, codes)
            frozen[nodes[offered]] = True
            flags = layer.cells["flag"].fillna("").astype(str)
            is_small = flags.str.contains(FLAG_SMALL, regex=False).to_numpy() & offered
            is_hidden = flags.str.contains(f"[{FLAG_SMALL}{FLAG_SECONDARY}]").to_numpy() & offered
            visible[nodes[offered & ~is_hidden]] = True
            small[nodes[is_small]] = True
            hidden[nodes[is_hidden]] = True
            for node, flag, reason in zip(
                nodes[is_hidden], flags[is_hidden], layer.cells["reason"][is_hidden], strict=True
            ):
                earlier.setdefault(int(node), (FLAG_SMALL if FLAG_SMALL in flag else FLAG_SECONDARY, str(reason)))
        cells = layers[-1].cells
        nodes = cells["node"].to_numpy()
        offered = cells["offered"].to_numpy(dtype=bool)
        primary = cells["reason"].notna().to_numpy() & offered
        small[nodes[primary & cells["value"].between(1, threshold - 1).to_numpy()]] = True
        hidden[nodes[primary]] = True
        seen_before = visible.copy()
        _known_zeros(model, layers[-1], visible, codes)
        hidden &= ~visible
        candidate = np.zeros(size, dtype=bool)
        candidate[nodes[offered]] = True
        candidate &= ~hidden & ~visible
        weight = np.zeros(size)
        np.add.at(weight, nodes[offered], _weights(cells[offered]))  # hiding a node hides every cell it stands for
        keep = np.zeros(size, dtype=bool)
        keep[nodes[offered & _headline(cells)]] = True
        guarded = np.zeros(size, dtype=bool)  # folded cross rows: the table shows its margins, not these cells
        guarded[folded_nodes] = True
        knowledge = Knowledge.of(model, visible, published, small, threshold, guarded)
        current = np.where(offered, nodes, -1)
        return cls(knowledge, hidden, candidate, weight, keep, current, earlier, frozen, seen_before, layers[-1], codes)


def _unsafe_tables(
    model: Model, state: _State, unprotected: list, cells: pd.DataFrame, keep_headlines: bool = True
) -> list:
    """For the figures no allowed hiding protects: the offered tables of this version about the same attribute.

    Crosses, like-for-like and half-year tables of a figure's dimension are what gives a member
    the bounds it combines with its own figures. They go tier by tier, least used first (the
    like-for-like tables, then half-years, then the network's yearly tables), so a figure of a
    like-for-like group does not take the network's crosses with it. Headline tables (the
    network's yearly totals and official splits) stay.
    """
    wanted: set[tuple[str, str]] = set()
    for _, node in unprotected:
        measure, _, dim1, dim2 = model.tables[node]
        wanted |= {(measure, dim) for dim in (dim1, dim2) if dim != TOTAL} or {(measure, TOTAL)}
    if not wanted:
        return []
    about = [
        (measure, dim1) in wanted or (measure, dim2) in wanted or ((measure, TOTAL) in wanted and dim1 == TOTAL)
        for measure, dim1, dim2 in rows_of(cells, ["measure", "dim1", "dim2"])
    ]
    kept = _headline_tables(cells) if keep_headlines else (cells["dim1"] == TOTAL).to_numpy()
    offered = cells[cells["offered"] & np.asarray(about) & ~kept]
    if offered.empty:
        return []
    network_tier = np.where(offered["kind"] != "Y", NETWORK_HALVES, NETWORK_YEARS)
    tier = np.where(offered["subset"] != ALL, LIKE_FOR_LIKE, network_tier)
    offered = offered[tier == tier.min()]
    tables = offered[["subset", *TABLE_OF_CELL]].drop_duplicates().itertuples(index=False)
    return sorted({tuple(row) for row in tables})


def _folded_nodes(model: Model, cells: pd.DataFrame) -> np.ndarray:
    """The nodes of a version's folded cross-row cells that hold anyone (not published, never to be pinned)."""
    folded = (cells["reason"] == "fold_row").to_numpy()
    nodes = _nodes_of(model, cells.assign(offered=folded))[folded]
    return nodes[np.asarray(model.values, dtype=float)[nodes] >= 1 - 1e-9]


def _nodes_of(model: Model, cells: pd.DataFrame) -> np.ndarray:
    """The node of each offered cell (-1 for a cell of a table not offered)."""
    tables = rows_of(cells, TABLE_OF_CELL)
    codes = rows_of(cells, ["dim1", "code1", "dim2", "code2"])
    keys = zip(tables, codes, cells["mask"], cells["offered"], strict=True)
    return np.array([model.node(t, c, int(m)) if offered else -1 for t, c, m, offered in keys], dtype=np.int64)


def _known_zeros(model: Model, layer: Layer, visible: np.ndarray, codes: dict[Block, list[Code]]) -> None:
    """A code a published table leaves out (one any version's figures hold) is 0 for every member
    of that table's group."""
    # the rows of every table offered, its cells not offered (a folded cross row) included: they exist
    table_offered = layer.cells.groupby(["subset", *TABLE_OF_CELL])["offered"].transform("any").astype(bool)
    offered = layer.cells[table_offered]
    for (_, measure, kind, dim1, dim2, mask), group in offered.groupby(["subset", *TABLE_OF_CELL, "mask"]):
        listed = set(rows_of(group, ["dim1", "code1", "dim2", "code2"]))
        for code in set(codes.get((measure, dim1, dim2), ())) - listed:
            node = model.find((measure, kind, dim1, dim2), code, int(mask))
            if node is not None:
                visible[node] = True


def _headline(cells: pd.DataFrame) -> np.ndarray:
    """The network's yearly totals and the one-dimension splits the Assistance System publishes."""
    network_year = (cells["subset"] == ALL) & (cells["kind"] == "Y")
    one_d = (cells["dim2"] == TOTAL) & cells["dim1"].isin([TOTAL, *OFFICIAL_SPLITS])
    place = (cells["dim2"] == "exploitation_place") & (cells["code1"] == TOTAL)  # the place split, as a cross margin
    return (network_year & (one_d | place)).to_numpy()


def _headline_tables(cells: pd.DataFrame) -> np.ndarray:
    """Cells of a table holding a headline cell (such a table is never withheld)."""
    tables = cells.loc[_headline(cells), ["subset", *TABLE_OF_CELL]].drop_duplicates()
    return np.asarray(
        pd.MultiIndex.from_frame(cells[["subset", *TABLE_OF_CELL]]).isin(pd.MultiIndex.from_frame(tables))
    )


def _weights(cells: pd.DataFrame) -> np.ndarray:
    """What hiding each cell costs: its persons, times how much people rely on it (DATA-CONTRACT 8.8).

    Like-for-like cells cost their persons; the network's far more: half-years x5, years x10, the
    splits the Assistance System publishes x50, a measure's total x100 more. Margins cost more than
    inner cells (they carry every other cell). A zero is hidden only as a last resort.
    """
    value = cells["value"].to_numpy(dtype=float)
    network = (cells["subset"] == ALL).to_numpy()
    total = (cells["dim1"] == TOTAL).to_numpy()
    margin = ((cells["code1"] == TOTAL) | (cells["code2"] == TOTAL)).to_numpy() & ~total
    year = (cells["kind"] == "Y").to_numpy()
    official = (cells["dim1"].isin(OFFICIAL_SPLITS) | cells["dim2"].isin(OFFICIAL_SPLITS)).to_numpy()
    tier = np.where(network, np.where(year, np.where(official, 50.0, 10.0), 5.0), 1.0)
    tier *= np.where(total, 100.0, np.where(margin, 4.0, 1.0))
    weight = (value + 1.0) * tier
    return np.where(value == 0, ZERO_WEIGHT, weight)
