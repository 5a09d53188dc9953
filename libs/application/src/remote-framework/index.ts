export * from './timer-definitions';
export { checkScheduleExpression, FRAMEWORK_NOT_DEPLOYED, RemoteFrameworkTimers } from './timers';
export { remoteCommandPayload, REMOTE_COMMAND_NAMES } from './remote-commands';
export { RemoteFrameworkService } from './remote-framework.service';
export { RemoteFrameworkLedger, REMOTE_FRAMEWORK_LEDGER_KEY } from './remote-ledger';
export { RemoteFrameworkActions, WorkflowNotFoundError, metricsCalculatorOf } from './remote-framework-actions';
export type { RemoteFrameworkActionsDeps } from './remote-framework-actions';
export {
  parseRemoteEvent,
  REMOTE_ACTIONS,
  INTERNAL_ACTION_TYPES,
  COLLECTORS,
  CALCULATOR_TYPES,
} from './remote-events';
export type { RemoteEvent, InternalEvent, ParsedRemoteEvent, RemoteAction, InternalActionType, Collector, CalculatorType } from './remote-events';
