import { testConnector, testDialects } from '../src/index.ts';
import { notesConformance } from './fixtures/notes-conformance.ts';

// A well-behaved connector passes every scenario, on every configured database.
testConnector(notesConformance(undefined, testDialects()));
