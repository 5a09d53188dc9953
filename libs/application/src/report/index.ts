export { CarbonReportService, parseReportBound } from './carbon-report.service';
export type { CarbonReportRequest, CarbonReportResult } from './carbon-report.service';
export { renderCarbonReportHtml, REPORT_LAYOUT } from './report-html';
export { carbonUnitFor, formatCarbon, formatPercent, formatSeconds, formatUsd, threeDigits } from './report-format';
export type { CarbonUnit } from './report-format';
