import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (the OS picks it; the listener is closed before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a local service and waits up to 10 s until `isUp` answers true; throws if it exits or never comes up. */
export async function startLocalService(command: string, args: string[], isUp: () => Promise<boolean>): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore' });
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
    if (await isUp()) return child;
    await sleep(50);
  }
  child.kill();
  throw new Error(`${command} did not start within 10 s`);
}

/** Stops a service started by `startLocalService` and waits for it to exit. */
export async function stopLocalService(child: ChildProcess | null): Promise<void> {
  if (child === null || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}
