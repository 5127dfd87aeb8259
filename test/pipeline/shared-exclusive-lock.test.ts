import { describe, expect, it } from 'vitest';
import { SharedExclusiveLock } from '../../lib/pipeline/shared-exclusive-lock.js';

/** A promise and the function that settles it, to hold a task open for as long as a test wants. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SharedExclusiveLock', () => {
  it('runs shared tasks together, an exclusive one alone after them, and shared ones that came later after it', async () => {
    const lock = new SharedExclusiveLock();
    const log: string[] = [];
    const first = gate();
    const second = gate();
    const alone = gate();
    const task = (name: string, held: Promise<void>) => async () => {
      log.push(`start ${name}`);
      await held;
      log.push(`end ${name}`);
    };
    const running = [
      lock.shared(task('a', first.opened)),
      lock.shared(task('b', second.opened)),
      lock.exclusive(task('x', alone.opened)),
      lock.shared(task('c', Promise.resolve())),
    ];
    await turn();
    expect(log).toEqual(['start a', 'start b']);
    first.open();
    await turn();
    expect(log).toEqual(['start a', 'start b', 'end a']);
    second.open();
    await turn();
    expect(log).toEqual(['start a', 'start b', 'end a', 'end b', 'start x']);
    alone.open();
    await Promise.all(running);
    expect(log).toEqual(['start a', 'start b', 'end a', 'end b', 'start x', 'end x', 'start c', 'end c']);
  });

  it('releases the lock when a task fails, and passes on its error', async () => {
    const lock = new SharedExclusiveLock();
    await expect(lock.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.shared(() => Promise.reject(new Error('bang')))).rejects.toThrow('bang');
    await expect(lock.exclusive(async () => 'free again')).resolves.toBe('free again');
  });

  it('sharedSettled waits for the shared tasks running, not for the exclusive one queued behind them', async () => {
    const lock = new SharedExclusiveLock();
    await lock.sharedSettled();
    const held = gate();
    let sharedDone = false;
    const shared = lock.shared(async () => {
      await held.opened;
      sharedDone = true;
    });
    const blocked = gate();
    const exclusive = lock.exclusive(() => blocked.opened);
    let settled = false;
    const waiting = lock.sharedSettled().then(() => (settled = true));
    await turn();
    expect(settled).toBe(false);
    held.open();
    await waiting;
    expect(sharedDone).toBe(true);
    blocked.open();
    await Promise.all([shared, exclusive]);
  });
});
