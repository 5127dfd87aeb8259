import { spawn } from 'node:child_process';

export interface NodeResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const HOOK = new URL('./refuse-imports-hook.mjs', import.meta.url).href;

/**
 * Runs `node <args>` with the given packages refused to ES module imports (refuse-imports-hook.mjs),
 * so that the child fails if anything it loads imports one. `require` is not hooked: check
 * `require.cache` for CommonJS.
 */
export function runNodeWithout(packages: readonly string[], args: readonly string[], cwd?: string): Promise<NodeResult> {
  const register = `import { register } from 'node:module'; register(${JSON.stringify(HOOK)}, { data: ${JSON.stringify(packages)} });`;
  const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
