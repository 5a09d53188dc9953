import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// This test is its own composition root: it runs the services over the real project
// adapter (real files in temp directories) instead of stand-ins for the ports.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { FileSystemProjectLoader, TemplateProjectScaffolder } from '@caribou/adapter-project';
import { FixedClock } from '../log-sync/testing/fixed-clock';
import { NewWorkflowService } from './new-workflow.service';
import { renderValidatedWorkflow, ValidateProjectService } from './validate-project.service';

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'caribou-app-project-'));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

const newWorkflow = new NewWorkflowService(new TemplateProjectScaffolder());
const warnings: string[] = [];
const quiet = { step: <T>(_title: string, work: (update: (detail: string) => void) => Promise<T>) => work(() => undefined), info: () => undefined, warn: (line: string) => void warnings.push(line) };
/** The day the runtime table was checked: nodejs20.x is blocked, nodejs22.x and nodejs24.x are not. */
const TODAY = Date.UTC(2026, 11, 3);
const validateProject = new ValidateProjectService(new FileSystemProjectLoader(), new FixedClock(TODAY), quiet);

describe('NewWorkflowService', () => {
  it('creates the project and says where', async () => {
    const result = await newWorkflow.create('demo', parent);
    expect(result.message).toBe('Created new workflow in ./demo');
    expect(result.directory).toBe(join(parent, 'demo'));
    expect(result.files).toContain('src/app.ts');
  });

  it('refuses an existing project or an invalid name, writing nothing', async () => {
    await newWorkflow.create('demo', parent);
    await expect(newWorkflow.create('demo', parent)).rejects.toThrow('Workflow demo already exists.');
    await expect(newWorkflow.create('no spaces', parent)).rejects.toThrow(
      'Workflow name must contain only letters, numbers, or underscores',
    );
    expect(readdirSync(parent)).toEqual(['demo']);
  });
});

