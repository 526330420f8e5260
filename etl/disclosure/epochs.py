"""Epochs and revisions: each member's distinct contents over the versions, and how a revision relates them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.disclosure.nodes import CELL_KEY, Block, Code, Layer, Model, Table
from etl.disclosure.tables import MeasureInfo, rows_of


def epoch_keys(facts: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Each member's epoch in a layer: its code and a digest of all its cells of the year.

    The digest is the sum of the cells' row hashes (mod 2**64): the same cells give the same
    digest in any order, so every member is hashed in one pass.
    """
    cells = facts[~facts["margin"]]
    hashes = pd.util.hash_pandas_object(cells[[*CELL_KEY, "value"]], index=False).to_numpy()
    orgs, member = np.unique(cells["org_code"].to_numpy(dtype=str), return_inverse=True)
    digests = np.zeros(len(orgs), dtype=np.uint64)
    np.add.at(digests, member, hashes)  # unsigned: wraps mod 2**64
    return {str(org): (str(org), format(int(digest), "016x")) for org, digest in zip(orgs, digests, strict=True)}


def model_of(layers: list[Layer]) -> Model:
    keys: dict[tuple[str, str], int] = {}
    per_layer: list[dict[str, int]] = []
    frames = []
    for layer in layers:
        bits = {org: keys.setdefault(key, len(keys)) for org, key in epoch_keys(layer.facts).items()}
        per_layer.append(bits)
        frames.append(layer.facts.assign(_epoch=layer.facts["org_code"].map(bits)))
    cells = pd.concat(frames, ignore_index=True).drop_duplicates(["_epoch", *CELL_KEY])
    codes, uniques = pd.MultiIndex.from_frame(cells[CELL_KEY]).factorize()
    matrix = np.full((len(uniques), len(keys)), np.nan)
    matrix[codes, cells["_epoch"].to_numpy(dtype=int)] = cells["value"].to_numpy(dtype=float)
    rows = {key: i for i, key in enumerate(uniques)}
    return Model(list(keys), per_layer, matrix, rows)


def reporters_by_table(model: Model, layers: list[Layer]) -> dict[Table, int]:
    """Per table: the epochs that reported it (sent a value in it)."""
    out: dict[Table, int] = {}
    for layer, bits in zip(layers, model.bits, strict=True):
        sent = layer.facts[layer.facts["value"].notna()]
        for table, orgs in sent.groupby(["measure", "kind", "dim1", "dim2"])["org_code"]:
            for org in set(orgs):
                out[table] = out.get(table, 0) | 1 << bits[org]
    return out


def published_groups(model: Model, layers: list[Layer]) -> dict[Table, set[int]]:
    """Per table: the epoch groups of the offered cells of every layer (stored as `mask` on the cells)."""
    families: dict[Table, set[int]] = {}
    for layer, bits in zip(layers, model.bits, strict=True):
        masks = [sum(1 << bits[o] for o in orgs) for orgs in layer.cells["orgs"]]
        layer.cells["mask"] = masks
        offered = layer.cells[layer.cells["offered"]]
        for table, mask in zip(rows_of(offered, ["measure", "kind", "dim1", "dim2"]), offered["mask"], strict=True):
            if mask:
                families.setdefault(table, set()).add(int(mask))
    return families


def revised_pairs(model: Model) -> list[tuple[int, int]]:
    """(new, old) epoch bits of each member's consecutive epochs."""
    latest: dict[str, int] = {}
    pairs = []
    for bits in model.bits:
        for org, bit in sorted(bits.items()):
            before = latest.get(org)
            if before is not None and before != bit:
                pairs.append((bit, before))
            latest[org] = bit
    return sorted(set(pairs))


def derived_by_block(
    model: Model, layers: list[Layer], reporters: dict[Table, int], measures: dict[str, MeasureInfo]
) -> dict[Block, int]:
    """Per block: epochs whose year is built from the halves they sent (year = H1 + H2 for them)."""
    out: dict[Block, int] = {}
    for layer, bits in zip(layers, model.bits, strict=True):
        facts = layer.facts
        rows = facts[(facts["kind"] == "Y") & facts["derived"].astype(bool) & facts["value"].notna()]
        for (measure, dim1, dim2), orgs in rows.groupby(["measure", "dim1", "dim2"])["org_code"]:
            nature = measures[measure].nature
            if nature == "non_additive":
                continue
            mask = sum(1 << bits[o] for o in set(orgs)) & reporters.get((measure, "H2", dim1, dim2), 0)
            if nature == "additive":
                mask &= reporters.get((measure, "H1", dim1, dim2), 0)
            if mask:
                out[measure, dim1, dim2] = out.get((measure, dim1, dim2), 0) | mask
    return out


def codes_by_block(layers: list[Layer]) -> dict[Block, list[Code]]:
    out: dict[Block, set[Code]] = {}
    for layer in layers:
        columns = ["measure", "dim1", "code1", "dim2", "code2"]
        for measure, dim1, code1, dim2, code2 in rows_of(layer.facts[columns].drop_duplicates(), columns):
            out.setdefault((measure, dim1, dim2), set()).add((dim1, code1, dim2, code2))
    return {block: sorted(codes) for block, codes in out.items()}


# --- revisions ------------------------------------------------------------------------------


def aliases(model: Model, pairs: list[tuple[int, int]]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Per measure and period: (later, earlier epoch) of a member that sent the same figures in both.

    The earlier epoch is the first with those figures, so a chain of resends maps to one epoch.
    """
    units: dict[tuple[str, str], list[int]] = {}
    for key, row in model.rows.items():
        units.setdefault(key[:2], []).append(row)
    out: dict[tuple[str, str], list[tuple[int, int]]] = {}
    earliest: dict[tuple[str, str], dict[int, int]] = {}  # per unit: epoch -> the first with its figures
    for new, old in sorted(pairs):
        for unit, rows in units.items():
            if np.array_equal(model.matrix[rows, new], model.matrix[rows, old], equal_nan=True):
                firsts = earliest.setdefault(unit, {})
                firsts[new] = firsts.get(old, old)
                out.setdefault(unit, []).append((new, firsts[new]))
    return out


def revisions(
    model: Model, pairs: list[tuple[int, int]], reporters: dict[Table, int], codes: dict[Block, list[Code]]
) -> None:
    """A changed cell of a member's resent measure and period is a delta node (its unchanged ones are
    the same nodes already: `Model.same_group`)."""
    for new, old in pairs:
        for table, mask in sorted(reporters.items()):
            unchanged = model.same_group(table, 1 << new) == model.same_group(table, 1 << old)
            if unchanged or not (mask & 1 << new and mask & 1 << old):
                continue
            for code in codes[table[0], table[2], table[3]]:
                first, second = model.node(table, code, 1 << new), model.node(table, code, 1 << old)
                if model.values[first] != model.values[second]:
                    delta = model.delta_node(table, code, 1 << new, 1 << old)
                    model.relate([(delta, 1.0), (first, -1.0), (second, 1.0)])
