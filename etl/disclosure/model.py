"""A year's published tables, in every retained version, as one system of relations.

The attacker of DATA-CONTRACT 8.2 knows every retained version. Each member's
figures for the year are *epochs*: one per distinct content of its cells, so an
unchanged submission is the same unknowns in every version and a revision brings
new ones. A *node* is the sum of one cell (table, code) over a group of epochs (a
bitmask). A published cell of any version is the node of its reporting epochs. Only
tables some version publishes are modelled: one nobody can read tells nothing, revisions included.

Groups are split into their Venn *atoms* (epochs that every group of a table, and of
the tables linked to it, contains or leaves out together), so differences between
published groups (like-for-like minus network, one version minus another) are nodes
too. Relations, each added only when the data satisfy it:

- a group = the sum of its atoms, cell by cell;
- per group, a breakdown's cells sum to its margin, a cross's rows and columns to theirs;
- a breakdown's margin = the measure total (labour_sector: = exploitation_form LAB;
  countries: = their citizenship group), a cross's margins = the one-dimension cells;
- year = H1 + H2 (stock: = H2) for epochs whose year is built from halves;
- a part never exceeds its whole (codebook part_whole.csv), an inequality;
- a member's measure and period resent unchanged are the same unknowns in both epochs (a group
  is written with the earliest epoch: `Model.same_group`); a changed one gives *delta* nodes
  (the revision), free in sign.

The node store (`Model`, `Relations`, `compact`) is `etl.disclosure.nodes`; the epochs
and the revisions between them are `etl.disclosure.epochs`.
"""

from __future__ import annotations

from etl.codebook import TOTAL
from etl.disclosure import epochs
from etl.disclosure.atoms import Edge, refine
from etl.disclosure.nodes import Block, Code, Layer, Model, Table, compact
from etl.disclosure.tables import HALVES, LABOUR, LABOUR_WHOLE, MeasureInfo

T_CODE: Code = (TOTAL, TOTAL, TOTAL, TOTAL)
COUNTRY, COUNTRY_GROUP = "citizenship", "citizenship_group"


def build(layers: list[Layer], measures: dict[str, MeasureInfo], part_whole: list[tuple[str, str]]) -> Model:
    """The model of one year over its layers (earlier versions first, the one being published last)."""
    model = epochs.model_of(layers)
    reporters = epochs.reporters_by_table(model, layers)
    families = epochs.published_groups(model, layers)
    pairs = epochs.revised_pairs(model)
    model.aliases = epochs.aliases(model, pairs)
    families = {table: {model.same_group(table, group) for group in family} for table, family in families.items()}
    for new, old in pairs:  # a revision's two epochs, in each published table that both report
        for table, family in families.items():
            new_group, old_group = model.same_group(table, 1 << new), model.same_group(table, 1 << old)
            mask = reporters.get(table, 0)
            if mask & 1 << new and mask & 1 << old and new_group != old_group:
                family.update({new_group, old_group})
    derived = epochs.derived_by_block(model, layers, reporters, measures)
    edges = _edges(families, reporters, derived, measures, part_whole)
    atoms = refine(families, edges, model.same_group)
    codes = epochs.codes_by_block(layers)
    for table, family in families.items():
        groups = sorted(set(atoms[table]) | family)
        _sum_of_atoms(model, table, family, atoms[table], codes[table[0], table[2], table[3]])
        for group in groups:
            _structure(model, table, group, codes[table[0], table[2], table[3]])
    for edge in edges:
        for group in sorted(set(atoms[edge.source]) | families[edge.source]):
            there = model.same_group(edge.target, group)
            if group & ~edge.allowed == 0 and there in families[edge.target] | set(atoms[edge.target]):
                _link(model, edge, group, codes, measures)
    epochs.revisions(model, pairs, {t: m for t, m in reporters.items() if t in families}, codes)
    compact(model)
    return model


