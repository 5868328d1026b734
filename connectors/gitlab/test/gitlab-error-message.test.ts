import { describe, expect, it } from 'vitest';
import { gitlabErrorMessage } from '../src/gitlab-error-message.js';

describe("GitLab's error bodies", () => {
  it('reads a message, a validation map and an OAuth error', () => {
    expect(gitlabErrorMessage('{"message":"404 Project Not Found"}')).toBe('404 Project Not Found');
    expect(gitlabErrorMessage('{"message":{"title":["can\'t be blank","is too short"],"base":"locked"}}')).toBe(
      "title can't be blank, is too short; base locked",
    );
    expect(
      gitlabErrorMessage('{"error":"insufficient_scope","error_description":"The request requires higher privileges"}'),
    ).toBe('insufficient_scope: The request requires higher privileges');
    expect(gitlabErrorMessage('{"error":"order_by does not have a valid value"}')).toBe(
      'order_by does not have a valid value',
    );
  });

  it("leaves a body that is not GitLab's to the client's standard reading", () => {
    expect(gitlabErrorMessage('<html>Bad gateway</html>')).toBeUndefined();
    expect(gitlabErrorMessage('"text"')).toBeUndefined();
    expect(gitlabErrorMessage('{"message":{}}')).toBeUndefined();
    expect(gitlabErrorMessage('{"other":1}')).toBeUndefined();
  });
});
