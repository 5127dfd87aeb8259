import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library; the Synapse platform side (zod, yaml) and the highland adapter as their own
    // entries (`synapse-export/platform`, `synapse-export/highland`), loaded only by their users.
    entry: { index: 'lib/index.ts', platform: 'lib/platform/index.ts', highland: 'transforms/highland.ts' },
    format: ['esm', 'cjs'],
    // Shared chunks in CommonJS too (ESM splits by default): otherwise platform.cjs carries its
    // own copy of the core, and its errors and classes are not the root entry's (instanceof fails).
    splitting: true,
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
