import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CaribouError } from '@caribou/domain-common';

/**
 * Writes the page `--html` asks for, whole or not at all: into a temporary file beside it, then
 * renamed over it, so a full disk or a killed process never leaves half a page (or half of an
 * older one). A path that cannot be written is refused in one line naming the flag and the fix.
 * Returns the absolute path written.
 */
export function writeHtmlFile(path: string, html: string, exampleName: string): string {
  const file = resolve(path);
  const temporary = join(dirname(file), `.${process.pid}.caribou-html.tmp`);
  try {
    writeFileSync(temporary, html);
    renameSync(temporary, file);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Its directory is missing or not a directory: there is no temporary file to remove.
    }
    throw new CaribouError(`--html ${path} ${reason(error as NodeJS.ErrnoException, file, exampleName)}`);
  }
  return file;
}

function reason(error: NodeJS.ErrnoException, file: string, exampleName: string): string {
  const directory = dirname(file);
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return isDirectory(directory)
        ? `cannot be created (${error.code}); choose a path in a directory of your own`
        : `is in a directory that does not exist (${directory}); create it or choose another path`;
    case 'EISDIR':
      return `is a directory; give a file name in it, e.g. ${join(file, exampleName)}`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `cannot be written (${error.code} in ${directory}); choose a path you may write to`;
    default:
      return `could not be written (${error.message}); choose another path`;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
