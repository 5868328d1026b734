import { testConnector, testDialects } from '../src/index.js';
import { createNotesConnector, notesFixture } from './fixtures/notes-connector.js';

// A well-behaved connector passes every scenario, on every configured database.
testConnector({ connector: createNotesConnector(45), dialects: testDialects(), ...notesFixture() });
