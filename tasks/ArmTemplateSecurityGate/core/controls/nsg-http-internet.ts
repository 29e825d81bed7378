import { internetExposureRule, NSG_RULE_TYPE, NSG_TYPE, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'nsg-http-internet',
    title: 'NSG rules do not open plain HTTP (TCP 80) to the Internet',
    severity: 'low',
    featureSet: 'NetworkSecurityGroup',
    resourceTypes: [NSG_TYPE, NSG_RULE_TYPE],
    rationale:
      'A VM that serves HTTP straight to the Internet sends sessions, cookies and form posts in clear text, and answers every scanner ' +
      'with whatever it runs on port 80, unprotected by a WAF. Publish web workloads through Application Gateway or Front Door (WAF, ' +
      'TLS, HTTP-to-HTTPS redirect) and allow 80 only from them (the GatewayManager / AzureFrontDoor.Backend tags or the gateway subnet). ' +
      'Rules are evaluated as Azure does: in priority order, the first rule matching Internet traffic to TCP 80 decides; protocol * ' +
      'counts; sources *, Any, Internet, prefixes covering 0.0.0.0/0 or ::/0 and AzureCloud mean the Internet. A VM that must answer ' +
      'ACME HTTP-01 challenges or redirect on 80 can carry a justified suppression.',
    remediation: {
      text: 'Remove the rule, or restrict its source to the Application Gateway subnet or the AzureFrontDoor.Backend service tag.',
      snippet: snippet({
        name: 'AllowHttpFromFrontDoor',
        properties: { priority: 200, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'AzureFrontDoor.Backend', sourcePortRange: '*', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '80' },
      }),
    },
    references: { checkov: ['CKV_AZURE_160'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  internetExposureRule([{ protocol: 'Tcp', port: 80 }], 'HTTP (TCP 80)'),
);
