import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validatedWorkflowOf } from '@caribou/domain-workflow';
import { loadProjectConfig } from './config-loader';
import { FileSystemProjectLoader } from './project-loader';
import { TEMPLATE_DIR, TemplateProjectScaffolder } from './scaffolder';

const EXAMPLES = resolve(TEMPLATE_DIR, '../../../../examples');
const loader = new FileSystemProjectLoader();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh project scaffolded from the template into a temp directory. */
async function scaffold(name = 'ITW'): Promise<string> {
  const parent = mkdtempSync(join(tmpdir(), 'caribou-loader-'));
  dirs.push(parent);
  return (await new TemplateProjectScaffolder().create(name, parent)).directory;
}

const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));

describe('the scaffolded template', () => {
  it('validates to the 7-function graph of reference-system §2.5', async () => {
    const project = await loader.load(await scaffold('ITW'));
    const p = 'ITW-0_0_1-';
    const first = `${p}First_Function:entry_point:0`;
    const second = `${p}Second_Function:${p}First_Function_0_0:1`;
    const third = `${p}Third_Function:${p}First_Function_0_1:2`;
    const sixth = `${p}Sixth_Function:${p}First_Function_0_2:3`;
    const fifth = `${p}Fifth_Function:sync:`;
    // Index 4 went to the Fifth sync instance (its index is not shown), so Fourth gets 5.
    const fourth = `${p}Fourth_Function:${p}Third_Function_2_0:5`;
    const seventh = `${p}Seventh_Function:sync:`;
    // dependent_sync_predecessors with the §12.2 #18 fix. Each pair is [last node before the
    // first sync node, that sync node] on a path from the instance:
    //   First → Second → Fifth;  First → Third → Fourth → Fifth;  First → Sixth → Seventh.
    // No instance here has two direct edges into sync nodes, the only case the reference got
    // wrong, so the fixed values equal the reference's table.
    expect(validatedWorkflowOf(project.workflow)).toEqual({
      workflow_id: 'ITW-0.0.1',
      instances: [
        {
          instance_name: first,
          preceding_instances: [],
          succeeding_instances: [second, third, sixth],
          dependent_sync_predecessors: [
            [second, fifth],
            [fourth, fifth],
            [sixth, seventh],
          ],
        },
        { instance_name: second, preceding_instances: [first], succeeding_instances: [fifth], dependent_sync_predecessors: [[second, fifth]] },
        { instance_name: third, preceding_instances: [first], succeeding_instances: [fourth], dependent_sync_predecessors: [[fourth, fifth]] },
        { instance_name: sixth, preceding_instances: [first], succeeding_instances: [seventh], dependent_sync_predecessors: [[sixth, seventh]] },
        { instance_name: fifth, preceding_instances: [second, fourth], succeeding_instances: [seventh], dependent_sync_predecessors: [[fifth, seventh]] },
        { instance_name: fourth, preceding_instances: [third], succeeding_instances: [fifth], dependent_sync_predecessors: [[fourth, fifth]] },
        { instance_name: seventh, preceding_instances: [sixth, fifth], succeeding_instances: [], dependent_sync_predecessors: [] },
      ],
      edges: [
        [first, second],
        [first, third],
        [first, sixth],
        [second, fifth],
        [third, fourth],
        [sixth, seventh],
        [fifth, seventh],
        [fourth, fifth],
      ],
    });
  });

  it('loads config, policy, functions and home-region resources', async () => {
    const dir = await scaffold('my_flow');
    const project = await loader.load(dir);
    expect(project.projectDir).toBe(dir);
    expect(project.appEntry).toBe('src/app.ts');
    expect(project.config.home_region).toEqual({ provider: 'local', region: 'us-east-1' });
    expect(Object.keys(project.iamPolicy)).toEqual(['aws', 'local']);
    expect(project.functions.map((fn) => [fn.name, fn.isSync, fn.location])).toEqual([
      ['First_Function', false, 'src/app.ts:18'],
      ['Second_Function', false, 'src/app.ts:36'],
      ['Third_Function', false, 'src/app.ts:42'],
      ['Fourth_Function', false, 'src/app.ts:48'],
      ['Fifth_Function', true, 'src/app.ts:54'],
      ['Sixth_Function', false, 'src/app.ts:63'],
      ['Seventh_Function', true, 'src/app.ts:69'],
    ]);
    expect(project.functions[0]).toMatchObject({
      entryPoint: true,
      successors: ['Second_Function', 'Third_Function', 'Sixth_Function'],
      environmentVariables: [{ key: 'example_key', value: 'example_value' }],
    });
    expect(project.workflow.resources[0]).toMatchObject({
      physicalName: 'my_flow-0_0_1-First_Function_local-us-east-1',
      roleName: 'my_flow-0_0_1-First_Function-role',
      environmentVariables: { ENV_VAR_1: 'value_1', example_key: 'example_value' },
      providers: { local: { config: { timeout: 60, memory: 128 } } },
    });
  });

  it('has a config that conforms to the schema before substitution (reference test_config_conforms_to_schema)', () => {
    expect(loadProjectConfig(TEMPLATE_DIR).workflow_name).toBe('{{ workflow_name }}');
  });
});

