import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemplateProjectScaffolder } from './scaffolder';

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'caribou-new-'));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

const scaffolder = new TemplateProjectScaffolder();

describe('new_workflow scaffolding', () => {
  it('copies the template and substitutes the workflow name in every file', async () => {
    const created = await scaffolder.create('my_workflow', parent);
    expect(created.directory).toBe(join(parent, 'my_workflow'));
    expect(created.files).toEqual([
      '.caribou/config.yml',
      '.caribou/iam_policy.json',
      '.gitignore',
      'README.md',
      'package.json',
      'src/app.ts',
      'src/fifth.ts',
      'tsconfig.json',
    ]);
    for (const file of created.files) {
      expect(readFileSync(join(created.directory, file), 'utf8'), file).not.toContain('{{');
    }
    expect(readFileSync(join(created.directory, '.caribou/config.yml'), 'utf8')).toContain('workflow_name: "my_workflow"');
    expect(readFileSync(join(created.directory, 'src/app.ts'), 'utf8')).toContain(
      "new CaribouWorkflow({ name: 'my_workflow', version: '0.0.1' })",
    );
    const policy = JSON.parse(readFileSync(join(created.directory, '.caribou/iam_policy.json'), 'utf8'));
    expect(Object.keys(policy)).toEqual(['aws', 'local']);
    // Caribou generates what its runtime needs; the file holds only what the user's code adds (nothing yet).
    expect(policy.aws).toEqual({ Version: '2012-10-17', Statement: [] });
    expect(readFileSync(join(created.directory, '.gitignore'), 'utf8')).toContain('.caribou/deployment-packages/');
    // Nothing is left next to the project.
    expect(readdirSync(parent)).toEqual(['my_workflow']);
  });

  it('a file given as the parent directory is named as a file, not as missing', async () => {
    writeFileSync(join(parent, 'a-file'), '');
    await expect(scaffolder.create('demo', join(parent, 'a-file'))).rejects.toThrow(
      `${join(parent, 'a-file')} is a file, not a directory; pass the directory to create the project in with --workflow-dir`,
    );
    expect(readdirSync(parent)).toEqual(['a-file']);
  });

  it('refuses an existing directory and writes nothing', async () => {
    mkdirSync(join(parent, 'taken'));
    writeFileSync(join(parent, 'taken', 'mine.txt'), 'keep');
    await expect(scaffolder.create('taken', parent)).rejects.toThrow(`Workflow taken already exists. Choose another name, or move ${join(parent, 'taken')} away`);
    expect(readdirSync(join(parent, 'taken'))).toEqual(['mine.txt']);
    expect(readdirSync(parent)).toEqual(['taken']);

    writeFileSync(join(parent, 'file_named_like_it'), '');
    await expect(scaffolder.create('file_named_like_it', parent)).rejects.toThrow('Workflow file_named_like_it already exists.');
  });

  it.each([
    ['bad-name', 'Invalid workflow name "bad-name": Workflow name must contain only letters, numbers, or underscores'],
    ['../escape', 'Invalid workflow name "../escape": Workflow name must contain only letters, numbers, or underscores'],
    ['a'.repeat(26), 'Workflow name must be greater than 0 and less than or equal to 25 characters'],
    ['', 'Invalid workflow name "": Workflow name must be greater than 0 and less than or equal to 25 characters'],
  ])('refuses the invalid name %j and writes nothing', async (name, message) => {
    await expect(scaffolder.create(name, parent)).rejects.toThrow(message);
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(join(parent, '..', 'escape'))).toBe(false);
  });
});

describe('new_workflow with the SDK tarball a packed CLI carries', () => {
  it('vendors the tarball and depends on it by a path inside the project', async () => {
    const tarball = join(parent, 'caribou-sdk-9.8.7.tgz');
    writeFileSync(tarball, 'not really gzip, copied byte for byte');
    const created = await new TemplateProjectScaffolder({ sdkTarball: tarball }).create('vendored', parent);
    expect(created.files).toContain('vendor/caribou-sdk-9.8.7.tgz');
    expect(readFileSync(join(created.directory, 'vendor/caribou-sdk-9.8.7.tgz'), 'utf8')).toBe('not really gzip, copied byte for byte');
    const manifest = JSON.parse(readFileSync(join(created.directory, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ '@caribou/sdk': 'file:vendor/caribou-sdk-9.8.7.tgz' });
    expect(manifest.devDependencies.typescript).toMatch(/^~5\./);
  });

  it('refuses a missing tarball in one line and leaves no project behind', async () => {
    const scaffolderWithout = new TemplateProjectScaffolder({ sdkTarball: join(parent, 'gone.tgz') });
    await expect(scaffolderWithout.create('orphan', parent)).rejects.toThrow(/The SDK package .*gone\.tgz this CLI carries is missing; reinstall the CLI/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('without a tarball (the CLI running from the sources) the project depends on nothing', async () => {
    const created = await scaffolder.create('plain', parent);
    expect(JSON.parse(readFileSync(join(created.directory, 'package.json'), 'utf8')).dependencies).toEqual({});
    expect(existsSync(join(created.directory, 'vendor'))).toBe(false);
  });
});
