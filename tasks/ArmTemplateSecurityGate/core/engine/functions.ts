/**
 * The ARM template function library. Semantics follow the learn.microsoft.com
 * template-functions reference; anything known only at deployment yields an UnknownValue that
 * says why. Built once per process, on first use, around the evaluator's entry points.
 */
import type { Evaluator } from './runtime';
import { registerCidr } from './functions/cidr';
import { registerCollections } from './functions/collections';
import { registerDates } from './functions/dates';
import { registerDeployment } from './functions/deployment';
import { registerLambdas } from './functions/lambdas';
import { registerLogical } from './functions/logical';
import { registerNumbers } from './functions/numbers';
import { FunctionDef, Registry } from './functions/registry';
import { registerStrings } from './functions/strings';

export type { CallNode, FunctionDef } from './functions/registry';
export { listResult } from './functions/deployment';

export function createFunctionTable(ev: Evaluator, canonical: (lower: string) => string): Map<string, FunctionDef> {
  const r = new Registry(ev, canonical);
  registerLogical(r);
  registerNumbers(r);
  registerStrings(r);
  registerCollections(r);
  registerLambdas(r);
  registerDeployment(r);
  registerDates(r);
  registerCidr(r);
  return r.table;
}
