import { internetExposureRule, NSG_RULE_TYPE, NSG_TYPE, resourceControl, snippet, type Traffic } from './helpers';

const traffic = (ports: readonly string[]): Traffic[] =>
  ports.map(Number).filter((port) => Number.isInteger(port)).map((port): Traffic => ({ protocol: 'Tcp', port }));

export default resourceControl(
  {
    id: 'nsg-database-ports-internet',
    title: 'NSG rules do not open database ports to the Internet',
    severity: 'high',
    featureSet: 'NetworkSecurityGroup',
    resourceTypes: [NSG_TYPE, NSG_RULE_TYPE],
    rationale:
      'Databases on VMs reachable from the Internet are scanned for and attacked continuously (ransomed MongoDB, Redis and Elasticsearch ' +
      'instances are routine). Ports checked: TCP {ports}. The rules are evaluated in priority order as Azure does ' +
      '(see nsg-ssh-internet for what counts as the Internet); a rule declared as a separate securityRules resource is reported on that resource.',
    remediation: {
      text: 'Allow database ports only from the application subnet or application security group, never from the Internet.',
      snippet: snippet({
        name: 'AllowSqlFromApp',
        properties: { priority: 120, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '10.0.1.0/24', sourcePortRange: '*', destinationAddressPrefix: '10.0.2.0/24', destinationPortRange: '1433' },
      }),
    },
    references: { mcsb: ['NS-1'] },
    since: '2026-12-07',
    parameters: {
      ports: {
        type: 'string[]',
        // SQL Server (and its browser), Oracle, MySQL/MariaDB, PostgreSQL, CouchDB, Redis, Cassandra, Elasticsearch, Memcached, MongoDB.
        default: ['1433', '1434', '1521', '3306', '5432', '5984', '6379', '9042', '9200', '9300', '11211', '27017', '27018'],
        doc: 'TCP ports of database services that must not be reachable from the Internet.',
      },
    },
  },
  ({ ports }) => internetExposureRule(traffic(ports), 'database ports'),
);
