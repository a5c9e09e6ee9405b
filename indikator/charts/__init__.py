"""Chart builders: data in, a matplotlib Figure out. Writing files is the pack's job."""

from indikator.charts.comparison import ComparisonSpec, comparison_chart, comparison_specs
from indikator.charts.stacked import ChartSpec, chart_specs, stacked_chart

__all__ = ["ChartSpec", "ComparisonSpec", "chart_specs", "comparison_chart", "comparison_specs",
           "stacked_chart"]
