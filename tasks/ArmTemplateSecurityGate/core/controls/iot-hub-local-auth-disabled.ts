import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'iot-hub-local-auth-disabled',
    title: 'IoT hub refuses hub-level shared access keys',
    severity: 'medium',
    featureSet: 'IoTHub',
    resourceTypes: ['Microsoft.Devices/IotHubs'],
    rationale:
      'Hub-level shared access policies (iothubowner, service, registryReadWrite…) carry keys that never expire and let whoever ' +
      'holds one read the device registry, invoke direct methods on every device or impersonate the service, without an ' +
      'identity in the logs. With disableLocalAuth true, service-side callers must use Entra ID and IoT Hub data roles; devices ' +
      'keep authenticating with their own credentials. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and grant IoT Hub Data Contributor/Reader roles to the back-end identities.',
      snippet: snippet({ type: 'Microsoft.Devices/IotHubs', properties: { disableLocalAuth: true } }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled(),
);
