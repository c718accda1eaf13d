// Public door of src/report: report files and printed tables made from a run's results.
export { chromeTrace } from './chrome-trace.ts';
export { expertsCsv } from './experts-csv.ts';
export { linkUtilisationCsv, linksCsv } from './links-csv.ts';
export { formatBytes, formatCount, formatPercent, formatSeconds } from './format-units.ts';
export { toJsonText } from './json-text.ts';
export { summaryTable } from './summary-table.ts';
export type { WrittenReport } from './write-report.ts';
export { writeRunReport } from './write-report.ts';
export { COMPARE_CSV_COLUMNS, COMPARE_TABLE_COLUMNS, compareCsv, compareJson, compareTable } from './compare-report.ts';
export { compareCharts, compareHtmlReport } from './compare-html-report.ts';
export { writeCompareReport } from './write-compare-report.ts';
export { findChartFonts, heatmap, lineSeries, paretoFront, paretoFrontIndices, scatterPredictedVsPublished, stackedBars, svgToPng } from './charts/index.ts';
export type {
  BarSegment, ChartFonts, HeatmapData, HeatmapOptions, LineSeriesItem, LineSeriesOptions, ParetoOptions, ParetoPoint,
  PredictionPoint, ScatterOptions, StackedBarData, StackedBarOptions, XYPoint,
} from './charts/index.ts';
export { formatCaseError, formatCaseValue, validationChartSvg, validationMarkdown, validationHeadline, validationTable, writeValidationReport } from './validation-report.ts';
export { PLAN_CSV_COLUMNS, planCsv, planParetoSvg, planText, writePlanReport } from './plan-report.ts';
export { planHtmlReport, planScaling, planScalingSvg } from './plan-html-report.ts';
export { SWEEP_METRIC_COLUMNS, bestSweepRow, sweepColumns, sweepCsv, sweepJson, sweepSummaryLines, sweepTable, sweepTableColumns } from './sweep-report.ts';
export type { SweepTableColumn } from './sweep-report.ts';
export { sweepCharts, sweepHtmlReport } from './sweep-html-report.ts';
export type { SweepCharts } from './sweep-html-report.ts';
export { MAX_SCALING_SERIES, sweepScaling, sweepScalingCharts } from './sweep-scaling.ts';
export type { ScalingSeries, SweepScaling } from './sweep-scaling.ts';
export { writeSweepResults } from './write-sweep-report.ts';
export { SHARD_FILE, SWEEP_CHART_NAMES, SWEEP_MANIFEST, SWEEP_POINTS_DIR, clearSweepDir, writeFileAtomic, writePointRecord, writeShardFile, writeSweepManifest } from './sweep-store.ts';
