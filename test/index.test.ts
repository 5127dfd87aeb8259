/**
 * The root entry leaves zod and yaml, which cost megabytes resident, to `synapse-export/platform`:
 * these import the built entries in a child node and fail if either package gets loaded.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runNodeWithout } from './helpers/run-without.js';
import { ensureBuilt, PACKAGE_ROOT } from './platform/fixtures/plugin-folder.js';

const HEAVY = ['zod', 'yaml'];
const dist = (file: string) => join(PACKAGE_ROOT, 'dist', file);

/** Imports an ES module entry, then prints which heavy packages `require` loaded, if any. */
const importEntry = (file: string) => `await import(${JSON.stringify(dist(file))});
console.log(JSON.stringify(Object.keys((await import('node:module')).createRequire(import.meta.url).cache).filter((path) => /[\\\\/]node_modules[\\\\/](zod|yaml)[\\\\/]/.test(path))));`;

/** Requires a CommonJS entry and prints the heavy packages in `require.cache`. */
const requireEntry = (file: string) => `require(${JSON.stringify(dist(file))});
console.log(JSON.stringify(Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/](zod|yaml)[\\\\/]/.test(path))));`;

describe('the root entry', () => {
  beforeAll(ensureBuilt);

  it('imports neither zod nor yaml', async () => {
    const result = await runNodeWithout(HEAVY, ['--input-type=module', '-e', importEntry('index.js')]);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: '[]\n' });
  });

  it('requires neither zod nor yaml (CommonJS)', async () => {
    const result = await runNodeWithout(HEAVY, ['-e', requireEntry('index.cjs')]);
    expect(result).toMatchObject({ code: 0, stdout: '[]\n' });
  });

  it('would be caught: the platform entry loads zod, in both formats', async () => {
    const esm = await runNodeWithout(HEAVY, ['--input-type=module', '-e', importEntry('platform.js')]);
    expect(esm.code).not.toBe(0);
    expect(esm.stderr).toContain('refused import of zod');
    const cjs = await runNodeWithout(HEAVY, ['-e', requireEntry('platform.cjs')]);
    expect(JSON.parse(cjs.stdout)).toContainEqual(expect.stringMatching(/node_modules[\\/]zod[\\/]/));
  });
});
