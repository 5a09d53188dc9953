import { CaribouError } from '@caribou/domain-common';
import type { CollectorReport, DataCollectReport } from './collection-report';

export type DataCollectTarget = 'provider' | 'carbon' | 'performance' | 'workflow' | 'all';

export const DATA_COLLECT_TARGETS: readonly DataCollectTarget[] = ['provider', 'carbon', 'performance', 'workflow', 'all'];

export interface DataCollectOptions {
  /** Required for the `workflow` collector. */
  workflowId?: string;
}

/** Anything that collects one table family and reports per region (the three services). */
export interface RegionCollector {
  collect(): Promise<CollectorReport>;
}

export interface DataCollectDependencies {
  provider: RegionCollector;
  carbon: RegionCollector;
  performance: RegionCollector;
  /** The workflow collector lives with the log syncer; injected when the composition root has it. */
  collectWorkflow?: (workflowId: string) => Promise<unknown>;
}

/**
 * `caribou data_collect <collector>`: runs one collector, or `all` = provider, carbon,
 * performance in that order (carbon and performance read the regions the provider
 * collector writes), as the reference's CLI and remote handler do.
 */
export class DataCollectService {
  constructor(private readonly deps: DataCollectDependencies) {}

  async collect(collector: DataCollectTarget, options: DataCollectOptions = {}): Promise<DataCollectReport> {
    const report: DataCollectReport = { collectors: [], workflows: [] };
    switch (collector) {
      case 'provider':
      case 'carbon':
      case 'performance':
        report.collectors.push(await this.deps[collector].collect());
        return report;
      case 'all':
        for (const name of ['provider', 'carbon', 'performance'] as const) report.collectors.push(await this.deps[name].collect());
        return report;
      case 'workflow': {
        if (!options.workflowId) throw new CaribouError('Workflow_id must be provided for the workflow collector.');
        if (!this.deps.collectWorkflow) throw new CaribouError('the workflow collector is not available in this composition: collect provider, carbon or performance instead');
        await this.deps.collectWorkflow(options.workflowId);
        report.workflows.push(options.workflowId);
        return report;
      }
      default:
        throw new CaribouError(`Invalid collector specified '${String(collector)}', Allowed values are provider, carbon, performance, workflow, all`);
    }
  }
}
