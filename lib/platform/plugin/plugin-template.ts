import { VERSION } from '../../version.js';
import type { ANNOTATION_TYPES, DATA_TYPES } from './plugin-choices.js';

export interface PluginAnswers {
  /** Display name, e.g. "My Export Plugin". */
  name: string;
  /** Kebab-case id; default: the name lower-cased with `-` for spaces. */
  code: string;
  version: string;
  description: string;
  dataTypes: ReadonlyArray<(typeof DATA_TYPES)[number]>;
  annotationTypes: ReadonlyArray<(typeof ANNOTATION_TYPES)[number]>;
}

/** The reference's default code for a name: lower case, spaces to `-`. */
export function codeFromName(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The files of a new export plugin, by relative path. Async since yaml (~7 MB resident) is
 * loaded on this call rather than with the platform entry.
 */
export async function exportPluginFiles(answers: PluginAnswers): Promise<Record<string, string>> {
  const { stringify } = await import('yaml');
  const config = {
    name: answers.name,
    code: answers.code,
    version: answers.version,
    category: 'export',
    description: answers.description,
    package_manager: 'npm',
    data_types: [...answers.dataTypes],
    actions: { export: { entrypoint: 'plugin.export.Exporter', method: 'job', annotation_types: [...answers.annotationTypes] } },
  };
  return {
    'config.yaml': stringify(config),
    'package.json': `${JSON.stringify(
      {
        name: `synapse-${answers.code}-plugin`,
        version: answers.version,
        private: true,
        type: 'module',
        description: answers.description,
        scripts: {
          test: 'node --import synapse-export/register --test test/export.test.ts',
          'export:sample': `synapse-export plugin run export "$(cat test/params.json)" --plugin . --items test/items.jsonl --out out`,
        },
        dependencies: { 'synapse-export': `^${VERSION}` },
      },
      null,
      2,
    )}\n`,
    'plugin/export.ts': EXPORTER,
    'test/export.test.ts': TEST,
    'test/items.jsonl': ITEMS,
    'test/params.json': `${JSON.stringify({ name: 'sample', storage: 1, path: '/', target: 'assignment', filter: { project: 1 }, extra_params: { note: 'hello' } }, null, 2)}\n`,
    'test/media/note_1.txt': 'first original file\n',
    'test/media/note_2.txt': 'second original file\n',
    'README.md': readme(answers),
  };
}

const EXPORTER = `import { BaseExporter, type ExportContext, type ExportItem } from 'synapse-export';
import { ExportParams, z } from 'synapse-export/platform';

/** This plugin's own params, on top of the platform's; they reach the exporter as \`this.params\`. */
export const paramsSchema = ExportParams.extend({
  include_summary: z.boolean().default(true),
});

/** Only \`convertData\` is required; every other hook has a working default. */
export class Exporter extends BaseExporter {
  private classes = new Set<string>();

  convertData(item: ExportItem, _ctx: ExportContext): ExportItem {
    const annotations = (item.data as { annotations?: Record<string, Array<{ classification?: { class?: string } }>> } | null)?.annotations ?? {};
    for (const list of Object.values(annotations)) {
      for (const annotation of list) if (annotation.classification?.class) this.classes.add(annotation.classification.class);
    }
    return item;
  }

  /** Runs once after the last item: files written through ctx.output are listed in the manifest. */
  override async additionalFileSaving(_uniqueExportPath: string, ctx: ExportContext): Promise<void> {
    if (this.params.include_summary === false) return;
    const summary = { name: this.params.name, count: this.params.count ?? null, classes: [...this.classes].sort() };
    await ctx.output.writeFile('summary.json', \`\${JSON.stringify(summary, null, 4)}\\n\`);
  }
}
`;

const TEST = `import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openInput } from 'synapse-export';
import { Exporter } from '../plugin/export.ts';

test('exports the sample items with a summary', async () => {
  const out = await mkdtemp(join(tmpdir(), 'plugin-test-'));
  const exporter = new Exporter({ pathRoot: out, params: { name: 'sample' } });
  const result = await exporter.export(await openInput(fileURLToPath(new URL('./items.jsonl', import.meta.url))));
  assert.deepEqual(result.counts, { total: 2, success: 2, failed: 0, skipped: 0 });
  const summary = JSON.parse(await readFile(join(result.uniqueExportPath, 'summary.json'), 'utf8'));
  assert.deepEqual(summary.classes, ['car', 'person']);
  assert.equal(await readFile(join(result.uniqueExportPath, 'origin_files/note_1.txt'), 'utf8'), 'first original file\\n');
});
`;

const ITEMS = [
  { id: 1, data: { annotations: { text_1: [{ id: 'a1', tool: 'classification', classification: { class: 'car' } }] } }, files: { file_name_original: 'note_1.txt', path: 'media/note_1.txt' } },
  { id: 2, data: { annotations: { text_1: [{ id: 'a2', tool: 'classification', classification: { class: 'person' } }] } }, files: { file_name_original: 'note_2.txt', path: 'media/note_2.txt' } },
]
  .map((item) => JSON.stringify(item))
  .join('\n')
  .concat('\n');

function readme(answers: PluginAnswers): string {
  return `# ${answers.name}

${answers.description}

A Synapse export plugin for \`synapse-export\`. The exporter is \`plugin/export.ts\` (entrypoint
\`plugin.export.Exporter\` in \`config.yaml\`); TypeScript runs as is, without a build step.

\`\`\`sh
npm install                 # once, unless created with the link to synapse-export
npm test                    # the plugin's own test (node:test)
npm run export:sample       # runs the plugin on test/items.jsonl into ./out

# against the platform (SYNAPSE_HOST and SYNAPSE_ACCESS_TOKEN set):
synapse-export plugin run export '{"name": "x", "storage": 1, "path": "/exports", "target": "assignment", "filter": {"project": 1}}' --plugin .
\`\`\`
`;
}
