import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library, and the highland adapter as its own entry (`synapse-export/highland`).
    entry: { index: 'lib/index.ts', highland: 'transforms/highland.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The command-line tool: ESM only, with its shebang kept.
    entry: { 'cli/main': 'lib/cli/main.ts', register: 'lib/register.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
