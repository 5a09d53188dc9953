import DataCollect from './commands/data_collect';
import Deploy from './commands/deploy';
import HelpCommand from './commands/help';
import DeployRemoteCli from './commands/deploy_remote_cli';
import List from './commands/list';
import ListTimers from './commands/list_timers';
import LogSync from './commands/log_sync';
import Logs from './commands/logs';
import ManageDeployments from './commands/manage_deployments';
import NewWorkflow from './commands/new_workflow';
import Plan from './commands/plan';
import Remove from './commands/remove';
import RemoveAllTimers from './commands/remove_all_timers';
import RemoveRemoteCli from './commands/remove_remote_cli';
import RemoveTimer from './commands/remove_timer';
import Report from './commands/report';
import Rollback from './commands/rollback';
import Run from './commands/run';
import RunDeploymentMigrator from './commands/run_deployment_migrator';
import Serve from './commands/serve';
import SetupAllTimers from './commands/setup_all_timers';
import SetupTables from './commands/setup_tables';
import SetupTimer from './commands/setup_timer';
import Show from './commands/show';
import TeardownFramework from './commands/teardown_framework';
import Validate from './commands/validate';
import Version from './commands/version';

/** The explicit command registry oclif loads (package.json `oclif.commands`). */
export const COMMANDS = {
  data_collect: DataCollect,
  deploy: Deploy,
  help: HelpCommand,
  deploy_remote_cli: DeployRemoteCli,
  list: List,
  list_timers: ListTimers,
  log_sync: LogSync,
  logs: Logs,
  manage_deployments: ManageDeployments,
  new_workflow: NewWorkflow,
  plan: Plan,
  remove: Remove,
  remove_all_timers: RemoveAllTimers,
  remove_remote_cli: RemoveRemoteCli,
  remove_timer: RemoveTimer,
  report: Report,
  rollback: Rollback,
  run: Run,
  run_deployment_migrator: RunDeploymentMigrator,
  serve: Serve,
  setup_all_timers: SetupAllTimers,
  setup_tables: SetupTables,
  setup_timer: SetupTimer,
  show: Show,
  teardown_framework: TeardownFramework,
  validate: Validate,
  version: Version,
};
