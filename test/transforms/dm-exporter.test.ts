import { describe, expect, it } from 'vitest';
import { DmExporter } from '../../transforms/dm-exporter.js';

const itemWith = (data: unknown) => ({ id: 'x1', files: {}, data });
const badAnnotations = { image_1: [{ id: 'a', tool: 7 }] };
const bad = itemWith({ annotations: badAnnotations });

describe('DmExporter', () => {
  it('validates with validate: true, loading the validator on the first item', async () => {
    const exporter = new DmExporter({ validate: true });
    await expect(exporter.convertData(bad)).rejects.toMatchObject({ code: 'ERR_DM_INVALID', message: expect.stringContaining('data.annotations.image_1[0].tool') });
    const good = itemWith({ annotations: { image_1: [{ id: 'a', tool: 'polygon', classification: { class: 'car' } }] } });
    await expect(exporter.convertData(good)).resolves.toEqual(good);
  });

  it('converts synchronously, without checking, when not validating', () => {
    const converted = new DmExporter({ classes: { rename: { car: 'auto' } } }).convertData(bad);
    expect(converted).not.toBeInstanceOf(Promise);
    expect(converted).toMatchObject({ id: 'x1', data: { annotations: badAnnotations } });
  });
});
