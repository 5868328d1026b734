/** A `message` that is text, or a validation map such as `{ "title": ["can't be blank"] }`. */
function describe(message: unknown): string | undefined {
  if (typeof message === 'string') return message;
  if (typeof message !== 'object' || message === null) return undefined;
  const parts = Object.entries(message as Record<string, unknown>).map(([field, problems]) => {
    const list = Array.isArray(problems) ? problems.map(String).join(', ') : String(problems);
    return `${field} ${list}`;
  });
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * The reason in GitLab's error bodies (docs.gitlab.com/ee/api/rest/troubleshooting): `{"message":
 * "404 Project Not Found"}`, a validation `{"message": {"field": ["…"]}}`, or OAuth's `{"error":
 * "insufficient_scope", "error_description": "…"}`. Undefined for a body that is not GitLab's (a
 * proxy's HTML page), for the client's standard reading.
 */
export function gitlabErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { message, error, error_description: description } = parsed as Record<string, unknown>;
  const fromMessage = describe(message);
  if (fromMessage !== undefined) return fromMessage;
  if (typeof error !== 'string') return undefined;
  return typeof description === 'string' ? `${error}: ${description}` : error;
}
