"""docs/benchmarks.md: one section measured anew replaces only itself and says when it was measured."""

from bench.report import Result, render, update


def test_updating_a_section_replaces_it_in_place_and_leaves_the_others():
    before = render(
        {"Loads": [Result("load 1M rows", "5.9 s", goal="<= 3x")], "Pages": [Result("Trends", "1.4 s")]},
        ["Load average 1.0."],
    )
    after = update(before, {"Loads": [Result("load 1M rows", "2.1 s", goal="<= 3x", met=True, note="in DuckDB")]})
    assert after.index("## Loads") < after.index("## Pages")  # in place
    assert "| load 1M rows | 2.1 s |  |  | <= 3x | yes |" in after and "5.9 s" not in after
    assert "- load 1M rows: in DuckDB" in after
    assert "Measured alone on " in after.split("## Pages")[0]
    assert after.split("## Pages")[1] == before.split("## Pages")[1]  # the other section untouched
    assert after.startswith(before.split("## Loads")[0])  # the header and machine line untouched


def test_a_section_not_in_the_report_is_added_at_the_end():
    before = render({"Loads": [Result("load", "1 s")]})
    after = update(before, {"The test suite": [Result("pytest", "9.0 min", goal="<= 8 min", met=False)]})
    assert after.startswith(before.rstrip())
    assert after.rstrip().endswith("| pytest | 9.0 min |  |  | <= 8 min | **no** |")
