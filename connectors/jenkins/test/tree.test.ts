import { describe, expect, it } from 'vitest';
import { parseTree, selectTree, TreeSyntaxError } from './fake-jenkins/tree.js';

describe("the fake's tree= query", () => {
  it('selects nested fields and ranges, and keeps _class as Jenkins does', () => {
    const job = {
      _class: 'Job',
      name: 'deploy',
      color: 'blue',
      allBuilds: [5, 4, 3, 2, 1].map((number) => ({
        _class: 'Run',
        number,
        url: `u${number}`,
        actions: [{ _class: 'A', x: 1 }],
      })),
    };
    expect(selectTree(job, parseTree('name,allBuilds[number,actions[x]]{1,3}'))).toEqual({
      _class: 'Job',
      name: 'deploy',
      allBuilds: [
        { _class: 'Run', number: 4, actions: [{ _class: 'A', x: 1 }] },
        { _class: 'Run', number: 3, actions: [{ _class: 'A', x: 1 }] },
      ],
    });
    expect(selectTree(job, parseTree('allBuilds[number]{3,}'))).toEqual({
      _class: 'Job',
      allBuilds: [
        { _class: 'Run', number: 2 },
        { _class: 'Run', number: 1 },
      ],
    });
    expect(selectTree(job, parseTree('allBuilds[number]{,1}'))).toMatchObject({ allBuilds: [{ number: 5 }] });
    expect(selectTree(job, parseTree('allBuilds[number]{2}'))).toMatchObject({ allBuilds: [{ number: 3 }] });
    // An object field without sub-fields is only its class.
    expect(selectTree(job, parseTree('allBuilds{0,1}'))).toEqual({ _class: 'Job', allBuilds: [{ _class: 'Run' }] });
  });

  it('refuses what Jenkins refuses', () => {
    for (const text of ['jobs[', 'a,', 'a{1,2', 'a{x}', 'a]'])
      expect(() => parseTree(text), text).toThrow(TreeSyntaxError);
  });
});
