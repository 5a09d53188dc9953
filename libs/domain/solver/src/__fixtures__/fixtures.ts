import { compileModel, solverInputFromInstanceFile, WorkflowModel, type ModelOptions } from '@caribou/domain-model';
import workedExample from './worked_example.json';
import instanceN3 from './instance_n3_r5_s1.json';
import instanceN10 from './instance_n10_r10_s1.json';
import resultN3 from './result_n3_r5_s1_all.json';
import resultN10 from './result_n10_r10_s1_coarse_stochastic.json';

export const instanceFiles = {
  workedExample: workedExample as unknown,
  n3: instanceN3 as unknown,
  n10: instanceN10 as unknown,
};

export interface ReferenceEvaluation {
  hour: string;
  label: string;
  deployment: number[];
  metrics_mean_over_repeats: Record<string, number>;
  metrics_std_over_repeats: Record<string, number>;
}

export interface ReferenceResult {
  reference_deployments: { repeats: number; evaluations: ReferenceEvaluation[] };
  algorithms: Array<{
    algorithm: string;
    metric_evaluations: number;
    staging_area_result: {
      time_keys_to_staging_area_data: Record<string, Record<string, { provider_region: { provider: string; region: string } }>>;
      deployment_metrics: Record<string, Record<string, number>>;
    };
  }>;
  deployment_manager: Record<string, unknown>;
}

export const referenceResults = {
  n3: resultN3 as unknown as ReferenceResult,
  n10: resultN10 as unknown as ReferenceResult,
};

export function modelOf(file: unknown, options: ModelOptions = {}): WorkflowModel {
  return new WorkflowModel(solverInputFromInstanceFile(file), options);
}

export function compiledOf(file: unknown, options: ModelOptions = {}) {
  return compileModel(modelOf(file, options));
}
