/**
 * The reason in a Jenkins error page. Jenkins answers errors with HTML (Stapler's error page,
 * or the security realm's "Invalid password/token for user: …"); the reason is the page's
 * `<title>`/`<h1>` or its first paragraph. A JSON body (`{"message": …}` from some plugins) is
 * read too. Undefined when nothing readable is found, for the client's standard reading.
 */
export function jenkinsErrorMessage(body: string): string | undefined {
  const json = messageOfJson(body);
  if (json !== undefined) return json;
  const invalid = /Invalid password\/token for user: [^<\n]+/.exec(body);
  if (invalid) return invalid[0].trim();
  const crumb = /No valid crumb was included in the request/.exec(body);
  if (crumb) return crumb[0];
  const heading = /<h1[^>]*>([^<]+)<\/h1>/i.exec(body) ?? /<title>([^<]+)<\/title>/i.exec(body);
  return heading ? heading[1]!.replace(/\s+/g, ' ').trim() : undefined;
}

function messageOfJson(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { message } = parsed as { message?: unknown };
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
