export { PlanReportService } from './plan-report';
export type { MetricDelta, PlanRecord, PlanReport, TimeKeyReport } from './plan-report';
export { renderPlanHtml } from './plan-html';
