"""Chart builders: data in, a display list (drawing.Drawing) out; writing files is the pack's."""

from indikator.charts.comparison import ComparisonSpec, comparison_chart, comparison_specs
from indikator.charts.stacked import ChartSpec, chart_specs, stacked_chart

__all__ = ["ChartSpec", "ComparisonSpec", "chart_specs", "comparison_chart", "comparison_specs",
           "stacked_chart"]
