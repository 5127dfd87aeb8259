import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ErrorCode, ExportError, messageOf } from '../../errors.js';
import { placeExportFiles } from '../../output/place-export-files.js';
import { positiveInteger } from '../../validate.js';
import { relativeStoragePath, type ExportStorage, type StorageFactory } from './export-storage.js';

/** The configuration keys of an S3-compatible storage record (the reference's S3 provider). */
export interface S3StorageConfiguration {
  bucket_name: string;
  access_key?: string;
  secret_key?: string;
  region_name?: string;
  /** For MinIO and other S3-compatible servers; path-style addressing is used with it. */
  endpoint_url?: string;
}

export interface S3StorageOptions {
  /** Files uploaded at once. Default 4. */
  uploadConcurrency?: number;
  /** Multipart part size. Default 8 MiB (S3's minimum is 5 MiB). */
  partSize?: number;
  /** Where the export is staged before upload. Default: a fresh folder in the OS temp dir. */
  stagingParent?: string;
}

/**
 * An `amazon_s3` / `minio` / `s3` storage. The engine writes the export to a local staging
 * folder; `finish` then streams every file to `s3://<bucket>/<path>/<name>[(n)]/…` with
 * multipart uploads, the manifest last (so a manifest means a complete upload, as on disk), and
 * removes the staging folder. `(n)` is chosen against the objects already in the bucket.
 */
export function s3StorageFactory(options: S3StorageOptions = {}): StorageFactory {
  return async (storage, path) => {
    const config = readConfiguration(storage.configuration, storage.id);
    const client = await s3Client(config);
    const prefix = relativeStoragePath(path).replace(/\/+$/, '');
    const staging = await mkdtemp(join(options.stagingParent ?? tmpdir(), 'synapse-export-s3-'));
    const result: ExportStorage = {
      pathRoot: staging,
      exportPath: `s3://${config.bucket_name}/${prefix}`,
      async finish(uniqueExportPath) {
        const name = await freeName(client, config.bucket_name, prefix, basename(uniqueExportPath));
        const keyPrefix = prefix === '' ? name : `${prefix}/${name}`;
        await uploadTree(client, config.bucket_name, uniqueExportPath, keyPrefix, options);
        return `s3://${config.bucket_name}/${keyPrefix}`;
      },
      async dispose() {
        await rm(staging, { recursive: true, force: true });
        client.destroy();
      },
    };
    return result;
  };
}

/**
 * The AWS SDK, loaded on first use: it is a sixth of the library's resident memory, and most
 * exports never touch S3.
 */
type AwsSdk = Pick<typeof import('@aws-sdk/client-s3'), 'S3Client' | 'ListObjectsV2Command'> & Pick<typeof import('@aws-sdk/lib-storage'), 'Upload'>;
let loadedSdk: Promise<AwsSdk> | undefined;
function awsSdk(): Promise<AwsSdk> {
  loadedSdk ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(([client, storage]) => ({
    S3Client: client.S3Client,
    ListObjectsV2Command: client.ListObjectsV2Command,
    Upload: storage.Upload,
  }));
  return loadedSdk;
}

/** A client for the storage; without keys in the configuration, the SDK's own chain (environment, profile…) applies. */
export async function s3Client(config: Omit<S3StorageConfiguration, 'bucket_name'>): Promise<S3Client> {
  const { S3Client } = await awsSdk();
  return new S3Client({
    region: config.region_name ?? 'us-east-1',
    ...(config.endpoint_url ? { endpoint: config.endpoint_url, forcePathStyle: true } : {}),
    ...(config.access_key && config.secret_key ? { credentials: { accessKeyId: config.access_key, secretAccessKey: config.secret_key } } : {}),
  });
}

function readConfiguration(configuration: unknown, id: unknown): S3StorageConfiguration {
  const config = (configuration ?? {}) as Partial<S3StorageConfiguration>;
  if (typeof config.bucket_name !== 'string' || config.bucket_name === '') {
    throw new ExportError(`Storage ${String(id)} (S3) has no configuration.bucket_name`, { code: ErrorCode.STORAGE_UNSUPPORTED });
  }
  return config as S3StorageConfiguration;
}

/** `name`, else `name(1)`, `name(2)`… : the first with no object under it. */
async function freeName(client: S3Client, bucket: string, prefix: string, name: string): Promise<string> {
  const { ListObjectsV2Command } = await awsSdk();
  for (let n = 0; ; n += 1) {
    const candidate = n === 0 ? name : `${name}(${n})`;
    const key = prefix === '' ? `${candidate}/` : `${prefix}/${candidate}/`;
    const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 })).catch((cause: unknown) => {
      throw new ExportError(`Cannot list s3://${bucket}/${key}: ${messageOf(cause)}`, { code: ErrorCode.STORAGE_UPLOAD_FAILED, cause });
    });
    if ((answer.KeyCount ?? 0) === 0) return candidate;
  }
}

/**
 * Streams every file under `root` to `<keyPrefix>/<relative path>`, `export_manifest.json` last.
 * Files are uploaded as the folder walk finds them, a few at a time, so a million-file export is
 * never listed whole in memory; a linked original (`mediaMode: 'symlink'`) is uploaded as its content.
 */
export async function uploadTree(client: S3Client, bucket: string, root: string, keyPrefix: string, options: S3StorageOptions): Promise<void> {
  const { Upload } = await awsSdk();
  const upload = async (file: string): Promise<void> => {
    const key = `${keyPrefix}/${file}`;
    try {
      await new Upload({ client, params: { Bucket: bucket, Key: key, Body: createReadStream(join(root, file)) }, partSize: options.partSize ?? 8 * 1024 * 1024, queueSize: 2 }).done();
    } catch (cause) {
      throw new ExportError(`Uploading ${file} to s3://${bucket}/${key} failed: ${messageOf(cause)}`, { code: ErrorCode.STORAGE_UPLOAD_FAILED, fileName: file, cause });
    }
  };
  await placeExportFiles(root, positiveInteger(options.uploadConcurrency ?? 4, 'uploadConcurrency'), upload);
}
