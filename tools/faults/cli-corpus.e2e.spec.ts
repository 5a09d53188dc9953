import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'libsql';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';
import { emptyFigures, formatFigures, recordRefusal, saveFigures } from './figures';
import { freshHome, projectCopy, writeProject } from './cli-process';
import { LocalHomeInspector } from './local-home';

/**
 * One named case per bug of issue 22 that was an input Caribou accepted or failed on
 * messily: each must end with a non-zero exit, one stderr line naming the field (or file,
 * table) and the fix, no stack trace, and the store as it was.
 */
const figures = emptyFigures();
const homes: string[] = [];
const WORKFLOW = 'small_sync_example-0.0.1';
let deployed: string;

beforeAll(async () => {
  deployed = freshHome('corpus');
  homes.push(deployed);
  const deploy = await runCli(['deploy', '-p', join(REPO_ROOT, 'examples/small_sync_example')], { env: { CARIBOU_HOME: deployed } });
  expect(deploy.code, deploy.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  console.log(formatFigures('CLI corpus (named cases)', figures));
  saveFigures('CLI corpus (named cases)', figures);
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

const config = (edit: (text: string) => string) => projectCopy('small_sync_example', { '.caribou/config.yml': edit });
const app = (body: string) =>
  writeProject(
    'corpus',
    `import { CaribouWorkflow } from '@caribou/sdk';
export const workflow = new CaribouWorkflow({ name: 'corpus', version: '0.0.1' });
export const leaf = workflow.serverlessFunction({ name: 'leaf' }, async () => 1);
${body}
`,
  );
const chain = (length: number) =>
  [...Array(length).keys()]
    .reverse()
    .map((i) =>
      i === length - 1
        ? `export const f${i} = workflow.serverlessFunction({ name: 'f${i}' }, async () => 1);`
        : `export const f${i} = workflow.serverlessFunction({ name: 'f${i}'${i === 0 ? ', entryPoint: true' : ''} }, async () => { workflow.invokeServerlessFunction(f${i + 1}, {}); });`,
    )
    .join('\n');

interface Case {
  name: string;
  args: () => string[];
  /** The home the command runs against (the deployed one by default). */
  home?: () => string;
  env?: Record<string, string>;
  message: RegExp;
}

const CASES: Case[] = [
  { name: 'timeout −5', args: () => ['deploy', '-p', config((t) => t.replace(/timeout: \d+/, 'timeout: -5'))], message: /providers\.local\.config\.timeout: must be between 1 and 900/ },
  { name: 'memory 0', args: () => ['deploy', '-p', config((t) => t.replace(/memory: \d+/, 'memory: 0'))], message: /providers\.local\.config\.memory: must be between 128 and 10240 MB/ },
  { name: 'memory 1e15', args: () => ['deploy', '-p', config((t) => t.replace(/memory: \d+/, 'memory: 1000000000000000'))], message: /config\.memory: must be between 128 and 10240 MB/ },
  {
    name: 'relative cost −100',
    args: () => ['validate', '-p', config((t) => t.replace('value: 125', 'value: -100'))],
    message: /hard_resource_constraints\.cost\.value: a relative limit/,
  },
  { name: 'region in no dataset', args: () => ['deploy', '-p', config((t) => t.replace(/region: "us-east-1"/, 'region: "us-fake-9"'))], message: /home_region: Region local:us-fake-9 is in none of the shipped region data/ },
  { name: 'chain deeper than 20 hops', args: () => ['validate', '-p', app(chain(21))], message: /longest call chain has 21 functions.*src\/app\.ts:\d+/ },
  {
    name: 'entry point calling getPredecessorData',
    args: () => ['validate', '-p', app(`export const e = workflow.serverlessFunction({ name: 'e', entryPoint: true }, async () => { workflow.getPredecessorData(); workflow.invokeServerlessFunction(leaf, {}); });`)],
    message: /Function e \(src\/app\.ts:\d+\) is the entry point and calls getPredecessorData/,
  },
  {
    name: 'aliased invoke call',
    args: () => ['validate', '-p', app(`export const e = workflow.serverlessFunction({ name: 'e', entryPoint: true }, async () => { const go = workflow.invokeServerlessFunction; go(leaf, {}); });`)],
    message: /invokeServerlessFunction at src\/app\.ts:\d+ is used as a value/,
  },
  {
    name: "workflow['…'] invoke call",
    args: () => ['validate', '-p', app(`export const e = workflow.serverlessFunction({ name: 'e', entryPoint: true }, async () => { workflow['invokeServerlessFunction'](leaf, {}); });`)],
    message: /invokeServerlessFunction at src\/app\.ts:\d+ is reached by a computed property/,
  },
  {
    name: 'endless loop at the top level of the app',
    args: () => ['validate', '-p', app(`export const e = workflow.serverlessFunction({ name: 'e', entryPoint: true }, async () => 1);\nwhile (Date.now() > 0) { /* forever */ }`)],
    env: { CARIBOU_APP_LOAD_TIMEOUT: '5' },
    message: /src\/app\.ts did not finish loading within 5 s/,
  },
  {
    name: 'config.yml → /dev/zero',
    args: () => {
      const dir = projectCopy('small_sync_example');
      rmSync(join(dir, '.caribou/config.yml'));
      symlinkSync('/dev/zero', join(dir, '.caribou/config.yml'));
      return ['validate', '-p', dir];
    },
    message: /config\.yml in .*: not a regular file/,
  },
  {
    name: 'corrupted stored row',
    args: () => {
      const db = new Database(join(deployed, 'local.db'));
      // Plain text in place of the compressed row: the damage is inside a field.
      db.prepare(`UPDATE kv SET value = '{"deployed_regions": "{broken"}', compressed = 0 WHERE tbl = 'deployment_resources_table'`).run();
      db.close();
      return ['show', WORKFLOW];
    },
    message: /Stored row deployment_resources_table\[small_sync_example-0\.0\.1\]\.deployed_regions is damaged .*: remove the workflow/,
  },
  {
    name: 'compressed stored row that is not brotli',
    args: () => {
      const db = new Database(join(deployed, 'local.db'));
      db.prepare(`UPDATE kv SET value = X'00FFEE', compressed = 1 WHERE tbl = 'deployment_resources_table'`).run();
      db.close();
      return ['show', WORKFLOW];
    },
    message: /Stored row deployment_resources_table\[small_sync_example-0\.0\.1\] is damaged \(marked compressed but not brotli-compressed text.*\): .*remove the workflow/,
  },
  {
    name: 'zero-length local.db',
    home: () => {
      const home = freshHome('corpus-empty');
      homes.push(home);
      writeFileSync(join(home, 'local.db'), '');
      return home;
    },
    args: () => ['list'],
    message: /local\.db is empty \(0 bytes\).*move it away/,
  },
  {
    name: "another program's database",
    home: () => {
      const home = freshHome('corpus-foreign');
      homes.push(home);
      const db = new Database(join(home, 'local.db'));
      db.exec('CREATE TABLE accounts (id INTEGER)');
      db.close();
      return home;
    },
    args: () => ['list'],
    message: /database of another program/,
  },
  { name: '--times 0', args: () => ['run', WORKFLOW, '--times', '0'], message: /--times.*greater than or equal to 1/ },
  { name: 'argument that is not JSON', args: () => ['run', WORKFLOW, '-a', '{not json'], message: /--argument must be a valid JSON string/ },
  {
    // The remote framework checks its role, function (and repository) in parallel: every one of them fails at once.
    name: '-r without AWS credentials',
    args: () => ['log_sync', '-r'],
    env: {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
      AWS_WEB_IDENTITY_TOKEN_FILE: '',
      CARIBOU_AWS_ENDPOINT: '',
    },
    message: /Could not check the remote framework in [a-z0-9-]+: .*no AWS credentials: set AWS_PROFILE/,
  },
  {
    // google-gax rejects a promise nobody awaits when it creates the Firestore stub: Node crashed with its stack.
    name: '--provider gcp without Google Cloud credentials',
    args: () => ['list', '--provider', 'gcp'],
    env: {
      CARIBOU_GCP_PROJECT: 'caribou-corpus',
      GOOGLE_APPLICATION_CREDENTIALS: '',
      CLOUDSDK_CONFIG: '/nonexistent/gcloud',
      METADATA_SERVER_DETECTION: 'none',
      FIRESTORE_EMULATOR_HOST: '',
      PUBSUB_EMULATOR_HOST: '',
      CARIBOU_GCP_API_ENDPOINT: '',
    },
    message: /^Error: No Google Cloud credentials \(Could not load the default credentials.*\); run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS/,
  },
  { name: 'deploy outside a project', args: () => {
      const empty = freshHome('not-a-project');
      homes.push(empty);
      return ['deploy', '-p', empty];
    }, message: /file not found; .*pass its directory with -p, or create one with caribou new_workflow/ },
  { name: 'deploy -p a directory that does not exist', args: () => ['deploy', '-p', '/nonexistent/project'], message: /\(no such directory\); pass an existing project directory with -p$/ },
  {
    name: "a reference short flag given to a command that lacks it (deploy -prc)",
    args: () => ['deploy', '-prc', 'cron(0 3 1 * ? *)'],
    message: /^Error: caribou deploy has no flag -prc \(--provider_collector\); it belongs to: caribou setup_all_timers \(--provider_collector\)/,
  },
  { name: "another command's one-letter flag (run -w)", args: () => ['run', WORKFLOW, '-w', WORKFLOW], message: /caribou run has no flag -w; it belongs to: caribou data_collect \(-w, --workflow_id\)/ },
  { name: 'a misspelt flag (run --tims)', args: () => ['run', WORKFLOW, '--tims', '3'], message: /caribou run has no flag --tims; did you mean --times\?/ },
  // An empty value read as "not given": the migrator would have migrated every workflow.
  { name: "an empty flag value (run_deployment_migrator --workflow '')", args: () => ['run_deployment_migrator', '--workflow', ''], message: /^Error: --workflow is empty: give a value, or leave the flag out/ },
  { name: "an empty argument (show '')", args: () => ['show', ''], message: /^Error: WORKFLOW_ID is empty: give a value/ },
  { name: "an empty flag value under --json (plan --html '')", args: () => ['plan', WORKFLOW, '--html=', '--json'], message: /^\{"error":"--html is empty: give a value, or leave the flag out/ },
  { name: 'CARIBOU_PROVIDER set to no provider', args: () => ['list'], env: { CARIBOU_PROVIDER: 'bogus' }, message: /^Error: CARIBOU_PROVIDER=bogus is not one of local, aws, gcp: set it to one of them, or unset it$/ },
  { name: 'CARIBOU_LOCAL_EXECUTOR set to no executor', args: () => ['run', WORKFLOW], env: { CARIBOU_LOCAL_EXECUTOR: 'threads' }, message: /^Error: CARIBOU_LOCAL_EXECUTOR=threads is not an executor: set it to thread/ },
  { name: 'CARIBOU_APP_LOAD_TIMEOUT not a number', args: () => ['validate', '-p', join(REPO_ROOT, 'examples/small_sync_example')], env: { CARIBOU_APP_LOAD_TIMEOUT: '20s' }, message: /^Error: CARIBOU_APP_LOAD_TIMEOUT=20s is not a number of seconds: set it to a number above 0/ },
  { name: 'CARIBOU_SYSTEM_REGION not an AWS region code', args: () => ['list', '--provider', 'aws'], env: { CARIBOU_SYSTEM_REGION: 'nowhere' }, message: /^Error: CARIBOU_SYSTEM_REGION=nowhere is not an AWS region code: set it to the region of the framework tables/ },
  { name: 'CARIBOU_OFFLINE_DATA neither 1 nor 0', args: () => ['data_collect', 'carbon'], env: { CARIBOU_OFFLINE_DATA: 'yes' }, message: /^Error: CARIBOU_OFFLINE_DATA=yes is neither 1 nor 0: set it to 1/ },
  {
    name: 'CARIBOU_AWS_ENDPOINT not a URL',
    args: () => ['list', '--provider', 'aws'],
    env: { CARIBOU_AWS_ENDPOINT: 'localhost:5000', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
    message: /^Error: CARIBOU_AWS_ENDPOINT=localhost:5000 is not an http\(s\) URL: set it to the emulator's address/,
  },
  {
    name: 'an environment variable name no platform takes',
    args: () => ['deploy', '-p', config((t) => t.replace('environment_variables: null', 'environment_variables: [{key: "MY VAR", value: "1"}]'))],
    message: /environment_variables\[0\]\.key: "MY VAR" is not a variable name: use letters, digits and _, starting with a letter$/,
  },
  {
    name: 'iam_policy_file outside .caribou/',
    args: () => ['deploy', '-p', config((t) => t.replace('iam_policy_file: "iam_policy.json"', 'iam_policy_file: "../../../../etc/passwd"'))],
    message: /iam_policy_file in \.caribou\/config\.yml is "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd", which is not a file in \.caribou\/; name a file there/,
  },
  { name: 'an empty config.yml', args: () => ['deploy', '-p', config(() => '')], message: /^Error: project config must be a dictionary: \.caribou\/config\.yml in .* is empty; it needs workflow_name/ },
  { name: 'command with a typo', args: () => ['deplyo'], message: /no command "deplyo"; did you mean "deploy"\?/ },
  { name: '-w given to a collector that does not read it', args: () => ['data_collect', 'carbon', '-w', WORKFLOW], message: /^Error: -w\/--workflow_id is read by the workflow collector only: drop it, or run caribou data_collect workflow -w small_sync_example-0\.0\.1$/ },
  { name: 'the workflow collector without -w', args: () => ['data_collect', 'workflow'], message: /^Error: Workflow id must be provided for the workflow collector: pass -w <workflow id>/ },
  { name: 'help for a command with a typo (help deplyo)', args: () => ['help', 'deplyo'], message: /^Error: caribou has no command "deplyo"; did you mean "deploy"\?/ },
  {
    name: 'new_workflow -p a file',
    args: () => ['new_workflow', 'demo', '-p', join(REPO_ROOT, 'package.json')],
    message: /package\.json is a file, not a directory; pass the directory to create the project in with --workflow-dir$/,
  },
  { name: 'an argument to a command that takes none (serve extra)', args: () => ['serve', 'extra'], message: /^Error: caribou serve takes no argument "extra"; caribou serve --help shows its usage$/ },
  { name: 'command with dashes for underscores', args: () => ['run-deployment-migrator'], message: /did you mean "run_deployment_migrator"\?/ },
  { name: 'command nothing like ours', args: () => ['frobnicate'], message: /no command "frobnicate"; caribou --help lists every command$/ },
];

describe('fault suite: named corpus of bad inputs (real CLI)', () => {
  it.each(CASES)('$name', async (testCase) => {
    figures.inputsTried += 1;
    const home = testCase.home?.() ?? deployed;
    const args = testCase.args();
    const dbFile = join(home, 'local.db');
    const before = existsSync(dbFile) ? safeSnapshot(home) : undefined;
    const result = await runCli(args, { env: { CARIBOU_HOME: home, ...testCase.env } });
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    const clean = result.code !== 0 && lines.length === 1 && testCase.message.test(lines[0]!) && !/^\s+at /m.test(result.stderr);
    const after = existsSync(dbFile) ? safeSnapshot(home) : undefined;
    recordRefusal(figures, clean && before === after, () => `${testCase.name}: exit ${result.code}, stderr ${JSON.stringify(result.stderr)}`);
    expect(result.code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(testCase.message);
    expect(after).toBe(before);
  }, 120_000);

  it('the figures: 100 % of bad inputs refused cleanly', () => {
    expect(figures.unclean).toEqual([]);
    expect(figures.cleanRefusals).toBe(CASES.length);
  });
});

/** The store's rows (undefined for a file Caribou refuses to read: then its bytes must not change either). */
function safeSnapshot(home: string): string | undefined {
  try {
    return new LocalHomeInspector(home).snapshot();
  } catch {
    return 'unreadable';
  }
}

