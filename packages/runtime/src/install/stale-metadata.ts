/**
 * npm's fetcher answers from its cache when the registry does not answer a revalidation,
 * and only says so in a log line (`GET 200 <url> (cache stale)`). This listens for those
 * lines while an install runs, so the operator is told that the metadata may be out of date
 * instead of getting a silent success.
 */
export interface StaleMetadataWatch {
  /** Stops listening; returns the URLs that were answered from the cache, once each. */
  stop(): string[];
}

export function watchStaleMetadata(): StaleMetadataWatch {
  const urls = new Set<string>();
  const listener = (level: string, ...parts: unknown[]) => {
    if (level !== 'http') return;
    const line = parts.map(String).join(' ');
    if (!line.includes('(cache stale)')) return;
    const url = line.split(' ').find((part) => /^https?:\/\//.test(part));
    if (url) urls.add(url);
  };
  process.on('log' as never, listener as never);
  return {
    stop() {
      process.off('log' as never, listener as never);
      return [...urls];
    },
  };
}

/** The warning for what was answered from the cache: which packages, and what it means. */
export function staleMetadataWarning(urls: readonly string[], registry: string): string | undefined {
  if (urls.length === 0) return undefined;
  const names = urls.map((url) => decodeURIComponent(new URL(url).pathname.slice(1)));
  return `${registry} did not answer: the metadata of ${names.join(', ')} came from the npm cache and may be out of date (pass --offline to use the cache on purpose)`;
}
