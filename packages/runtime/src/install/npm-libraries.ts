import type ArboristClass from '@npmcli/arborist';
import type pacoteModule from 'pacote';

/**
 * npm's fetcher and installer, loaded when first needed: an install from lake.lock whose
 * tarballs are all in the store or npm's cache uses neither, and loading them costs a
 * noticeable part of such an install (`pnpm bench`).
 */
export async function loadPacote(): Promise<typeof pacoteModule> {
  return (await import('pacote')).default;
}

export async function loadArborist(): Promise<typeof ArboristClass> {
  return (await import('@npmcli/arborist')).default;
}
