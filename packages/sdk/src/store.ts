/**
 * @lake/sdk/store — what a program that runs connectors writes to the lake itself, beside the
 * connectors: the run recorder, for a run its connector could not record (it crashed, was
 * killed, refused its context). Opening and migrating the store stay on the main entry
 * (`openStore`, `runMigrations`, `SDK_MIGRATIONS`), which a connector's own tests use too.
 */

export { type RunIdentity, RunRecorder, type RunStatus } from './engine/run-recorder.js';
