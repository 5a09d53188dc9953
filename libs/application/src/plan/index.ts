export { PlanReportService, placementSignature } from './plan-report';
export type { MetricDelta, PlanRecord, PlanReport, TimeKeyReport } from './plan-report';
export { PLAN_CHART_OPTION_ID, PLAN_LAYOUT, renderPlanHtml } from './plan-html';
