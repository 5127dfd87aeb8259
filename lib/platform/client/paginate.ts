/** One page of a Django REST Framework list response. */
export interface Page<T> {
  count: number;
  next: string | null;
  results: T[];
}

/**
 * Walks a paginated listing from its first page by following `next`, iteratively (no recursion,
 * so a million pages cost no stack) and with up to `prefetch` pages fetched ahead of the one being
 * read. Memory is bounded by `(prefetch + 1) × page size` items. Stopping early aborts the
 * fetches still running.
 */
export async function* paginate<T>(
  first: Page<T>,
  fetchPage: (url: string, signal: AbortSignal) => Promise<Page<T>>,
  prefetch: number,
): AsyncGenerator<T> {
  const abort = new AbortController();
  const ahead: Array<Promise<Page<T> | null>> = [];
  let tail: Promise<Page<T> | null> = Promise.resolve(first);
  let ended = false;

  const fill = (): void => {
    while (!ended && ahead.length < Math.max(1, prefetch)) {
      // Each fetch needs the `next` of the page before it, so the chain is sequential; it just
      // runs ahead of the reader.
      tail = tail.then((page) => (page?.next ? fetchPage(page.next, abort.signal) : null));
      // The reader awaits these in order; this only keeps a failure from counting as unhandled.
      tail.catch(() => undefined);
      ahead.push(tail);
    }
  };

  try {
    // Page 2 is on its way while page 1 is read.
    fill();
    yield* first.results;
    while (ahead.length > 0) {
      const page = await ahead.shift()!;
      if (page === null) {
        ended = true;
        break;
      }
      fill();
      yield* page.results;
    }
  } finally {
    ended = true;
    abort.abort();
  }
}
