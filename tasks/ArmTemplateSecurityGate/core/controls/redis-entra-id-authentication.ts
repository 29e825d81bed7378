import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'redis-entra-id-authentication',
    title: 'Redis cache accepts Microsoft Entra ID authentication',
    severity: 'medium',
    featureSet: 'RedisCache',
    resourceTypes: ['Microsoft.Cache/Redis'],
    rationale:
      'Without Entra ID, the two access keys are the only way in: each grants full access to every key in the cache, never ' +
      'expires, must be stored in every client and leaves no per-caller audit trail. redisConfiguration "aad-enabled" turns on ' +
      'Entra ID tokens with data access policies, so clients can use managed identities and the keys can then be turned off ' +
      '(disableAccessKeyAuthentication). It is off by default.',
    remediation: {
      text: 'Set properties.redisConfiguration["aad-enabled"] to "True", assign data access policies to the client identities, then set disableAccessKeyAuthentication to true.',
      snippet: snippet({ type: 'Microsoft.Cache/Redis', properties: { redisConfiguration: { 'aad-enabled': 'True' } } }),
    },
    references: { psrule: ['Azure.Redis.EntraID'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectBool("$.properties.redisConfiguration['aad-enabled']", true, { ifAbsent: 'fail', absentReason: 'only access keys are accepted by default', what: 'Entra ID authentication' }),
);
