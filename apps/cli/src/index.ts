export { COMMANDS } from './commands';
