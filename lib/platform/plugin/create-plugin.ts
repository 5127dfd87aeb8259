import { readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ErrorCode, ExportError } from '../../errors.js';
import { exportPluginFiles, type PluginAnswers } from './plugin-template.js';
import { makeDirectory } from '../../make-directory.js';

export interface CreatePluginOptions extends PluginAnswers {
  /** Folder the plugin folder is created in. Default: the working directory. */
  parent?: string;
  /**
   * The synapse-export package to link as the plugin's `node_modules/synapse-export`, so the new
   * plugin runs and tests before any `npm install`. No link when undefined.
   */
  linkPackage?: string;
}

/** Writes a working export plugin into `<parent>/synapse-<code>-plugin`; resolves with its path. */
export async function createPlugin(options: CreatePluginOptions): Promise<string> {
  const directory = resolve(options.parent ?? '.', `synapse-${options.code}-plugin`);
  const existing = await readdir(directory).catch(() => []);
  if (existing.length > 0) {
    throw new ExportError(`${directory} exists and is not empty; choose another code or folder`, { code: ErrorCode.OUTPUT_UNWRITABLE, fileName: directory });
  }
  for (const [path, content] of Object.entries(await exportPluginFiles(options))) {
    const file = join(directory, path);
    await makeDirectory(dirname(file));
    await writeFile(file, content, { flag: 'wx' });
  }
  if (options.linkPackage !== undefined) {
    await makeDirectory(join(directory, 'node_modules'));
    await symlink(resolve(options.linkPackage), join(directory, 'node_modules/synapse-export'), 'dir');
  }
  return directory;
}
