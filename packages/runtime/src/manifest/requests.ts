import type { ConnectorRequest, ScopeEntry } from './manifest-schema.js';

// What commands read off a validated manifest, apart from its schema: `lake list` uses these
// without loading zod (`manifest-cache.ts`).

/** A connector request in one shape. */
export type NormalizedRequest =
  | { kind: 'shipped'; allowDowngrade: boolean }
  | { kind: 'range'; range: string; allowDowngrade: boolean }
  | { kind: 'path'; path: string; allowUnsigned: boolean }
  | { kind: 'tarball'; path: string; allowUnsigned: boolean };

export function normalizeRequest(request: ConnectorRequest): NormalizedRequest {
  if (request === 'shipped') return { kind: 'shipped', allowDowngrade: false };
  if (typeof request === 'string') return { kind: 'range', range: request, allowDowngrade: false };
  if ('path' in request) return { kind: 'path', path: request.path, allowUnsigned: request.allowUnsigned ?? false };
  if ('tarball' in request)
    return { kind: 'tarball', path: request.tarball, allowUnsigned: request.allowUnsigned ?? false };
  const allowDowngrade = request.allowDowngrade ?? false;
  return request.version === 'shipped'
    ? { kind: 'shipped', allowDowngrade }
    : { kind: 'range', range: request.version, allowDowngrade };
}

/** The request as the lock records it: `shipped`, the range, `path:<p>` or `tarball:<p>`. */
export function describeRequest(request: NormalizedRequest): string {
  switch (request.kind) {
    case 'shipped':
      return 'shipped';
    case 'range':
      return request.range;
    case 'path':
      return `path:${request.path}`;
    case 'tarball':
      return `tarball:${request.path}`;
  }
}

/** The manifest's id for a scope: its own `id`, or its scope's values joined with `/`. */
export function scopeIdOf(entry: ScopeEntry): string {
  if (entry.id) return entry.id;
  const values = Object.values(entry.scope).filter(
    (value): value is string | number => typeof value === 'string' || typeof value === 'number',
  );
  return values.length > 0 ? values.join('/') : JSON.stringify(entry.scope);
}
