import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dir.js';
import { ensureBuilt, PACKAGE_ROOT } from '../platform/fixtures/plugin-folder.js';
import { StandInBackend } from '../platform/fixtures/stand-in-backend.js';

const makeDir = tempDirs('se-cli-plugin-');
const CLI = join(PACKAGE_ROOT, 'dist/cli/main.js');
const TOKEN = 'cli-secret-token';
let backend: StandInBackend;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking this process (the stand-in backend lives here). */
function exec(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  ensureBuilt();
  backend = await new StandInBackend({
    token: TOKEN,
    storages: { 1: { id: 1, provider: 'file_system', configuration: { location: await makeDir() } } },
    projects: { 1: { id: 1, configuration: {} } },
    assignments: { 1: 12 },
  }).start();
}, 120_000);
afterAll(() => backend.stop());

describe('synapse-export plugin', () => {
  it('create → the plugin test → run on local items → run against the backend', async () => {
    const parent = await makeDir();
    const created = await exec('node', [CLI, 'plugin', 'create', '--yes', '--name', 'Cli Export', '--data-types', 'image', '--dir', parent]);
    expect(created.code).toBe(0);
    const plugin = join(parent, 'synapse-cli-export-plugin');
    expect(created.stderr).toContain(plugin);
    expect(await readFile(join(plugin, 'config.yaml'), 'utf8')).toContain('entrypoint: plugin.export.Exporter');

    // The scaffold's own test (what `npm test` runs there).
    const test = await exec('node', ['--import', 'synapse-export/register', '--test', 'test/export.test.ts'], { cwd: plugin });
    expect(test.stdout).toContain('# pass 1');
    expect(test.code).toBe(0);

    const params = await readFile(join(plugin, 'test/params.json'), 'utf8');
    const offline = await exec('node', [CLI, 'plugin', 'run', 'export', params, '--plugin', '.', '--items', 'test/items.jsonl', '--out', 'out', '--json'], { cwd: plugin });
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ unique_export_path: join(plugin, 'out/sample'), counts: { total: 2, success: 2 } });

    const env = { SYNAPSE_HOST: backend.url, SYNAPSE_ACCESS_TOKEN: TOKEN };
    const online = await exec('node', [CLI, 'plugin', 'run', 'export', params, '--plugin', plugin, '--json'], { env });
    expect(online.code).toBe(0);
    expect(JSON.parse(online.stdout)).toMatchObject({ counts: { total: 12, success: 12 } });
    expect(online.stdout + online.stderr).not.toContain(TOKEN);
  });

  it('exits 2 with {field: [messages]} for invalid params, and never prints the token', async () => {
    const parent = await makeDir();
    await exec('node', [CLI, 'plugin', 'create', '--yes', '--name', 'Bad Params', '--dir', parent]);
    const params = JSON.stringify({ name: ' ', storage: 1, path: '/', target: 'task', filter: {} });
    const env = { SYNAPSE_HOST: backend.url, SYNAPSE_ACCESS_TOKEN: TOKEN };
    const outcome = await exec('node', [CLI, 'plugin', 'run', 'export', params, '--plugin', join(parent, 'synapse-bad-params-plugin'), '--json'], { env });
    expect(outcome.code).toBe(2);
    expect(JSON.parse(outcome.stdout).error.detail).toEqual({ params: { name: ['필수 값을 확인해주세요.'], filter: ['Project is required for Task.'] } });
    expect(outcome.stdout + outcome.stderr).not.toContain(TOKEN);
  });

  // `script` gives the command a terminal, so it prompts; the answers are typed ahead.
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('asks for what flags do not give, on a terminal', async () => {
    const parent = await makeDir();
    const outcome = await new Promise<number>((resolve) => {
      const child = spawn('script', ['-qec', `node ${CLI} plugin create --dir ${parent}`, '/dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.stdin.end('Prompted Plugin\n\n0.2.0\n\n');
      child.on('exit', (code) => resolve(code ?? 1));
    });
    expect(outcome).toBe(0);
    const config = await readFile(join(parent, 'synapse-prompted-plugin-plugin/config.yaml'), 'utf8');
    expect(config).toContain('name: Prompted Plugin\ncode: prompted-plugin\nversion: 0.2.0\n');
    expect(config).toContain('description: This is Prompted Plugin plugin');
  });

  it('refuses to create without a name when it cannot ask', async () => {
    const outcome = await exec('node', [CLI, 'plugin', 'create', '--yes', '--dir', await makeDir()]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/a plugin name is required/);
  });

  // Node's recursive mkdir would retry forever there.
  it.skipIf(!existsSync('/proc/self'))('fails, and does not hang, creating a plugin under /proc', async () => {
    const outcome = await exec('node', [CLI, 'plugin', 'create', '--yes', '--name', 'Nowhere', '--dir', '/proc/synapse-export-test']);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain('/proc/synapse-export-test');
  });

  it('points at a missing plugin folder clearly', async () => {
    const outcome = await exec('node', [CLI, 'plugin', 'run', 'export', '{}', '--plugin', join(await makeDir(), 'nope'), '--items', 'x.jsonl']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/No plugin at .*nope: cannot read config\.yaml/);
  });
});
