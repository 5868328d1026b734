/**
 * The reason in an Atlassian error body, `{"errorMessages": [...], "errors": {"field": "..."}}`:
 * the messages, then each field's error as `field: message`. Undefined when the body is not
 * Atlassian's (a proxy's HTML page), for the client's standard reading.
 */
export function jiraErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { errorMessages, errors, message } = parsed as Record<string, unknown>;
  const messages = Array.isArray(errorMessages) ? errorMessages.filter((entry) => typeof entry === 'string') : [];
  const fields =
    typeof errors === 'object' && errors !== null
      ? Object.entries(errors).map(([field, reason]) => `${field}: ${String(reason)}`)
      : [];
  const parts = [...messages, ...fields];
  if (parts.length > 0) return parts.join('; ');
  return typeof message === 'string' ? message : undefined;
}