describe('examples', () => {
  it('small_sync_example validates to its §2.5 graph, with the entry’s pairs fixed', async () => {
    const project = await loader.load(join(EXAMPLES, 'small_sync_example'));
    const entry = 'small_sync_example-0_0_1-initial_function:entry_point:0';
    const sync = 'small_sync_example-0_0_1-syncFunction:sync:';
    const second = 'small_sync_example-0_0_1-secondSyncFunction:sync:';
    // From the entry, the paths stop at the first sync node: entry → sync and
    // entry → second. Both pairs therefore start at the entry. The reference printed
    // [sync, second] as the second pair (§12.2 #18): it appended the second sync edge to
    // the path of the first. [sync, second] belongs to syncFunction's own list, which is what
    // a skipped call into syncFunction uses to release secondSyncFunction.
    expect(validatedWorkflowOf(project.workflow)).toEqual({
      workflow_id: 'small_sync_example-0.0.1',
      instances: [
        {
          instance_name: entry,
          preceding_instances: [],
          succeeding_instances: [sync, sync, second],
          dependent_sync_predecessors: [
            [entry, sync],
            [entry, second],
          ],
        },
        { instance_name: sync, preceding_instances: [entry, entry], succeeding_instances: [second], dependent_sync_predecessors: [[sync, second]] },
        { instance_name: second, preceding_instances: [entry, sync], succeeding_instances: [], dependent_sync_predecessors: [] },
      ],
      edges: [
        [entry, sync],
        [entry, sync],
        [entry, second],
        [sync, second],
      ],
    });
  });

  it('map_reduce fans out to four mapper instances and in to one reducer', async () => {
    const project = await loader.load(join(EXAMPLES, 'map_reduce'));
    const validated = validatedWorkflowOf(project.workflow);
    const entry = 'map_reduce-0_0_1-splitter:entry_point:0';
    const reducer = 'map_reduce-0_0_1-reducer:sync:';
    const mappers = [0, 1, 2, 3].map((k) => `map_reduce-0_0_1-mapper:map_reduce-0_0_1-splitter_0_${k}:${k + 1}`);
    expect(validated.instances.map((instance) => instance.instance_name)).toEqual([entry, ...mappers, reducer]);
    expect(validated.instances.at(-1)).toEqual({
      instance_name: reducer,
      preceding_instances: mappers,
      succeeding_instances: [],
      dependent_sync_predecessors: [],
    });
    expect(validated.instances[0]!.dependent_sync_predecessors).toEqual(mappers.map((mapper) => [mapper, reducer]));
  });
});

