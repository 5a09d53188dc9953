import { copyFileSync, existsSync, statSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaribouError } from '@caribou/domain-common';
import { verifyWorkflowName } from '@caribou/domain-workflow';
import type { ProjectScaffolder, ScaffoldedProject } from '@caribou/ports';

/** The project template shipped with this package. */
export const TEMPLATE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../template');

const PLACEHOLDER = '{{ workflow_name }}';

/** Where a new project keeps the SDK package its `package.json` depends on. */
export const VENDOR_DIR = 'vendor';

export interface ScaffolderOptions {
  /** The project template (default: the one shipped with this package). */
  templateDir?: string;
  /**
   * A packed `@caribou/sdk` tarball (the packed CLI carries one): copied to `vendor/` of the new
   * project and named in its `dependencies` as `file:vendor/<name>.tgz`, so `npm i` installs the
   * SDK's types from the project itself (no registry, no path outside it). Without one (the CLI
   * running from the sources) the project depends on nothing.
   */
  sdkTarball?: string;
}

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
  private readonly templateDir: string;

  constructor(private readonly options: ScaffolderOptions = {}) {
    this.templateDir = options.templateDir ?? TEMPLATE_DIR;
  }

  async create(workflowName: string, parentDir: string): Promise<ScaffoldedProject> {
    try {
      verifyWorkflowName(workflowName);
    } catch (error) {
      throw new CaribouError(`Invalid workflow name ${JSON.stringify(workflowName)}: ${(error as Error).message}`);
    }
    const directory = resolve(parentDir, workflowName);
    if (existsSync(directory)) throw new CaribouError(`Workflow ${workflowName} already exists. Choose another name, or move ${directory} away`);
    if (!existsSync(resolve(parentDir))) {
      throw new CaribouError(`Directory ${resolve(parentDir)} does not exist; create it first or pass an existing --workflow-dir`);
    }
    if (!statSync(resolve(parentDir)).isDirectory()) {
      throw new CaribouError(`${resolve(parentDir)} is a file, not a directory; pass the directory to create the project in with --workflow-dir`);
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
      if (this.options.sdkTarball) files.push(this.vendorSdk(staging, this.options.sdkTarball));
      if (existsSync(directory)) throw new CaribouError(`Workflow ${workflowName} already exists.`);
      renameSync(staging, directory);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return { directory, files: files.sort().map((file) => file.split('\\').join('/')) };
  }

  /** Copies the SDK tarball into the staged project and depends on it; returns the copy's path in the project. */
  private vendorSdk(staging: string, tarball: string): string {
    if (!existsSync(tarball)) throw new CaribouError(`The SDK package ${tarball} this CLI carries is missing; reinstall the CLI`);
    const vendored = `${VENDOR_DIR}/${basename(tarball)}`;
    mkdirSync(join(staging, VENDOR_DIR), { recursive: true });
    copyFileSync(tarball, join(staging, vendored));
    const manifestPath = join(staging, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { dependencies?: Record<string, string> };
    manifest.dependencies = { ...manifest.dependencies, '@caribou/sdk': `file:${vendored}` };
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    return vendored;
  }
}
