import { fail, findSecrets, isObject, pass, prop, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';
import { UnknownValue, type EvaluatedValue } from '../model';

const rule: Rule = (view, ctx) => {
  const problems: string[] = [];
  let undecided: UnknownValue | undefined;
  for (const list of ['containers', 'initContainers']) {
    const l = view.getShallow(`$.properties.${list}`);
    if (l.state === 'unknown') return unknownResult(l, `the ${list}`, view.resource);
    if (l.state !== 'value' || !Array.isArray(l.value)) continue;
    for (const c of l.value) {
      const name = isObject(c) ? prop(c, 'name') : undefined;
      const props = isObject(c) ? prop(c, 'properties') : undefined;
      const vars: EvaluatedValue | undefined = isObject(props) ? prop(props, 'environmentVariables') : undefined;
      if (vars instanceof UnknownValue) {
        undecided ??= vars;
        continue;
      }
      for (const v of Array.isArray(vars) ? vars : []) {
        if (!isObject(v)) continue;
        const varName = prop(v, 'name');
        const value = prop(v, 'value');
        if (value === undefined || value === null) continue;
        // Judge the plain value under the variable's own name, as if it were a property of that name.
        const key = typeof varName === 'string' ? varName : 'value';
        const { secrets, unknowns } = findSecrets({ [key]: value }, ctx);
        if (secrets.length) problems.push(`${typeof name === 'string' ? name : 'a container'}: ${key} (${secrets[0]!.why})`);
        else if (unknowns.length) undecided ??= unknowns[0]!.value;
      }
    }
  }
  if (problems.length) return fail(`Secrets in plain environment variables, visible to anyone who can read the container group: ${problems.join('; ')}.`, view.resource.locate(['properties', 'containers']));
  if (undecided) return unknown(`Cannot decide whether an environment variable holds a secret: ${undecided.reason}.`, undecided.location ?? view.location);
  return pass('No secret is passed in a plain environment variable; secrets use secureValue.', view.location);
};

export default resourceControl(
  {
    id: 'container-group-secure-env-vars',
    title: 'Container groups pass secrets only as secure environment variables',
    severity: 'high',
    featureSet: 'ContainerInstances',
    resourceTypes: ['Microsoft.ContainerInstance/containerGroups'],
    rationale:
      'An environment variable given with value is returned by the API and shown in the portal to anyone who can read the container ' +
      'group; secureValue is write-only. A variable counts as a secret when its name is secret-like (PASSWORD, TOKEN, KEY, ' +
      'CONNECTION_STRING…) or its value comes from a secure parameter, a Key Vault reference or list*(). Checkov\'s CKV_AZURE_235 ' +
      'fails any variable given with value, secret or not, and is not mapped.',
    remediation: {
      text: 'Give secret variables with secureValue instead of value (from a secure parameter or a Key Vault reference).',
      snippet: snippet({ name: 'app', properties: { environmentVariables: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', secureValue: "[parameters('dbPassword')]" }] } }),
    },
    references: { mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  rule,
);
