"""The server-drawn SVG charts: values placed on the grid, gaps for empty values, every label escaped."""

from __future__ import annotations

import re
from decimal import Decimal

from simkerma.kpis.charts import BOTTOM, HEIGHT, LEGEND_ROW, TOP, WIDTH, Series, bar_chart, line_chart


def test_it_draws_one_bar_per_value_at_its_height_with_links_and_a_target_line():
    svg = bar_chart(
        title="Coverage",
        labels=["2024", "2025"],
        values=[Decimal("50.00"), None],
        target=[75, 80],
        links=["/kpi/cakupan-prodi/?year=2024", "/kpi/cakupan-prodi/?year=2025"],
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('<rect class="chart-bar"') == 1  # no bar for an empty value
    plot = HEIGHT - TOP - BOTTOM
    # 50 % of a 0 to 100 axis: the bar's top halfway down the plot.
    assert f'y="{TOP + plot / 2:.1f}"'.replace(".0", "") in svg
    assert '<a href="/kpi/cakupan-prodi/?year=2024">' in svg
    assert "?year=2025" not in svg  # the empty year has no bar to link
    assert '<polyline class="chart-target"' in svg
    assert 'role="img"' in svg and "<title>Coverage</title>" in svg


def test_it_escapes_every_label_title_and_link():
    svg = line_chart(
        title='<script>alert("t")</script>',
        labels=["<b>01</b>"],
        series=[Series(label="<script>x</script>", values=[10], css='x" onload="y')],
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in svg
    assert "&lt;b&gt;01&lt;/b&gt;" in svg
    assert 'onload="y' not in svg
    bar = bar_chart(title="t", labels=["a"], values=[1], links=['/x?a=1&b="2"'])
    assert 'href="/x?a=1&amp;b=&quot;2&quot;"' in bar


def test_it_breaks_a_line_where_nothing_was_counted():
    svg = line_chart(title="t", labels=["1", "2", "3", "4"], series=[Series(label="a", values=[10, None, 20, 30])])
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 3


def test_it_wraps_a_long_legend_onto_more_rows_and_grows_to_hold_them():
    short = line_chart(title="t", labels=["1"], series=[Series(label="a", values=[1])])
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in short
    long = [
        Series(label=f"{letter}. " + "x" * 30, values=[1], css=f"chart-series-{i}") for i, letter in enumerate("abc")
    ]
    svg = line_chart(title="t", labels=["1"], series=long)
    assert f'viewBox="0 0 {WIDTH} {HEIGHT + LEGEND_ROW}"' in svg
    rows = {float(y) for y in re.findall(r'<rect class="chart-series-\d" x="[^"]+" y="([^"]+)"', svg)}
    assert len(rows) == 2
