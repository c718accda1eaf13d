// The chart library of the reports: pure functions from data to SVG text, and svgToPng for slides.
export { scatterPredictedVsPublished } from './scatter.ts';
export type { PredictionPoint, ScatterOptions } from './scatter.ts';
export { stackedBars } from './stacked-bars.ts';
export type { BarSegment, StackedBarData, StackedBarOptions } from './stacked-bars.ts';
export { heatmap } from './heatmap.ts';
export type { HeatmapData, HeatmapOptions } from './heatmap.ts';
export { lineSeries } from './line-series.ts';
export type { LineSeriesItem, LineSeriesOptions, XYPoint } from './line-series.ts';
export { paretoFront, paretoFrontIndices } from './pareto.ts';
export type { ParetoOptions, ParetoPoint } from './pareto.ts';
export type { XYChartText } from './axes.ts';
export { findChartFonts, svgToPng } from './png.ts';
export type { ChartFonts } from './png.ts';
export { SERIES_COLOURS } from './style.ts';
export type { Hatch } from './style.ts';