describe('ValidateProjectService', () => {
  it('returns the graph of a new project as JSON and renders it', async () => {
    const { directory } = await newWorkflow.create('demo', parent);
    const validated = await validateProject.validate(directory);
    expect(JSON.parse(JSON.stringify(validated))).toEqual(validated);
    expect(Object.keys(validated)).toEqual(['workflow_id', 'instances', 'edges']);
    expect(Object.keys(validated.instances[0]!)).toEqual([
      'instance_name',
      'preceding_instances',
      'succeeding_instances',
      'dependent_sync_predecessors',
    ]);
    expect(renderValidatedWorkflow(validated).split('\n')).toEqual([
      'Workflow demo-0.0.1 is valid: 7 functions, 7 instances, 8 calls (nothing deployed)',
      '  First_Function (entry point) → Second_Function, Third_Function, Sixth_Function',
      '  Second_Function → Fifth_Function',
      '  Third_Function → Fourth_Function',
      '  Sixth_Function → Seventh_Function',
      '  Fifth_Function (fan-in: waits for Second_Function, Fourth_Function) → Seventh_Function',
      '  Fourth_Function → Fifth_Function',
      '  Seventh_Function (fan-in: waits for Sixth_Function, Fifth_Function)',
      '--verbose lists every instance name and edge; --json prints the graph.',
    ]);
    const text = renderValidatedWorkflow(validated, { verbose: true });
    expect(text.split('\n').slice(0, 8)).toEqual([
      'Workflow demo-0.0.1: 7 instances, 8 edges',
      '',
      'Instances:',
      '  demo-0_0_1-First_Function:entry_point:0 (entry point)',
      '    preceding:  -',
      '    succeeding: demo-0_0_1-Second_Function:demo-0_0_1-First_Function_0_0:1, demo-0_0_1-Third_Function:demo-0_0_1-First_Function_0_1:2, demo-0_0_1-Sixth_Function:demo-0_0_1-First_Function_0_2:3',
      '    dependent_sync_predecessors: demo-0_0_1-Second_Function:demo-0_0_1-First_Function_0_0:1 -> demo-0_0_1-Fifth_Function:sync:, demo-0_0_1-Fourth_Function:demo-0_0_1-Third_Function_2_0:5 -> demo-0_0_1-Fifth_Function:sync:, demo-0_0_1-Sixth_Function:demo-0_0_1-First_Function_0_2:3 -> demo-0_0_1-Seventh_Function:sync:',
      '  demo-0_0_1-Second_Function:demo-0_0_1-First_Function_0_0:1',
    ]);
    expect(text).toContain('  demo-0_0_1-Fifth_Function:sync: (sync)');
    expect(text.split('\n').slice(-9)).toEqual([
      'Edges:',
      '  demo-0_0_1-First_Function:entry_point:0 -> demo-0_0_1-Second_Function:demo-0_0_1-First_Function_0_0:1',
      '  demo-0_0_1-First_Function:entry_point:0 -> demo-0_0_1-Third_Function:demo-0_0_1-First_Function_0_1:2',
      '  demo-0_0_1-First_Function:entry_point:0 -> demo-0_0_1-Sixth_Function:demo-0_0_1-First_Function_0_2:3',
      '  demo-0_0_1-Second_Function:demo-0_0_1-First_Function_0_0:1 -> demo-0_0_1-Fifth_Function:sync:',
      '  demo-0_0_1-Third_Function:demo-0_0_1-First_Function_0_1:2 -> demo-0_0_1-Fourth_Function:demo-0_0_1-Third_Function_2_0:5',
      '  demo-0_0_1-Sixth_Function:demo-0_0_1-First_Function_0_2:3 -> demo-0_0_1-Seventh_Function:sync:',
      '  demo-0_0_1-Fifth_Function:sync: -> demo-0_0_1-Seventh_Function:sync:',
      '  demo-0_0_1-Fourth_Function:demo-0_0_1-Third_Function_2_0:5 -> demo-0_0_1-Fifth_Function:sync:',
    ]);
  });

  const withAwsRuntime = (directory: string, runtime: string): void => {
    const path = join(directory, '.caribou', 'config.yml');
    const config = readFileSync(path, 'utf8').replace('  providers:\n', `  providers:\n    aws:\n      config:\n        timeout: 60\n        memory: 128\n        runtime: "${runtime}"\n`);
    writeFileSync(path, config);
  };

  it('names an instance by its function, with the instance index when the function runs from several places, and counts repeated calls', () => {
    const node = (instance_name: string, preceding_instances: string[], succeeding_instances: string[]) => ({ instance_name, preceding_instances, succeeding_instances, dependent_sync_predecessors: [] });
    const [entry, left, right, join] = ['w-1-a:entry_point:0', 'w-1-b:w-1-a_0_0:1', 'w-1-b:w-1-a_0_1:2', 'w-1-c:sync:'];
    const text = renderValidatedWorkflow({
      workflow_id: 'w-1',
      instances: [node(entry, [], [left, right]), node(left, [entry], [join, join]), node(right, [entry], [join]), node(join, [left, left, right], [])],
      edges: [[entry, left], [entry, right], [left, join], [left, join], [right, join]],
    });
    expect(text.split('\n')).toEqual([
      'Workflow w-1 is valid: 3 functions, 4 instances, 5 calls (nothing deployed)',
      '  a (entry point) → b#1, b#2',
      '  b#1 → c ×2',
      '  b#2 → c',
      '  c (fan-in: waits for b#1 ×2, b#2)',
      '--verbose lists every instance name and edge; --json prints the graph.',
    ]);
  });

  it('refuses a Lambda runtime AWS blocks, in one line naming the runtime field and the supported values', async () => {
    const { directory } = await newWorkflow.create('demo', parent);
    withAwsRuntime(directory, 'nodejs20.x');
    await expect(validateProject.validate(directory)).rejects.toThrow(
      'regions_and_providers.providers.aws.config.runtime: nodejs20.x is blocked by AWS Lambda (no new functions since 2026-08-31, no updates since 2026-09-30); use one of nodejs22.x, nodejs24.x',
    );
  });

  it('accepts a supported runtime, and warns once it is deprecated', async () => {
    const { directory } = await newWorkflow.create('demo', parent);
    withAwsRuntime(directory, 'nodejs22.x');
    warnings.length = 0;
    await validateProject.validate(directory);
    expect(warnings).toEqual([]);
    const later = new ValidateProjectService(new FileSystemProjectLoader(), new FixedClock(Date.UTC(2027, 4, 1)), quiet);
    await later.validate(directory);
    expect(warnings).toEqual([
      'regions_and_providers.providers.aws.config.runtime: nodejs22.x is deprecated by AWS Lambda since 2027-04-30; creating functions with it is blocked from 2027-06-01, move to nodejs24.x',
    ]);
  });

  it('passes the loader’s one-line errors through', async () => {
    await expect(validateProject.validate(join(parent, 'missing'))).rejects.toThrow('Could not load project config');
  });
});
