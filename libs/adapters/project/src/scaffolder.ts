import { existsSync, statSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaribouError } from '@caribou/domain-common';
import { verifyWorkflowName } from '@caribou/domain-workflow';
import type { ProjectScaffolder, ScaffoldedProject } from '@caribou/ports';

/** The project template shipped with this package. */
export const TEMPLATE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../template');

const PLACEHOLDER = '{{ workflow_name }}';

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

/**
 * `caribou new_workflow <name>`: copies the template to `<parentDir>/<name>`, replacing
 * `{{ workflow_name }}` in every file. The name is checked first (it becomes the
 * directory and the workflow name), and the copy is written next to the target and
 * renamed into place, so a failure leaves nothing behind.
 */
export class TemplateProjectScaffolder implements ProjectScaffolder {
  constructor(private readonly templateDir: string = TEMPLATE_DIR) {}

  async create(workflowName: string, parentDir: string): Promise<ScaffoldedProject> {
    try {
      verifyWorkflowName(workflowName);
    } catch (error) {
      throw new CaribouError(`Invalid workflow name ${JSON.stringify(workflowName)}: ${(error as Error).message}`);
    }
    const directory = resolve(parentDir, workflowName);
    if (existsSync(directory)) throw new CaribouError(`Workflow ${workflowName} already exists.`);
    if (!existsSync(resolve(parentDir)) || !statSync(resolve(parentDir)).isDirectory()) {
      throw new CaribouError(`Directory ${resolve(parentDir)} does not exist; create it first or pass an existing --workflow-dir`);
    }

    const files = listFiles(this.templateDir).sort();
    const staging = join(resolve(parentDir), `.${workflowName}.caribou-new-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    try {
      for (const file of files) {
        const text = readFileSync(join(this.templateDir, file), 'utf8');
        mkdirSync(dirname(join(staging, file)), { recursive: true });
        writeFileSync(join(staging, file), text.split(PLACEHOLDER).join(workflowName));
      }
      if (existsSync(directory)) throw new CaribouError(`Workflow ${workflowName} already exists.`);
      renameSync(staging, directory);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return { directory, files: files.map((file) => file.split('\\').join('/')) };
  }
}