# --- edges between tables ---------------------------------------------------------------------


def _edges(
    families: dict[Table, set[int]],
    reporters: dict[Table, int],
    derived: dict[Block, int],
    measures: dict[str, MeasureInfo],
    part_whole: list[tuple[str, str]],
) -> list[Edge]:
    """Tables whose groups must split their epochs the same way, and who may cross each link."""
    edges: list[Edge] = []

    def both_ways(source: Table, target: Table, kind: str, allowed: int | None = None) -> None:
        if target in families:
            edges.append(Edge(source, target, kind, reporters.get(target, 0) if allowed is None else allowed))
            back = reporters.get(source, 0) if allowed is None else allowed
            edges.append(Edge(target, source, kind + "-back", back))

    for table in sorted(families):
        measure, kind, dim1, dim2 = table
        for target in _wholes(table, measures[measure]):
            both_ways(table, target, "margin")
        halves = derived.get((measure, dim1, dim2), 0)
        if kind == "Y" and halves:
            for half in HALVES:
                both_ways(table, (measure, half, dim1, dim2), "halves", halves)
    for part, whole in part_whole:
        for table in sorted(t for t in families if t[0] == part):
            target = (whole, table[1], table[2], table[3])
            if target not in families:
                target = (whole, table[1], TOTAL, TOTAL)
                if table[2:] != (TOTAL, TOTAL) and not measures[part].multi_response:
                    continue  # a part's cell under the whole's total follows from the part's own total
            allowed = reporters.get(table, 0) & reporters.get(target, 0)
            both_ways(table, target, "part", allowed)
    return edges


def _wholes(table: Table, info: MeasureInfo) -> list[Table]:
    measure, kind, dim1, dim2 = table
    if dim2 != TOTAL:
        return [(measure, kind, dim1, TOTAL), (measure, kind, dim2, TOTAL), (measure, kind, TOTAL, TOTAL)]
    if (dim1, dim2) == LABOUR:
        return [(measure, kind, LABOUR_WHOLE[0], TOTAL)]
    if dim1 == COUNTRY:
        return [(measure, kind, COUNTRY_GROUP, TOTAL), (measure, kind, TOTAL, TOTAL)]
    if dim1 != TOTAL and not info.multi_response:
        return [(measure, kind, TOTAL, TOTAL)]
    return []


# --- relations --------------------------------------------------------------------------------


def _sum_of_atoms(model: Model, table: Table, family: set[int], atoms: list[int], codes: list[Code]) -> None:
    for group in sorted(family):
        parts = [atom for atom in atoms if atom & group == atom]
        if parts == [group]:
            continue
        for code in codes:
            terms = [(model.node(table, code, group), 1.0)]
            model.relate(terms + [(model.node(table, code, atom), -1.0) for atom in parts])


def _structure(model: Model, table: Table, group: int, codes: list[Code]) -> None:
    dim1, dim2 = table[2], table[3]
    if dim1 == TOTAL:
        model.node(table, T_CODE, group)
        return
    inner = [c for c in codes if c[1] != TOTAL and (dim2 == TOTAL or c[3] != TOTAL)]
    if dim2 == TOTAL:
        _sum(model, table, group, (dim1, TOTAL, TOTAL, TOTAL), inner)
        return
    rows = sorted({c[1] for c in inner})
    columns = sorted({c[3] for c in inner})
    for code1 in rows:
        _sum(model, table, group, (dim1, code1, dim2, TOTAL), [c for c in inner if c[1] == code1])
    for code2 in columns:
        _sum(model, table, group, (dim1, TOTAL, dim2, code2), [c for c in inner if c[3] == code2])
    _sum(model, table, group, (dim1, TOTAL, dim2, TOTAL), [(dim1, r, dim2, TOTAL) for r in rows])
    _sum(model, table, group, (dim1, TOTAL, dim2, TOTAL), [(dim1, TOTAL, dim2, c) for c in columns])


