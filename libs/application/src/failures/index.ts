export { FailureDestinationSetup, FRAMEWORK_LEDGER_KEY } from './failure-destination-setup';
export { FailedInvocationsService, UNKNOWN_WORKFLOW } from './failed-invocations.service';
export type { DrainReport, FailedInvocation } from './failed-invocations.service';
