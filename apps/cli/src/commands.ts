import DataCollect from './commands/data_collect';
import Deploy from './commands/deploy';
import List from './commands/list';
import LogSync from './commands/log_sync';
import NewWorkflow from './commands/new_workflow';
import Plan from './commands/plan';
import Remove from './commands/remove';
import Run from './commands/run';
import RunDeploymentMigrator from './commands/run_deployment_migrator';
import SetupTables from './commands/setup_tables';
import Show from './commands/show';
import TeardownFramework from './commands/teardown_framework';
import Validate from './commands/validate';
import Version from './commands/version';

/** The explicit command registry oclif loads (package.json `oclif.commands`). */
export const COMMANDS = {
  data_collect: DataCollect,
  deploy: Deploy,
  list: List,
  log_sync: LogSync,
  new_workflow: NewWorkflow,
  plan: Plan,
  remove: Remove,
  run: Run,
  run_deployment_migrator: RunDeploymentMigrator,
  setup_tables: SetupTables,
  show: Show,
  teardown_framework: TeardownFramework,
  validate: Validate,
  version: Version,
};
