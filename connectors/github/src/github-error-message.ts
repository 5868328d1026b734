interface GithubErrorBody {
  message?: unknown;
  errors?: unknown;
}

/** One entry of GitHub's `errors`: a text, a `{ message }`, or a validation failure `{ resource, field, code }`. */
function describeDetail(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const { message, resource, field, code } = detail as Record<string, unknown>;
  if (typeof message === 'string') return message;
  const where = [resource, field].filter((part) => typeof part === 'string').join('.');
  const text = [where, typeof code === 'string' ? code : ''].filter(Boolean).join(' ');
  return text || undefined;
}

/**
 * The reason in GitHub's error body: its `message`, with the details of `errors` that a 422
 * carries (`Validation Failed: Issue.title missing_field`). Undefined when the body is not
 * GitHub's (a proxy's HTML page), for the client's standard reading.
 */
export function githubErrorMessage(body: string): string | undefined {
  let parsed: GithubErrorBody;
  try {
    parsed = JSON.parse(body) as GithubErrorBody;
  } catch {
    return undefined;
  }
  if (typeof parsed?.message !== 'string') return undefined;
  const details = Array.isArray(parsed.errors) ? parsed.errors.map(describeDetail).filter(Boolean) : [];
  return details.length > 0 ? `${parsed.message}: ${details.join('; ')}` : parsed.message;
}
