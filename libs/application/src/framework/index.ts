export { FrameworkService } from './framework.service';
export type { FrameworkDeps, TeardownReport } from './framework.service';
