export { ApimEmulator, SUPPORTED_API_VERSIONS } from './apim-emulator';
export type { ApimCall, ApimServiceOptions, ApiPutFailure } from './apim-emulator';
export { ApimError } from './errors';
export { escapeExpressions, unescapeExpressions, validatePolicy } from './policy-xml';
export { parseGraphQlSdl, parseOpenApi, parseWsdl } from './spec-import';
export type { ImportedOperation, ImportedSpec } from './spec-import';
export type { ApiRecord, ApimServiceState, Entity, OperationRecord, PolicyRecord, ProductRecord, RevisionRecord } from './state';
