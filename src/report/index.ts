// Public door of src/report: report files and printed tables made from a run's results.
export { chromeTrace } from './run/chrome-trace.ts';
export { expertsCsv } from './run/experts-csv.ts';
export { linkUtilisationCsv, linksCsv } from './run/links-csv.ts';
export { formatBytes, formatCount, formatPercent, formatSeconds } from './common/format-units.ts';
export { toJsonText } from './common/json-text.ts';
export { summaryTable } from './run/summary-table.ts';
export type { WrittenReport } from './run/write-run-report.ts';
export { RUN_REPORT_LAYOUT, writeRunReport } from './run/write-run-report.ts';
export { checkReportDir, checkReportTarget, writeReportFiles } from './common/report-dir.ts';
export type { ReportLayout } from './common/report-dir.ts';
export { COMPARE_CSV_COLUMNS, COMPARE_TABLE_COLUMNS, compareCsv, compareJson, compareTable } from './compare/compare-report.ts';
export { compareCharts, compareHtmlReport } from './compare/compare-html-report.ts';
export { writeCompareReport } from './compare/write-compare-report.ts';
export { findChartFonts, heatmap, lineSeries, paretoFront, paretoFrontIndices, scatterPredictedVsPublished, stackedBars, svgToPng } from './charts/index.ts';
export type {
  BarSegment, ChartFonts, HeatmapData, HeatmapOptions, LineSeriesItem, LineSeriesOptions, ParetoOptions, ParetoPoint,
  PredictionPoint, ScatterOptions, StackedBarData, StackedBarOptions, XYPoint,
} from './charts/index.ts';
export { formatCaseError, formatCaseValue, validationChartSvg, validationMarkdown, validationHeadline, validationTable, writeValidationReport } from './validation/validation-report.ts';
export { PLAN_CSV_COLUMNS, planCsv, planParetoSvg, planText, writePlanReport } from './plan/plan-report.ts';
export { planHtmlReport, planScaling, planScalingSvg } from './plan/plan-html-report.ts';
export { SWEEP_METRIC_COLUMNS, bestSweepRow, sweepColumns, sweepCsv, sweepJson, sweepSummaryLines, sweepTable, sweepTableColumns } from './sweep/sweep-report.ts';
export type { SweepTableColumn } from './sweep/sweep-report.ts';
export { sweepCharts, sweepHtmlReport } from './sweep/sweep-html-report.ts';
export type { SweepCharts } from './sweep/sweep-html-report.ts';
export { MAX_SCALING_SERIES, sweepScaling, sweepScalingCharts } from './sweep/sweep-scaling.ts';
export type { ScalingSeries, SweepScaling } from './sweep/sweep-scaling.ts';
export { writeSweepResults } from './sweep/write-sweep-report.ts';
export { writeFileAtomic } from './common/atomic-file.ts';
export { SHARD_FILE, SWEEP_CHART_NAMES, SWEEP_MANIFEST, SWEEP_POINTS_DIR, clearSweepDir, openSweepDir, readShardFiles, writePointRecord, writeShardFile, writeSweepManifest } from './sweep/sweep-directory.ts';
