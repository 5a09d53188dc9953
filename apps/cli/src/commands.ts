import Deploy from './commands/deploy';
import List from './commands/list';
import Remove from './commands/remove';
import Run from './commands/run';
import Show from './commands/show';
import Version from './commands/version';

/** The explicit command registry oclif loads (package.json `oclif.commands`). */
export const COMMANDS = {
  deploy: Deploy,
  list: List,
  remove: Remove,
  run: Run,
  show: Show,
  version: Version,
};
