import { createTestLake } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { withoutCredentials, withoutUrlCredentials } from '../src/git/remote-url.js';
import { gitConnector } from '../src/index.js';
import { makeRepository } from './make-repository.js';
import { contextFor } from './support/lake-on.js';

describe('remote URLs without credentials', () => {
  it.each([
    ['https://user:token@github.com/owner/repo.git', 'https://github.com/owner/repo.git'],
    ['https://ghp_tokenAsUserName@github.com/owner/repo', 'https://github.com/owner/repo'],
    [
      'https://oauth2:glpat-x@gitlab.example.org:8443/group/sub/repo.git',
      'https://gitlab.example.org:8443/group/sub/repo.git',
    ],
    ['http://user:p%40ss@host/repo.git?private_token=abc#frag', 'http://host/repo.git'],
    ['HTTPS://a:b@Host.Example/Repo', 'HTTPS://Host.Example/Repo'],
    ['https://user:pa@ss@host/repo.git', 'https://host/repo.git'],
    ['ssh://git:hunter2@host.example:2222/srv/repo.git', 'ssh://git@host.example:2222/srv/repo.git'],
    ['ssh://git@host.example/srv/repo.git', 'ssh://git@host.example/srv/repo.git'],
    ['git+ssh://deploy:secret@host/repo', 'git+ssh://deploy@host/repo'],
    ['ssh://:secret@host/repo', 'ssh://host/repo'],
    ['git://user:secret@host/repo.git', 'git://host/repo.git'],
    ['git@github.com:owner/repo.git', 'git@github.com:owner/repo.git'],
    ['deploy:secret@github.com:owner/repo.git', 'deploy@github.com:owner/repo.git'],
    ['deploy:se/cret@github.com:owner/repo.git', 'deploy@github.com:owner/repo.git'],
    [':secret@[::1]:repo.git', '[::1]:repo.git'],
    ['github.com:owner/repo.git', 'github.com:owner/repo.git'],
    ['/srv/git/a@b:c.git', '/srv/git/a@b:c.git'],
    ['../relative/repo', '../relative/repo'],
    ['file:///srv/git/repo.git', 'file:///srv/git/repo.git'],
    ['', ''],
  ])('%s → %s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });

  it('removes the user part of every URL quoted in a message', () => {
    expect(
      withoutUrlCredentials(
        "fatal: unable to access 'https://bot:ghp_abc@github.com/o/r.git/': and ssh://git:pw@host/x failed",
      ),
    ).toBe("fatal: unable to access 'https://github.com/o/r.git/': and ssh://host/x failed");
  });
});

describe('the repository stream', () => {
  it('stores the remote as scheme, host and path in the raw, tool and domain tables', async () => {
    const repository = await makeRepository({ commits: 2 });
    repository.git('remote', 'add', 'origin', 'ssh://deploy:hunter2@git.example.org:2222/srv/project.git');
    const lake = await createTestLake({ connector: gitConnector });
    try {
      await lake.syncOrThrow(contextFor(repository.path));
      const clean = 'ssh://deploy@git.example.org:2222/srv/project.git';
      expect((await lake.rows('repos'))[0]?.url).toBe(clean);
      expect((await lake.rows('_tool_git_repos'))[0]?.remote_url).toBe(clean);
      expect(JSON.stringify(await lake.rows('_raw_git_repository'))).not.toContain('hunter2');
      expect(JSON.stringify(await lake.snapshot())).not.toContain('hunter2');
    } finally {
      await lake.close();
      await repository.cleanup();
    }
  });
});
