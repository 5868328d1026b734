/** The token given in the address (`#token=…`), kept for this tab only and taken out of the address. */
function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('lake-console-token', decodeURIComponent(match[1]!));
    history.replaceState(null, '', `${location.pathname}#/connectors`);
  }
  return sessionStorage.getItem('lake-console-token');
}

const token = takeToken();

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GET one API path and parse its JSON; a failure answer becomes an ApiError with its code. */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = (await response.json()) as T & { error?: { code: string; message: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? 'FAILED', body.error?.message ?? '');
  return body;
}

/** The live view's event stream (EventSource sends no headers: the token goes in the query). */
export function liveEvents(): EventSource {
  return new EventSource(`api/live/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
}
