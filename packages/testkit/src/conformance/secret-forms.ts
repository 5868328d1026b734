/**
 * The forms in which a secret can leak: as itself, URL-encoded, and base64 (standard and URL
 * alphabet) at each of the three byte alignments it can have inside a longer encoded text (a
 * token inside `Basic base64(user:token)` starts anywhere in a 3-byte group). Only the base64
 * characters that depend on the secret's bytes alone are kept, so a match is a real leak.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let skip = 0; skip < 3; skip += 1) {
    const part = bytes.subarray(skip);
    const stable = Math.floor(part.length / 3) * 4;
    // Fewer than 8 characters would match ordinary text by chance.
    if (stable < 8) continue;
    const standard = part.toString('base64').slice(0, stable);
    forms.add(standard);
    forms.add(part.toString('base64url').slice(0, stable));
  }
  return [...forms];
}

/** The secrets (by a short, safe description) found in `text`, in any of their forms. */
export function findSecrets(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const form of secretForms(secret)) {
      if (text.includes(form)) {
        found.push(
          `${describeSecret(secret)} ${form === secret ? 'in clear' : `encoded as ${describeForm(secret, form)}`}`,
        );
        break;
      }
    }
  }
  return found;
}

/** Names a secret without printing it: its length and first two characters. */
export function describeSecret(secret: string): string {
  return `the secret "${secret.slice(0, 2)}…" (${secret.length} characters)`;
}

function describeForm(secret: string, form: string): string {
  return form === encodeURIComponent(secret) ? 'URL-encoded' : 'base64';
}
