import { describe, expect, it } from 'vitest';
import { explainUnknownFlag, type FlagRegistry } from './unknown-flag';

const GLOBAL = [{ name: 'workflow-dir', char: 'p' }, { name: 'debug' }];
const REGISTRY: FlagRegistry = {
  deploy: [...GLOBAL, { name: 'dry-run' }, { name: 'json' }],
  run: [...GLOBAL, { name: 'argument', char: 'a' }, { name: 'times' }, { name: 'json' }],
  setup_all_timers: [...GLOBAL, { name: 'provider_collector' }, { name: 'carbon_collector' }],
  data_collect: [...GLOBAL, { name: 'workflow_id', char: 'w' }, { name: 'remote', char: 'r' }],
  log_sync: [...GLOBAL, { name: 'remote', char: 'r' }, { name: 'workflow' }],
  manage_deployments: [...GLOBAL, { name: 'deployment_metrics_calculator_type', hidden: true }],
};

describe('explainUnknownFlag', () => {
  it("names the reference's short form, its long form and the command that has it", () => {
    expect(explainUnknownFlag('deploy', '--provider_collector', ['deploy', '-prc', 'x'], REGISTRY)).toBe(
      'caribou deploy has no flag -prc (--provider_collector); it belongs to: caribou setup_all_timers (--provider_collector). caribou deploy --help lists its flags',
    );
  });

  it('gives the long form of a one-letter flag another command has, and lists every such command', () => {
    expect(explainUnknownFlag('run', '-w', ['run', 'wf', '-w', 'x'], REGISTRY)).toBe(
      'caribou run has no flag -w; it belongs to: caribou data_collect (-w, --workflow_id). caribou run --help lists its flags',
    );
    expect(explainUnknownFlag('deploy', '-r', ['deploy', '-r'], REGISTRY)).toBe(
      'caribou deploy has no flag -r; these have it: caribou data_collect (-r, --remote), caribou log_sync (-r, --remote). caribou deploy --help lists its flags',
    );
  });

  it('names three commands at most', () => {
    const many: FlagRegistry = { ...REGISTRY, a: [{ name: 'remote', char: 'r' }], b: [{ name: 'remote', char: 'r' }] };
    expect(explainUnknownFlag('deploy', '-r', ['deploy', '-r'], many)).toBe(
      'caribou deploy has no flag -r; these have it: caribou data_collect (-r, --remote), caribou log_sync (-r, --remote), caribou a (-r, --remote) and 1 more. caribou deploy --help lists its flags',
    );
  });

  it("suggests the command's own nearest flag, and says nothing of hidden ones", () => {
    expect(explainUnknownFlag('run', '--tims', ['run', 'wf', '--tims', '3'], REGISTRY)).toBe('caribou run has no flag --tims; did you mean --times? (caribou run --help lists its flags)');
    expect(explainUnknownFlag('deploy', '--deployment_metrics_calculator_type', [], REGISTRY)).toBe(
      'caribou deploy has no flag --deployment_metrics_calculator_type (caribou deploy --help lists its flags)',
    );
  });
});
