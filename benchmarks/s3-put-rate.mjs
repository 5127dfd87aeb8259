#!/usr/bin/env node
// PUT requests per second an S3-compatible server takes from one process: what bounds a sharded
// export into that server (one PUT per stored file).
//
//   node benchmarks/s3-put-rate.mjs --endpoint http://127.0.0.1:5000 --bucket exports [--puts 2000] [--in-flight 32]
//
// Credentials and region from the AWS environment variables.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, bucket: { type: 'string' }, puts: { type: 'string', default: '2000' }, 'in-flight': { type: 'string', default: '32' } } });
const client = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1', ...(values.endpoint ? { endpoint: values.endpoint, forcePathStyle: true } : {}) });
const puts = Number(values.puts);
let next = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: Number(values['in-flight']) }, async () => {
    while (next < puts) {
      const key = next++;
      await client.send(new PutObjectCommand({ Bucket: values.bucket, Key: `put-rate/${key}.json`, Body: '{"a": 1}' }));
    }
  }),
);
const seconds = (performance.now() - start) / 1000;
console.log(`${puts} PUTs in ${seconds.toFixed(1)} s: ${Math.round(puts / seconds)} PUTs/s`);
client.destroy();