describe('data_locality', () => {
  it('summarize declares where its data lives: the solver gets its data_location, the function CARIBOU_DATA_REGION', async () => {
    const project = await loader.load(join(EXAMPLES, 'data_locality'));
    const summarize = project.functions.find((fn) => fn.name === 'summarize')!;
    expect(summarize.dataRegion).toEqual({ provider: 'local', region: 'us-east-1' });
    expect(summarize.dataBytesPerInvocation).toBe(16 * 1024);
    expect(project.workflow.instances.map((instance) => instance.dataLocation)).toEqual([
      null,
      { provider: 'local', region: 'us-east-1', bytesPerInvocation: 16 * 1024 },
    ]);
    expect(project.workflow.resources.find((r) => r.functionName === 'summarize')!.environmentVariables).toMatchObject({ CARIBOU_DATA_REGION: 'local:us-east-1' });
    expect(project.workflow.resources.find((r) => r.functionName === 'ingest')!.environmentVariables).toMatchObject({ CARIBOU_CLIENT_REGION: 'local:us-east-1' });
  });

  it('a data region outside the shipped data, or bytes without a region, is refused in one line', async () => {
    const known = new FileSystemProjectLoader({ knownRegionCodes: new Set(['us-east-1', 'eu-north-1']) });
    const parent = mkdtempSync(join(tmpdir(), 'caribou-loader-'));
    dirs.push(parent);
    const dir = join(parent, 'data_locality');
    cpSync(join(EXAMPLES, 'data_locality'), dir, { recursive: true });
    edit(dir, 'src/app.ts', (text) => text.replace("dataRegion: { provider: 'local', region: 'us-east-1' }", "dataRegion: { provider: 'local', region: 'xy-north-9' }"));
    await expect(known.load(dir)).rejects.toThrow(
      /^function summarize: dataRegion: Region local:xy-north-9 is in none of the shipped region data; use an AWS region code such as us-east-1$/,
    );
    edit(dir, 'src/app.ts', (text) => text.replace("dataRegion: { provider: 'local', region: 'xy-north-9' },", ''));
    await expect(known.load(dir)).rejects.toThrow(/^Unable to import src\/app\.ts: summarize: dataBytesPerInvocation needs dataRegion, where the data lives$/);
  });
});

