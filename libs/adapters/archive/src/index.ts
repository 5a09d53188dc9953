export { createZip } from './zip';
