import { BOT_LOGIN, GithubDataset, type RepositoryMetadata } from './dataset.js';
import type { OrganizationFields } from './payloads.js';

/**
 * What surrounds the dataset repository: the organizations a user belongs to, the owner's other
 * repositories and everyone's personal ones. Those other repositories exist (they list, and
 * `GET /repos/{owner}/{repo}` answers) but are empty of issues, pull requests, runs and
 * deployments, so a connector that discovers repositories meets more than one without the
 * tests paying for more data.
 */
export interface Catalog {
  organizations: OrganizationFields[];
  /** Every repository by lower-cased `owner/name` (GitHub matches names case-insensitively). */
  repositories: Map<string, GithubDataset>;
}

const DAY = 24 * 60 * 60 * 1000;

interface NeighbourSpec {
  name: string;
  ageDays: number;
  metadata: Partial<RepositoryMetadata>;
}

const OWNER_NEIGHBOURS: readonly NeighbourSpec[] = [
  { name: 'gadgets', ageDays: 400, metadata: { description: 'Gadget catalogue', language: 'Go', private: false } },
  { name: 'docs', ageDays: 300, metadata: { description: 'Public documentation', language: 'MDX', private: false } },
  { name: 'infra', ageDays: 200, metadata: { description: 'Terraform for everything', language: 'HCL' } },
  {
    name: 'legacy-app',
    ageDays: 900,
    metadata: { description: 'The old monolith (read-only)', language: 'Ruby', archived: true },
  },
];

const SECOND_ORG_NEIGHBOURS: readonly NeighbourSpec[] = [
  { name: 'lab-notes', ageDays: 120, metadata: { description: 'Experiments', language: 'Python' } },
  { name: 'prototype', ageDays: 60, metadata: { description: null, language: 'Rust', private: false } },
];

const EMPTY_SIZES = { issues: 0, pullRequests: 0, commits: 3, workflowRuns: 0, deployments: 0 };

/** Builds the organizations and repositories around `dataset`; deterministic like the dataset itself. */
export function buildCatalog(dataset: GithubDataset): Catalog {
  const secondOrg = dataset.owner === 'octo-labs' ? 'octo-research' : 'octo-labs';
  const organizations: OrganizationFields[] = [
    { login: dataset.owner, id: dataset.ownerId, description: `The ${dataset.owner} organization` },
    { login: secondOrg, id: dataset.ownerId + 1, description: 'Experiments and prototypes' },
  ];
  const repositories = new Map<string, GithubDataset>();
  repositories.set(dataset.fullName.toLowerCase(), dataset);
  let repoId = dataset.repoId;
  const add = (owner: string, ownerId: number, ownerType: 'Organization' | 'User', spec: NeighbourSpec) => {
    repoId += 101;
    const neighbour = new GithubDataset({
      owner,
      name: spec.name,
      sizes: EMPTY_SIZES,
      start: new Date(dataset.createdAt - spec.ageDays * DAY),
      repoId,
      ownerType,
      ownerId,
      metadata: spec.metadata,
    });
    repositories.set(neighbour.fullName.toLowerCase(), neighbour);
  };
  for (const spec of OWNER_NEIGHBOURS) add(dataset.owner, dataset.ownerId, 'Organization', spec);
  for (const spec of SECOND_ORG_NEIGHBOURS) add(secondOrg, dataset.ownerId + 1, 'Organization', spec);
  for (const user of dataset.users) {
    if (user.login === BOT_LOGIN) continue;
    add(user.login, user.id, 'User', {
      name: 'dotfiles',
      ageDays: 700,
      metadata: { description: 'My dotfiles', language: 'Shell', private: false },
    });
    add(user.login, user.id, 'User', { name: 'playground', ageDays: 30, metadata: { description: null } });
  }
  return { organizations, repositories };
}

/** The repositories an organization owns, in catalog order. */
export function organizationRepositories(catalog: Catalog, organization: string): GithubDataset[] {
  const login = organization.toLowerCase();
  return [...catalog.repositories.values()].filter(
    (repository) => repository.ownerType === 'Organization' && repository.owner.toLowerCase() === login,
  );
}

/** The repositories a user owns personally. */
export function personalRepositories(catalog: Catalog, login: string): GithubDataset[] {
  const owner = login.toLowerCase();
  return [...catalog.repositories.values()].filter(
    (repository) => repository.ownerType === 'User' && repository.owner.toLowerCase() === owner,
  );
}
