import { fail, findSecrets, isObject, pass, prop, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view, ctx) => {
  const problems: string[] = [];
  let undecided: UnknownValue | undefined;
  const vars = view.getShallow('$.properties.environmentVariables');
  if (vars.state === 'unknown') return unknownResult(vars, 'the environment variables', view.resource);
  for (const v of vars.state === 'value' && Array.isArray(vars.value) ? vars.value : []) {
    if (!isObject(v)) continue;
    const name = prop(v, 'name');
    const value = prop(v, 'value');
    if (value === undefined || value === null) continue;
    // Judge the plain value under the variable's own name, as if it were a property of that name.
    const key = typeof name === 'string' ? name : 'value';
    const { secrets, unknowns } = findSecrets({ [key]: value }, ctx);
    if (secrets.length) problems.push(`environment variable ${key} (${secrets[0]!.why})`);
    else if (unknowns.length) undecided ??= unknowns[0]!.value;
  }
  // Arguments are a plain command line: a secret there is a secret in the deployment history.
  const args = view.getShallow('$.properties.arguments');
  const { secrets: inArgs } = findSecrets(args.state === 'absent' ? undefined : args.value, ctx);
  if (inArgs.length) problems.push(`arguments (${inArgs[0]!.why})`);
  if (problems.length) return fail(`Secrets passed in the clear to the deployment script, readable by anyone who can read the resource or the deployment: ${problems.join('; ')}.`, view.resource.locate(['properties']));
  if (undecided) return unknown(`Cannot decide whether an environment variable holds a secret: ${undecided.reason}.`, undecided.location ?? view.location);
  return pass('No secret is passed in a plain environment variable or in the arguments; secrets use secureValue.', view.location);
};

export default resourceControl(
  {
    id: 'deployment-script-secure-environment',
    title: 'Deployment scripts receive secrets only as secure environment variables',
    severity: 'high',
    featureSet: 'DeploymentScripts',
    resourceTypes: ['Microsoft.Resources/deploymentScripts'],
    rationale:
      'A deployment script runs with an identity that usually holds broad rights, and what it is given is stored: environment ' +
      'variables given with value and the arguments string are returned by the API for the deploymentScripts resource and kept ' +
      'in the deployment history, readable by anyone with Reader on the resource group. secureValue is write-only. A variable ' +
      'counts as a secret when its name is secret-like (PASSWORD, TOKEN, KEY…) or its value comes from a secure parameter, a ' +
      'Key Vault reference or list*(); arguments are judged by where their value comes from.',
    remediation: {
      text: 'Pass secrets in environmentVariables with secureValue (from a secure parameter or a Key Vault reference) and read them in the script; keep them out of arguments.',
      snippet: snippet({
        type: 'Microsoft.Resources/deploymentScripts',
        kind: 'AzureCLI',
        properties: { environmentVariables: [{ name: 'DB_PASSWORD', secureValue: "[parameters('dbPassword')]" }], scriptContent: 'az ... --password "$DB_PASSWORD"' },
      }),
    },
    references: { mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  rule,
);
