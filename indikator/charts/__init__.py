"""Chart builders: data in, a matplotlib Figure out. Writing files is the pack's job."""

from .comparison import ComparisonSpec, comparison_chart, comparison_specs
from .stacked import ChartSpec, chart_specs, stacked_chart

__all__ = ["ChartSpec", "ComparisonSpec", "chart_specs", "comparison_chart", "comparison_specs",
           "stacked_chart"]
