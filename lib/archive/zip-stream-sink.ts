import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ZipSink } from './zip-writer.js';

/** A zip written to a stream (standard output, or a split archive's part), honouring its backpressure. */
export class ZipStreamSink implements ZipSink {
  private written = 0;
  private failure: Error | null = null;

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  get length(): number {
    return this.written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.failure !== null) throw this.failure;
    this.written += bytes.byteLength;
    if (!this.stream.write(bytes)) await this.drained();
  }

  async end(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
  }

  async destroy(): Promise<void> {
    this.stream.destroy();
    await finished(this.stream).catch(() => undefined);
  }

  /**
   * Waits for 'drain', or rejects with the stream's error, or when it is closed (destroyed) first.
   * Plain listeners: `events.once` with an AbortSignal made an AbortError, stack and all, for
   * each of the two losers of every wait.
   */
  private drained(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const stream = this.stream;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        stream.off('drain', onDrain).off('error', onError).off('close', onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onDrain = (): void => settle();
      const onError = (error: Error): void => settle(error);
      const onClose = (): void => settle(new Error('the archive stream was closed before the archive was complete'));
      stream.once('drain', onDrain).once('error', onError).once('close', onClose);
    });
  }
}
