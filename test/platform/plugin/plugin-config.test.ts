import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPluginConfig } from '../../../lib/platform/plugin/index.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const makeDir = tempDirs('se-config-');

async function configIn(text: string): Promise<string> {
  const dir = await makeDir();
  await writeFile(join(dir, 'config.yaml'), text);
  return dir;
}

const VALID = `name: My Export Plugin
code: my-export-plugin
version: 0.1.0
category: export
data_types: [image, video]
actions:
  export:
    entrypoint: plugin.export.Exporter
    annotation_types: [image, prompt]
    data_expand: false
`;

describe('readPluginConfig', () => {
  it('reads a valid config.yaml, keeping unknown keys', async () => {
    const config = await readPluginConfig(await configIn(`${VALID}tasks: [x]\n`));
    expect(config).toMatchObject({ code: 'my-export-plugin', category: 'export', actions: { export: { entrypoint: 'plugin.export.Exporter', data_expand: false } }, tasks: ['x'] });
  });

  it.each([
    [VALID.replace('code: my-export-plugin\n', ''), /code: /],
    [VALID.replace('category: export', 'category: exporter'), /category: /],
    [VALID.replace('    entrypoint: plugin.export.Exporter\n', ''), /actions\.export\.entrypoint: entrypoint is required/],
    [VALID.replace('[image, video]', '[image, hologram]'), /data_types\.1: /],
    [VALID.replace('code: my-export-plugin', 'code: My Plugin'), /kebab-case/],
    ['name: [unclosed', /not valid YAML/],
  ])('names what is wrong (%#)', async (text, message) => {
    await expect(readPluginConfig(await configIn(text))).rejects.toThrow(message);
  });

  it('says when there is no plugin', async () => {
    await expect(readPluginConfig(await makeDir())).rejects.toMatchObject({ code: 'ERR_PLUGIN_INVALID', message: expect.stringMatching(/cannot read config\.yaml/) });
  });
});
