import type { S3Client } from '@aws-sdk/client-s3';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { s3Client, uploadTree } from '../platform/storages/s3.js';
import type { S3ShardTarget } from './shard-plan.js';
import type { ShardStore } from './shard-store.js';

/** Files a shard uploads at once. */
const UPLOAD_CONCURRENCY = 32;

/**
 * A sharded export's folder in an S3-compatible bucket: small JSON objects (plan, shard
 * manifests) read and written whole, folders of finished files uploaded with the platform
 * storage's multipart uploader.
 */
export class S3ShardStore implements ShardStore {
  /** Made on first use, as the platform storage does: the AWS SDK loads only when S3 is used. */
  private readonly client: Promise<S3Client>;

  constructor(readonly target: S3ShardTarget) {
    this.client = s3Client({
      ...(target.endpoint === undefined ? {} : { endpoint_url: target.endpoint }),
      ...(target.region === undefined ? {} : { region_name: target.region }),
    });
  }

  get uri(): string {
    return `s3://${this.target.bucket}/${this.target.key}`;
  }

  private keyOf(relative: string): string {
    return relative === '' ? this.target.key : `${this.target.key}/${relative}`;
  }

  async getJson<T>(relative: string): Promise<T | undefined> {
    const key = this.keyOf(relative);
    try {
      const { GetObjectCommand } = await sdk();
      const answer = await (await this.client).send(new GetObjectCommand({ Bucket: this.target.bucket, Key: key }));
      return JSON.parse(await answer.Body!.transformToString('utf8')) as T;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.failure(`Cannot read s3://${this.target.bucket}/${key}`, error);
    }
  }

  async putJson(relative: string, value: unknown): Promise<void> {
    const key = this.keyOf(relative);
    const { PutObjectCommand } = await sdk();
    await (await this.client)
      .send(new PutObjectCommand({ Bucket: this.target.bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }))
      .catch((error: unknown) => {
        throw this.failure(`Cannot write s3://${this.target.bucket}/${key}`, error);
      });
  }

  async read(relative: string): Promise<AsyncIterable<Uint8Array>> {
    const key = this.keyOf(relative);
    const { GetObjectCommand } = await sdk();
    const answer = await (await this.client).send(new GetObjectCommand({ Bucket: this.target.bucket, Key: key })).catch((error: unknown) => {
      throw this.failure(`Cannot read s3://${this.target.bucket}/${key}`, error);
    });
    // In Node the body is a Readable: an async iterable of chunks.
    return answer.Body as AsyncIterable<Uint8Array>;
  }

  async exists(relative: string): Promise<boolean> {
    const key = this.keyOf(relative);
    try {
      const { HeadObjectCommand } = await sdk();
      await (await this.client).send(new HeadObjectCommand({ Bucket: this.target.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw this.failure(`Cannot look up s3://${this.target.bucket}/${key}`, error);
    }
  }

  async upload(directory: string, relative = ''): Promise<void> {
    // Shard files are mostly small JSON documents: many requests in flight, not big parts, set the pace.
    await uploadTree(await this.client, this.target.bucket, directory, this.keyOf(relative), { uploadConcurrency: UPLOAD_CONCURRENCY });
  }

  async deleteFolder(relative: string): Promise<void> {
    const prefix = `${this.keyOf(relative)}/`;
    const { DeleteObjectsCommand, ListObjectsV2Command } = await sdk();
    let token: string | undefined;
    do {
      const page = await (await this.client).send(new ListObjectsV2Command({ Bucket: this.target.bucket, Prefix: prefix, ContinuationToken: token }));
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length > 0) await (await this.client).send(new DeleteObjectsCommand({ Bucket: this.target.bucket, Delete: { Objects: keys, Quiet: true } }));
      token = page.NextContinuationToken;
    } while (token !== undefined);
  }

  async isEmpty(): Promise<boolean> {
    const { ListObjectsV2Command } = await sdk();
    const page = await (await this.client).send(new ListObjectsV2Command({ Bucket: this.target.bucket, Prefix: `${this.target.key}/`, MaxKeys: 1 }));
    return (page.KeyCount ?? 0) === 0;
  }

  destroy(): void {
    void this.client.then((client) => client.destroy(), () => undefined);
  }

  private failure(message: string, cause: unknown): ExportError {
    return new ExportError(`${message}: ${messageOf(cause)}`, { code: ErrorCode.STORAGE_UPLOAD_FAILED, cause });
  }
}

function sdk(): Promise<typeof import('@aws-sdk/client-s3')> {
  return import('@aws-sdk/client-s3');
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}
