// Where each benchmark run writes its export: a new, empty file system per run, so that no run pays
// for the files of the run before it.
//
// Why: this machine's root is ext4 without a journal. There, creating a file within a minute of
// deleting many (longer while their inode blocks are dirty) makes the inode allocator check and skip
// every recently deleted inode (`recently_deleted()` in fs/ext4/ialloc.c, the top kernel function
// under `perf record`). Measured on a 100k JSON-only export: 10.9 s on a clean file system, 52–64 s
// right after the previous run's output was removed, 17 s after waiting 90 s. Which runner came
// after which deletion decided the ranking, and every ratio swung 2× from round to round.
//
// With root and a loop device: a sparse image, `mkfs.ext4` with the root's feature that matters
// here (no journal), mounted at the out-root for one run and dropped after it. Without: the
// out-root on the machine's own file system, and each run first waits until the previous run's
// deletion is over a minute old.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';

/** ext4 ignores inodes deleted less than this long ago (their blocks written back), in ms. */
const RECENTLY_DELETED_MS = 61_000;

/**
 * @param {string} outRoot the folder the runs write under
 * @param {(line: string) => void} log
 */
export function scratchFileSystem(outRoot, log) {
  const image = `${outRoot}.img`;
  let loop = canMountLoop();
  let mounted = false;
  let deletedAt = 0;
  // Lazily on the way out (a runner killed with the harness may still hold the mount), else
  // synchronously, so that the run's write-back is done before the next run starts.
  const unmount = (lazily = false) => {
    if (mounted) execFileSync('umount', lazily ? ['-l', outRoot] : [outRoot]);
    mounted = false;
    rmSync(image, { force: true });
  };
  if (loop) {
    // A mount (and image) left by a run that was killed.
    mounted = spawnSync('mountpoint', ['-q', outRoot]).status === 0;
    unmount();
    process.once('exit', () => unmount(true));
    process.once('SIGINT', () => process.exit(130));
  }

  /** A fresh loop file system at `outRoot`; false (and no more tries) when the machine refuses. */
  const mountFresh = (bytes, files) => {
    try {
      // Sparse: only what the run writes takes disk space. Room for twice the data, and block
      // rounding (a 6.7 KB JSON file takes 8 KB).
      const size = Math.ceil((2 * bytes + files * 8192) / 2 ** 20) + 1024;
      execFileSync('truncate', ['-s', `${size}M`, image]);
      execFileSync('mkfs.ext4', ['-q', '-F', '-O', '^has_journal', '-m', '0', '-N', String(2 * files + 100_000), image]);
      // noinit_itable: no background zeroing of inode tables while the run is measured.
      execFileSync('mount', ['-o', 'loop,noinit_itable', image, outRoot]);
      mounted = true;
      return true;
    } catch (error) {
      log(`scratch file system: cannot make a loop file system (${error.message.split('\n')[0]}); writing to the machine's own instead`);
      loop = false;
      rmSync(image, { force: true });
      return false;
    }
  };

  return {
    describe: () => (loop ? 'a new ext4 (no journal) on a loop device for every run' : "the machine's own, a minute after the previous run's output was deleted"),

    /**
     * An empty `outRoot` for one run writing about `bytes` in `files` files. `besideMedia`: on the
     * machine's own file system, where the cached media are (hard links cannot cross file systems).
     */
    prepare(bytes, files, { besideMedia = false } = {}) {
      rmSync(outRoot, { recursive: true, force: true });
      mkdirSync(outRoot, { recursive: true });
      if (loop && !besideMedia && mountFresh(bytes, files)) return;
      const wait = deletedAt + RECENTLY_DELETED_MS - Date.now();
      if (wait > 0) spawnSync('sleep', [String(wait / 1000)]);
    },

    /** Drops what the run wrote. */
    release() {
      if (mounted) {
        unmount();
      } else {
        rmSync(outRoot, { recursive: true, force: true });
        deletedAt = Date.now();
      }
      // Nothing of this run may be written back on the next run's time.
      spawnSync('sync');
    },
  };
}

function canMountLoop() {
  if (process.getuid?.() !== 0 || !existsSync('/dev/loop-control')) return false;
  return ['mkfs.ext4', 'mount', 'umount', 'mountpoint', 'truncate'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
}
