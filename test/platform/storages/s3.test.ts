import { createHash } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportAction } from '../../../lib/platform/action.js';
import { BackendClient } from '../../../lib/platform/client/index.js';
import { s3StorageFactory, StorageRegistry } from '../../../lib/platform/storages/index.js';
import { StandInBackend } from '../fixtures/stand-in-backend.js';
import { MotoServer, motoUnavailable } from '../fixtures/moto-server.js';

const unavailable = motoUnavailable();
if (unavailable !== null && process.env.CI) throw new Error(`S3 tests need moto in CI: ${unavailable}`);

describe.skipIf(unavailable !== null)(`S3-compatible storage${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const moto = new MotoServer();
  let backend: StandInBackend;
  let s3: S3Client;
  const configuration = () => ({ bucket_name: 'exports', access_key: 'test', secret_key: 'test', region_name: 'us-east-1', endpoint_url: moto.url });

  beforeAll(async () => {
    await moto.start();
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'exports' }));
    backend = await new StandInBackend({
      storages: {
        1: { id: 1, provider: 'amazon_s3', configuration: configuration() },
        2: { id: 2, provider: 'minio', configuration: configuration() },
        3: { id: 3, provider: 'amazon_s3', configuration: { region_name: 'x' } },
      },
      projects: { 7: { id: 7, configuration: {} } },
      groundTruthVersions: { 1: { count: 120, project: 7 } },
    }).start();
  });
  afterAll(async () => {
    s3?.destroy();
    await backend?.stop();
    await moto.stop();
  });

  async function objects(prefix: string): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'exports', Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const body = await s3.send(new GetObjectCommand({ Bucket: 'exports', Key: object.Key! }));
        found.set(object.Key!.slice(prefix.length), Buffer.from(await body.Body!.transformToByteArray()));
      }
      token = page.NextContinuationToken;
    } while (token);
    return found;
  }

  it('uploads a complete export whose objects match the manifest', async () => {
    const client = new BackendClient({ host: backend.url, backoffMs: 1 });
    const params = { name: 'gt', storage: 1, path: '/team/exports', target: 'ground_truth', filter: { ground_truth_dataset_version: 1 } };
    const result = await new ExportAction({ params, client }).runAction();
    expect(result).toMatchObject({ export_path: 's3://exports/team/exports', unique_export_path: 's3://exports/team/exports/gt', counts: { success: 120 } });

    const uploaded = await objects('team/exports/gt/');
    const manifest = JSON.parse(uploaded.get('export_manifest.json')!.toString('utf8')) as { files: Array<{ path: string; size: number; sha256: string }> };
    expect(manifest.files).toHaveLength(240);
    expect([...uploaded.keys()].sort()).toEqual([...manifest.files.map((f) => f.path), 'export_manifest.json'].sort());
    for (const file of manifest.files) {
      const body = uploaded.get(file.path)!;
      expect(body.length).toBe(file.size);
      expect(createHash('sha256').update(body).digest('hex')).toBe(file.sha256);
    }

    // `minio` is the same provider; a second export next to the first gets gt(1).
    const again = await new ExportAction({ params: { ...params, storage: 2, save_original_file: false }, client }).runAction();
    expect(again.unique_export_path).toBe('s3://exports/team/exports/gt(1)');
    expect((await objects('team/exports/gt(1)/')).size).toBe(121);
  });

  it('uses multipart uploads for files over the part size', async () => {
    const storage = await s3StorageFactory({ partSize: 5 * 1024 * 1024 })({ id: 9, provider: 'amazon_s3', configuration: configuration() }, 'big');
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const dir = join(storage.pathRoot, 'one');
    await mkdir(dir);
    const payload = Buffer.alloc(11 * 1024 * 1024, 7);
    await writeFile(join(dir, 'large.bin'), payload);
    expect(await storage.finish(dir)).toBe('s3://exports/big/one');
    await storage.dispose();
    // A multipart object's ETag is `<md5 of part md5s>-<parts>`.
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'exports', Key: 'big/one/large.bin' }));
    expect(head.ETag).toMatch(/-3"$/);
    expect((await objects('big/one/')).get('large.bin')!.equals(payload)).toBe(true);
  });

  it('uploads every file the folder walk finds (a linked original as its content), the manifest last, and nothing more once one fails', async () => {
    const storage = await s3StorageFactory({ uploadConcurrency: 3 })({ id: 9, provider: 'amazon_s3', configuration: configuration() }, 'walk');
    const { mkdir, symlink, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const good = join(storage.pathRoot, 'good');
    await mkdir(join(good, 'json'), { recursive: true });
    for (let i = 0; i < 100; i++) await writeFile(join(good, 'json', `${i}.json`), `{"i": ${i}}`);
    await writeFile(join(storage.pathRoot, 'source.png'), 'png bytes');
    await symlink(join(storage.pathRoot, 'source.png'), join(good, 'linked.png'));
    await writeFile(join(good, 'export_manifest.json'), '{}');
    expect(await storage.finish(good)).toBe('s3://exports/walk/good');
    const uploaded = await objects('walk/good/');
    expect(uploaded.size).toBe(102);
    expect(uploaded.get('linked.png')!.toString()).toBe('png bytes');

    const bad = join(storage.pathRoot, 'bad');
    await mkdir(bad);
    await symlink(join(storage.pathRoot, 'gone.png'), join(bad, 'dangling.png'));
    await writeFile(join(bad, 'export_manifest.json'), '{}');
    await expect(storage.finish(bad)).rejects.toMatchObject({ code: 'ERR_STORAGE_UPLOAD_FAILED', fileName: 'dangling.png' });
    expect((await objects('walk/bad/')).has('export_manifest.json')).toBe(false);
    await storage.dispose();
  });

  it('fails clearly on a storage without bucket_name', async () => {
    const client = new BackendClient({ host: backend.url, backoffMs: 1 });
    const params = { name: 'gt', storage: 3, path: 'x', target: 'ground_truth', filter: { ground_truth_dataset_version: 1 } };
    await expect(new ExportAction({ params, client }).runAction()).rejects.toThrow('Storage 3 (S3) has no configuration.bucket_name');
  });

  it('lists the supported providers for an unknown one', async () => {
    await expect(new StorageRegistry().open({ provider: 'ftp' }, 'x')).rejects.toThrow(/Storage provider not supported: ftp/);
  });
});