describe('load errors', () => {
  it('a missing or unparsable config', async () => {
    const dir = await scaffold();
    rmSync(join(dir, '.caribou/config.yml'));
    await expect(loader.load(dir)).rejects.toThrow(
      `Could not load project config: .caribou/config.yml in ${dir}: file not found; run it in a Caribou project, pass its directory with -p, or create one with caribou new_workflow <name>`,
    );
    writeFileSync(join(dir, '.caribou/config.yml'), 'workflow_name: [unclosed\n');
    await expect(loader.load(dir)).rejects.toThrow(/^Unable to parse project config: \.caribou\/config\.yml: .* at line 1, column \d+; fix the YAML there$/);
  });

  it('a config that is empty, a list or binary names the file and what it needs', async () => {
    const dir = await scaffold();
    for (const [content, found] of [['', 'is empty'], ['# nothing yet\n', 'is empty'], ['- a list\n', 'holds a list'], ['\u0000\u00ff', 'holds a string']] as const) {
      writeFileSync(join(dir, '.caribou/config.yml'), content);
      await expect(loader.load(dir)).rejects.toThrow(
        `project config must be a dictionary: .caribou/config.yml in ${dir} ${found}; it needs workflow_name, workflow_version, home_region and the rest of the config caribou new_workflow writes`,
      );
    }
  });

  it('an invalid config names the field', async () => {
    const dir = await scaffold();
    edit(dir, '.caribou/config.yml', (text) => text.replace('memory: 128', 'memory: lots'));
    await expect(loader.load(dir)).rejects.toThrow(
      "Invalid project config: regions_and_providers.providers.local.config.memory: The 'config' dictionary must contain 'memory' key with an integer value",
    );
  });

  it('names that differ between config and app', async () => {
    const dir = await scaffold('ITW');
    edit(dir, 'src/app.ts', (text) => text.replace("name: 'ITW'", "name: 'Other'"));
    await expect(loader.load(dir)).rejects.toThrow(
      'Workflow name in config and workflow app must match: .caribou/config.yml says "ITW", src/app.ts says "Other"',
    );
    edit(dir, 'src/app.ts', (text) => text.replace("name: 'Other', version: '0.0.1'", "name: 'ITW', version: '0.0.2'"));
    await expect(loader.load(dir)).rejects.toThrow('Workflow version in config and workflow app must match');
  });

  it('an app that does not compile, throws on import, or exports no workflow', async () => {
    const dir = await scaffold();
    edit(dir, 'src/app.ts', (text) => `${text}\nconst broken = ;\n`);
    await expect(loader.load(dir)).rejects.toThrow(/^Unable to import src\/app\.ts: Unexpected ";" at src\/app\.ts:\d+$/);
    edit(dir, 'src/app.ts', (text) => text.replace('const broken = ;', "throw new Error('boom at import');"));
    await expect(loader.load(dir)).rejects.toThrow('Unable to import src/app.ts: boom at import');
    edit(dir, 'src/app.ts', (text) =>
      text.replace("throw new Error('boom at import');", '').replace('export const workflow =', 'const workflow ='),
    );
    await expect(loader.load(dir)).rejects.toThrow('src/app.ts must export its workflow');
    rmSync(join(dir, 'src/app.ts'));
    await expect(loader.load(dir)).rejects.toThrow('Could not find the workflow app src/app.ts');
  });

  it('accepts the workflow as the default export', async () => {
    const dir = await scaffold();
    edit(dir, 'src/app.ts', (text) => `${text.replace('export const workflow =', 'const workflow =')}\nexport default workflow;\n`);
    expect((await loader.load(dir)).workflow.workflowId).toBe('ITW-0.0.1');
  });

  it('an unresolvable successor names file and line', async () => {
    const dir = await scaffold();
    edit(dir, 'src/app.ts', (text) => text.replace('invokeServerlessFunction(fourthFunction,', 'invokeServerlessFunction((fourthFunction as any),'));
    await expect(loader.load(dir)).rejects.toThrow(
      "invokeServerlessFunction's first argument must be a function registered with serverlessFunction; found (fourthFunction as any) at src/app.ts:44",
    );
  });

  it('a policy file without the home provider', async () => {
    const dir = await scaffold();
    writeFileSync(join(dir, '.caribou/iam_policy.json'), '{"aws": {}}');
    await expect(loader.load(dir)).rejects.toThrow('Provider local not found in policy file .caribou/iam_policy.json');
    rmSync(join(dir, '.caribou/iam_policy.json'));
    await expect(loader.load(dir)).rejects.toThrow('Could not load the IAM policy file .caribou/iam_policy.json');
  });

  it('an iam_policy_file outside .caribou/ is refused without reading it (a parse error would quote the file)', async () => {
    const dir = await scaffold();
    for (const name of ['../../../etc/passwd', '..', '.']) {
      edit(dir, '.caribou/config.yml', (text) => text.replace(/iam_policy_file: .*/, `iam_policy_file: ${JSON.stringify(name)}`));
      await expect(loader.load(dir)).rejects.toThrow(
        `iam_policy_file in .caribou/config.yml is ${JSON.stringify(name)}, which is not a file in .caribou/; name a file there, e.g. iam_policy.json`,
      );
    }
  });

  it('DAG errors from the app', async () => {
    const dir = await scaffold();
    edit(dir, 'src/app.ts', (text) => text.replace("{ name: 'Second_Function' }", "{ name: 'Second_Function', entryPoint: true }"));
    await expect(loader.load(dir)).rejects.toThrow('Multiple entry points defined');
    edit(dir, 'src/app.ts', (text) =>
      text
        .replace("{ name: 'Second_Function', entryPoint: true }", "{ name: 'Second_Function' }")
        .replace("workflow.invokeServerlessFunction(seventhFunction, { hello: 'Sixth", "workflow.invokeServerlessFunction(firstFunction, { hello: 'Sixth"),
    );
    await expect(loader.load(dir)).rejects.toThrow(
      'Cycle detected: ITW-0_0_1-First_Function_local-us-east-1 is being visited again',
    );
  });
});
