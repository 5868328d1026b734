import type { FakeResponse } from '@lake/testkit/fake-api';

/** Atlassian's error body: `{"errorMessages": […], "errors": {field: message}}`. */
export const errorBody = (messages: string[], errors: Record<string, string> = {}) => ({
  errorMessages: messages,
  errors,
});

export const UNAUTHENTICATED: FakeResponse = {
  status: 401,
  body: errorBody(['You are not authenticated. Authentication required to perform this operation.']),
};

export const notFound = (what: string): FakeResponse => ({
  status: 404,
  body: errorBody([`${what} does not exist or you do not have permission to see it.`]),
});

export const badRequest = (messages: string[], errors: Record<string, string> = {}): FakeResponse => ({
  status: 400,
  body: errorBody(messages, errors),
});
