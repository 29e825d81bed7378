/**
 * Small declarative building blocks for controls. A control is usually one `resourceControl(meta, rule)`
 * where `rule` is built from an `expect*` helper over one or more candidate paths.
 *
 * Ground rules every helper keeps:
 * - An UnknownValue that decides the outcome yields 'unknown' (never 'pass'), with its reason and location.
 * - ARM property names are case-insensitive, so lookups fall back to a case-insensitive key match.
 * - Resources declared with `existing: true` are references, not deployments: no results.
 */
export * from './lookup';
export * from './results';
export * from './expectations';
export * from './ip-ranges';
export * from './factories';
export * from './parameters';
export * from './app-service';
export * from './caller-ips';
export * from './oss-databases';
export * from './vmss';
export * from './template';
export * from './parents';
export * from './nsg';
export * from './app-gateway';
export * from './aks';
export * from './compute';
export * from './secret-values';
export * from './service-access';
export type { CheckContext, CheckResult, EvaluatedValue } from '../../model';
export * from './namespaces';
