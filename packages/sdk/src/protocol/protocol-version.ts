/**
 * The version of the connector ↔ runtime line protocol this SDK writes and reads. Every line
 * carries it as `protocolVersion`; a line without one comes from an SDK older than the field
 * and is read as version 1 (the format was the same).
 *
 * Within a version, changes are additive only (new optional fields, new message types that a
 * reader may skip). Anything a reader of this version would misunderstand is a new version,
 * which this SDK's parser refuses by name (`PROTOCOL_VERSION_UNSUPPORTED`) rather than
 * misreading it.
 */
export const PROTOCOL_VERSION = 1;
