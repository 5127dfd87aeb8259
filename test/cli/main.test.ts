/**
 * The built CLI loads zod and yaml only for the commands that need them (plugin create and run):
 * `run` and `--help` are spawned with both refused and must not fail for it.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runNodeWithout } from '../helpers/run-without.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { ensureBuilt, PACKAGE_ROOT } from '../platform/fixtures/plugin-folder.js';

const MAIN = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
const HEAVY = ['zod', 'yaml'];

describe('synapse-export (built)', () => {
  const tempDir = tempDirs();
  beforeAll(ensureBuilt);

  it('exports the sample without loading zod or yaml', async () => {
    const out = await tempDir();
    const result = await runNodeWithout(HEAVY, [MAIN, 'run', '--input', 'examples/sample-dataset', '--out', out, '--quiet'], PACKAGE_ROOT);
    expect(result.stderr).not.toContain('refused import');
    // 3: the sample holds items that fail by design.
    expect(result.code).toBe(3);
  });

  it('prints its help without loading them', async () => {
    const result = await runNodeWithout(HEAVY, [MAIN, 'plugin', 'create', '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('--data-types <types...>');
  });
});
