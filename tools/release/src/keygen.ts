/**
 * pnpm release:keygen <file> — creates the team's release signing key (ed25519): the private
 * key goes to <file> with mode 0600 (keep it out of the repository: a CI secret, or a file
 * only releasers can read), and the public key is printed for lake.yaml's `trust.keys`.
 *
 *   pnpm release:keygen ~/.config/lake/release-key.pem
 *   LAKE_SIGNING_KEY_FILE=~/.config/lake/release-key.pem pnpm release
 */
import { writeFile } from 'node:fs/promises';
import { generateSigningKey } from '@lake-tools/registry-server';

const file = process.argv.slice(2).find((argument) => argument !== '--');
if (!file) {
  process.stderr.write('usage: pnpm release:keygen <file for the private key>\n');
  process.exit(2);
}
const { privateKeyPem, key } = generateSigningKey();
try {
  // wx: never overwrite a key that signed releases already.
  await writeFile(file, privateKeyPem, { mode: 0o600, flag: 'wx' });
} catch (error) {
  process.stderr.write(`[lake] cannot write ${file}: ${(error as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(
  `Private key written to ${file} (mode 0600; never commit it).\nKey id ${key.keyid}. Trust it in lake.yaml:\n\ntrust:\n  keys:\n    - ${key.publicKey}\n`,
);
