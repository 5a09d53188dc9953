import { CaribouError } from '@caribou/domain-common';
import { timerDefinition } from './timer-definitions';

/** The CLI commands `-r/--remote` runs on the framework, and the timer each one stands for (spec §1.3). */
const REMOTE_COMMANDS: Record<string, { payload: Record<string, unknown>; needsWorkflow?: boolean }> = {
  data_collect: { payload: { action: 'data_collect' } },
  log_sync: { payload: timerDefinition('log_syncer').payload },
  manage_deployments: { payload: timerDefinition('deployment_manager').payload },
  run_deployment_migrator: { payload: timerDefinition('deployment_migrator').payload },
  remove: { payload: { action: 'remove' }, needsWorkflow: true },
};

export const REMOTE_COMMAND_NAMES = Object.keys(REMOTE_COMMANDS);

/**
 * The event `caribou <command> -r` sends to `caribou_cli`: the command's base payload, the
 * command's own keys (`collector`, `workflow_id`). Unknown commands and missing workflow ids
 * are refused with the reference's messages.
 */
export function remoteCommandPayload(command: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const known = REMOTE_COMMANDS[command];
  if (!known) throw new CaribouError(`Invalid or no directly translation action type: ${command}; -r works with ${REMOTE_COMMAND_NAMES.join(', ')}`);
  const defined = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined && value !== null && value !== ''));
  const needsWorkflow = known.needsWorkflow || (command === 'data_collect' && defined.collector === 'workflow');
  if (needsWorkflow && typeof defined.workflow_id !== 'string') throw new CaribouError('Workflow ID must be provided for this command.');
  return { ...known.payload, ...defined };
}
