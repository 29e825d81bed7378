import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cognitive-services-local-auth-disabled',
    title: 'Azure AI services account refuses API keys',
    severity: 'medium',
    featureSet: 'CognitiveServices',
    resourceTypes: ['Microsoft.CognitiveServices/accounts'],
    rationale:
      'API keys are shared secrets copied into apps and notebooks; anyone holding one can call the models and read the ' +
      'account\'s data, with no identity in the logs. With disableLocalAuth true callers need an Entra ID token and a ' +
      'Cognitive Services role. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and grant Cognitive Services User (or OpenAI User) to the callers.',
      snippet: snippet({ type: 'Microsoft.CognitiveServices/accounts', properties: { disableLocalAuth: true } }),
    },
    references: { psrule: ['Azure.Cognitive.DisableLocalAuth'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled(),
);
