import { databaseUrlSecrets, Redactor } from '@lake/sdk/host';

/** Registers a secret with a redactor as it is and as JSON writes it (quotes and backslashes escaped). */
export function addSecret(redactor: Redactor, value: string): void {
  redactor.add(value);
  redactor.add(JSON.stringify(value).slice(1, -1));
}

/** A redactor for these secrets, each as it is and as JSON writes it. */
export function redactorFor(values: readonly string[]): Redactor {
  const redactor = new Redactor();
  for (const value of values) addSecret(redactor, value);
  return redactor;
}

/**
 * The secrets of a database or queue URL from lake.yaml: the values substituted into it
 * (`${VAR}`, `${secret:…}`) and the credentials it carries, written literally or not
 * (the userinfo's password, password-like query parameters).
 */
export function urlSecrets(resolved: { value: string; substituted: readonly string[] }): string[] {
  return [...resolved.substituted, ...databaseUrlSecrets(resolved.value)];
}
