"""Chart builders: data in, plotnine ggplot out. Writing files is the pack's job."""

from .stacked import ChartSpec, chart_specs, stacked_chart

__all__ = ["ChartSpec", "chart_specs", "stacked_chart"]