def _sum(model: Model, table: Table, group: int, whole: Code, parts: list[Code]) -> None:
    terms = [(model.node(table, whole, group), 1.0)] + [(model.node(table, part, group), -1.0) for part in parts]
    model.relate(terms)


def _link(model: Model, edge: Edge, group: int, codes: dict[Block, list[Code]], measures: dict) -> None:
    measure, _, dim1, dim2 = edge.source
    block_codes = codes[measure, dim1, dim2]
    if edge.kind == "halves":
        _halves(model, edge.source, group, block_codes, measures[measure].nature)
    elif edge.kind == "margin":
        _margin(model, edge.source, edge.target, group, block_codes)
    elif edge.kind == "part":
        _parts(model, edge.source, edge.target, group, block_codes)


def _parts(model: Model, part: Table, whole: Table, group: int, codes: list[Code]) -> None:
    """Each cell of the part is at most the whole's same cell, or its total (a multi-response part)."""
    if whole[2:] == part[2:]:
        pairs = [(code, code) for code in codes]
    else:
        pairs = [(code, T_CODE) for code in codes if code[1] != TOTAL or part[2] == TOTAL]
    for code, whole_code in pairs:
        terms = [(model.node(part, code, group), 1.0), (model.node(whole, whole_code, group), -1.0)]
        model.relate(terms, upper=True)


def _halves(model: Model, year: Table, group: int, codes: list[Code], nature: str) -> None:
    measure, _, dim1, dim2 = year
    for code in codes:
        terms = [(model.node(year, code, group), 1.0), (model.node((measure, "H2", dim1, dim2), code, group), -1.0)]
        if nature == "additive":
            terms.append((model.node((measure, "H1", dim1, dim2), code, group), -1.0))
        model.relate(terms)


def _margin(model: Model, source: Table, target: Table, group: int, codes: list[Code]) -> None:
    dim1, dim2 = source[2], source[3]
    if (dim2 == TOTAL and target[2:] == (TOTAL, TOTAL)) or (dim1, dim2) == LABOUR:
        whole = (LABOUR_WHOLE[0], LABOUR_WHOLE[1], TOTAL, TOTAL) if (dim1, dim2) == LABOUR else T_CODE
        model.relate(
            [(model.node(source, (dim1, TOTAL, TOTAL, TOTAL), group), 1.0), (model.node(target, whole, group), -1.0)]
        )
        return
    if dim1 == COUNTRY and target[2] == COUNTRY_GROUP:
        _countries(model, source, target, group, codes)
        return
    if target[2:] == (TOTAL, TOTAL):  # a cross's grand total
        model.relate(
            [(model.node(source, (dim1, TOTAL, dim2, TOTAL), group), 1.0), (model.node(target, T_CODE, group), -1.0)]
        )
        return
    axis = 1 if target[2] == dim1 else 3
    for code in codes:
        if code[axis] == TOTAL or code[4 - axis] != TOTAL:
            continue
        one_d = (target[2], code[axis], TOTAL, TOTAL)
        model.relate([(model.node(source, code, group), 1.0), (model.node(target, one_d, group), -1.0)])


def _countries(model: Model, source: Table, target: Table, group: int, codes: list[Code]) -> None:
    """Countries (and the group's "other" and unknown codes) sum to their citizenship group."""
    from etl.codebook import load_codebook

    parents = {code: entry.parent or code for code, entry in load_codebook().codes[COUNTRY].items()}
    by_group: dict[str, list[Code]] = {}
    for code in codes:
        if code[1] != TOTAL:
            by_group.setdefault(parents.get(code[1], code[1]), []).append(code)
    for parent, members in sorted(by_group.items()):
        whole = (COUNTRY_GROUP, parent, TOTAL, TOTAL)
        terms = [(model.node(target, whole, group), 1.0)] + [(model.node(source, c, group), -1.0) for c in members]
        model.relate(terms)
