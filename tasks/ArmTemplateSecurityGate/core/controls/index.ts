/**
 * Parameters: a control declares each threshold it uses in `meta.parameters` ({ name: { type, default,
 * doc } }) and passes `resourceControl` a factory `(values) => rule` that reads it only from `values`
 * (texts say `{name}`), so settings files can change it — see app-service-min-tls-version.ts.
 *
 * The control catalogue: the ONE explicit list of controls (no directory scanning, so bundling keeps
 * every control and a stray file can never become a control). Order: by feature set, then id.
 * Adding a control = add its file, add it here, add fixtures, regenerate docs (scripts/gen-control-docs.ts).
 */
import type { Control } from '../model';

import appServiceAlwaysOn from './app-service-always-on';
import appServiceCorsNoCredentials from './app-service-cors-no-credentials';
import appServiceCorsNoWildcard from './app-service-cors-no-wildcard';
import appServiceDotnetFrameworkVersion from './app-service-dotnet-framework-version';
import appServiceEntraIdAuthentication from './app-service-entra-id-authentication';
import appServiceFtpsDisabled from './app-service-ftps-disabled';
import appServiceHttpsOnly from './app-service-https-only';
import appServiceLoggingEnabled from './app-service-logging-enabled';
import appServiceManagedIdentity from './app-service-managed-identity';
import appServiceMinTlsVersion from './app-service-min-tls-version';
import appServicePlanMultipleInstances from './app-service-plan-multiple-instances';
import appServiceRemoteDebuggingDisabled from './app-service-remote-debugging-disabled';
import appServiceWebSocketsDisabled from './app-service-web-sockets-disabled';
import storageBlobSoftDelete from './storage-blob-soft-delete';
import storageHttpsOnly from './storage-https-only';
import storageMinTlsVersion from './storage-min-tls-version';
import storageNoPublicBlobAccess from './storage-no-public-blob-access';
import sqlDatabaseTde from './sql-database-tde';
import sqlFirewallNoAnyIp from './sql-firewall-no-any-ip';
import sqlServerEntraAdmin from './sql-server-entra-admin';
import sqlServerThreatDetection from './sql-server-threat-detection';
import cosmosDbAutomaticFailover from './cosmos-db-automatic-failover';
import cosmosDbConsistencyNotEventual from './cosmos-db-consistency-not-eventual';
import cosmosDbFirewallEnabled from './cosmos-db-firewall-enabled';
import cosmosDbGeoReplication from './cosmos-db-geo-replication';
import cosmosDbIpRangeRestricted from './cosmos-db-ip-range-restricted';
import aksEntraIdIntegration from './aks-entra-id-integration';
import aksMonitoringEnabled from './aks-monitoring-enabled';
import aksRbacEnabled from './aks-rbac-enabled';
import aksSupportedKubernetesVersion from './aks-supported-kubernetes-version';
import keyVaultAdvancedAccessPolicies from './key-vault-advanced-access-policies';
import keyVaultMinAccessPolicies from './key-vault-min-access-policies';
import keyVaultPurgeProtection from './key-vault-purge-protection';
import keyVaultSoftDelete from './key-vault-soft-delete';
import containerRegistryAdminDisabled from './container-registry-admin-disabled';
import containerRegistryContentTrust from './container-registry-content-trust';
import apiManagementApiHttpsOnly from './api-management-api-https-only';
import apiManagementManagedIdentity from './api-management-managed-identity';
import apiManagementVirtualNetwork from './api-management-virtual-network';
import redisMinTlsVersion from './redis-min-tls-version';
import redisNonSslPortDisabled from './redis-non-ssl-port-disabled';
import redisRdbBackup from './redis-rdb-backup';
import logicAppContentsIpRestriction from './logic-app-contents-ip-restriction';
import logicAppTriggerIpRestriction from './logic-app-trigger-ip-restriction';
import searchManagedIdentity from './search-managed-identity';
import searchThreeReplicas from './search-three-replicas';
import postgresqlFirewallNoAnyIp from './postgresql-firewall-no-any-ip';
import postgresqlFirewallNoAzureServices from './postgresql-firewall-no-azure-services';
import postgresqlSslEnforced from './postgresql-ssl-enforced';
import mysqlFirewallNoAnyIp from './mysql-firewall-no-any-ip';
import mysqlFirewallNoAzureServices from './mysql-firewall-no-azure-services';
import mysqlSslEnforced from './mysql-ssl-enforced';
import vmssAntimalware from './vmss-antimalware';
import vmssAutomaticOsUpgrade from './vmss-automatic-os-upgrade';
import vmssNoPublicIp from './vmss-no-public-ip';
import vmssNsgConfigured from './vmss-nsg-configured';
import serviceFabricAutomaticUpgrade from './service-fabric-automatic-upgrade';
import serviceFabricEncryptAndSign from './service-fabric-encrypt-and-sign';
import serviceFabricEntraIdClientAuth from './service-fabric-entra-id-client-auth';
import databricksPremiumTier from './databricks-premium-tier';
import dataLakeStoreEncryption from './data-lake-store-encryption';
import trafficManagerHttpsMonitoring from './traffic-manager-https-monitoring';
import eventHubAuthorizationRuleLeastPrivilege from './event-hub-authorization-rule-least-privilege';
import hdinsightSupportedVersion from './hdinsight-supported-version';
import cdnEndpointHttpsOnly from './cdn-endpoint-https-only';
import nicIpForwardingDisabled from './nic-ip-forwarding-disabled';
import nicNsgAttached from './nic-nsg-attached';
import vnetPeeringReviewed from './vnet-peering-reviewed';
import containerGroupNoPublicIp from './container-group-no-public-ip';
import containerGroupSingleContainer from './container-group-single-container';
import analysisServicesBackup from './analysis-services-backup';
import analysisServicesMinAdmins from './analysis-services-min-admins';
import appInsightsLocalAuthDisabled from './app-insights-local-auth-disabled';
import appInsightsWorkspaceBased from './app-insights-workspace-based';
import automationAccountManagedIdentity from './automation-account-managed-identity';
import automationContentHttps from './automation-content-https';
import automationVariableEncrypted from './automation-variable-encrypted';
import cognitiveServicesLocalAuthDisabled from './cognitive-services-local-auth-disabled';
import cognitiveServicesManagedIdentity from './cognitive-services-managed-identity';
import cognitiveServicesPublicNetworkAccessDisabled from './cognitive-services-public-network-access-disabled';
import containerRegistryAnonymousPullDisabled from './container-registry-anonymous-pull-disabled';
import containerRegistryPublicNetworkAccessDisabled from './container-registry-public-network-access-disabled';
import containerRegistryQuarantine from './container-registry-quarantine';
import cosmosDbKeyBasedMetadataWriteDisabled from './cosmos-db-key-based-metadata-write-disabled';
import cosmosDbLocalAuthDisabled from './cosmos-db-local-auth-disabled';
import cosmosDbMinTlsVersion from './cosmos-db-min-tls-version';
import cosmosDbPublicNetworkAccessDisabled from './cosmos-db-public-network-access-disabled';
import customRoleNoWildcardActions from './custom-role-no-wildcard-actions';
import roleAssignmentNotPrivileged from './role-assignment-not-privileged';
import dataFactoryGitRepository from './data-factory-git-repository';
import dataFactoryPublicNetworkAccessDisabled from './data-factory-public-network-access-disabled';
import databricksNoPublicIp from './databricks-no-public-ip';
import databricksPublicNetworkAccessDisabled from './databricks-public-network-access-disabled';
import defenderPlanStandard from './defender-plan-standard';
import diagnosticSettingLogsEnabled from './diagnostic-setting-logs-enabled';
import eventGridLocalAuthDisabled from './event-grid-local-auth-disabled';
import eventGridManagedIdentity from './event-grid-managed-identity';
import eventGridPublicNetworkAccessDisabled from './event-grid-public-network-access-disabled';
import eventHubLocalAuthDisabled from './event-hub-local-auth-disabled';
import eventHubMinTlsVersion from './event-hub-min-tls-version';
import keyVaultKeyExpiry from './key-vault-key-expiry';
import keyVaultKeyHsmBacked from './key-vault-key-hsm-backed';
import keyVaultNetworkDefaultDeny from './key-vault-network-default-deny';
import keyVaultRbacAuthorization from './key-vault-rbac-authorization';
import keyVaultSecretExpiry from './key-vault-secret-expiry';
import logAnalyticsLocalAuthDisabled from './log-analytics-local-auth-disabled';
import logAnalyticsRetention from './log-analytics-retention';
import machineLearningWorkspacePublicNetworkAccessDisabled from './machine-learning-workspace-public-network-access-disabled';
import mariadbPublicNetworkAccessDisabled from './mariadb-public-network-access-disabled';
import mariadbSslEnforced from './mariadb-ssl-enforced';
import monitorLogProfileCategories from './monitor-log-profile-categories';
import monitorLogProfileRetention from './monitor-log-profile-retention';
import mysqlGeoRedundantBackup from './mysql-geo-redundant-backup';
import mysqlMinTlsVersion from './mysql-min-tls-version';
import mysqlPublicNetworkAccessDisabled from './mysql-public-network-access-disabled';
import postgresqlConnectionLogging from './postgresql-connection-logging';
import postgresqlConnectionThrottling from './postgresql-connection-throttling';
import postgresqlGeoRedundantBackup from './postgresql-geo-redundant-backup';
import postgresqlMinTlsVersion from './postgresql-min-tls-version';
import postgresqlPublicNetworkAccessDisabled from './postgresql-public-network-access-disabled';
import redisPublicNetworkAccessDisabled from './redis-public-network-access-disabled';
import searchLocalAuthDisabled from './search-local-auth-disabled';
import searchPublicNetworkAccessDisabled from './search-public-network-access-disabled';
import securityContactAlertNotifications from './security-contact-alert-notifications';
import serviceBusLocalAuthDisabled from './service-bus-local-auth-disabled';
import serviceBusMinTlsVersion from './service-bus-min-tls-version';
import springAppsVnetInjection from './spring-apps-vnet-injection';
import sqlDatabaseLongTermBackup from './sql-database-long-term-backup';
import sqlDatabaseThreatDetection from './sql-database-threat-detection';
import sqlServerAuditingEnabled from './sql-server-auditing-enabled';
import sqlServerAuditingRetention from './sql-server-auditing-retention';
import sqlServerEntraOnlyAuth from './sql-server-entra-only-auth';
import sqlServerMinTlsVersion from './sql-server-min-tls-version';
import sqlServerPublicNetworkAccessDisabled from './sql-server-public-network-access-disabled';
import storageContainerNoPublicAccess from './storage-container-no-public-access';
import storageDefaultNetworkDeny from './storage-default-network-deny';
import storagePublicNetworkAccessDisabled from './storage-public-network-access-disabled';
import storageQueueLogging from './storage-queue-logging';
import storageSharedKeyAccessDisabled from './storage-shared-key-access-disabled';
import synapseDataExfiltrationProtection from './synapse-data-exfiltration-protection';
import synapseFirewallNoAnyIp from './synapse-firewall-no-any-ip';
import synapseManagedVirtualNetwork from './synapse-managed-virtual-network';
import synapsePublicNetworkAccessDisabled from './synapse-public-network-access-disabled';
import synapseSparkPoolIsolatedCompute from './synapse-spark-pool-isolated-compute';
import synapseSqlPoolAuditing from './synapse-sql-pool-auditing';
import synapseVulnerabilityAssessment from './synapse-vulnerability-assessment';
import nsgAllPortsInternet from './nsg-all-ports-internet';
import nsgDatabasePortsInternet from './nsg-database-ports-internet';
import nsgRdpInternet from './nsg-rdp-internet';
import nsgSshInternet from './nsg-ssh-internet';
import nsgWinrmInternet from './nsg-winrm-internet';
import vmBootDiagnostics from './vm-boot-diagnostics';
import vmEncryptionAtHost from './vm-encryption-at-host';
import vmExtensionScriptSource from './vm-extension-script-source';
import vmExtensionSecretsProtected from './vm-extension-secrets-protected';
import vmLinuxPasswordAuthDisabled from './vm-linux-password-auth-disabled';
import vmManagedDisks from './vm-managed-disks';
import publicIpStandardSku from './public-ip-standard-sku';
import lbNatManagementPorts from './lb-nat-management-ports';
import lbStandardSku from './lb-standard-sku';
import vnetDnsPrivate from './vnet-dns-private';
import vnetSubnetNsg from './vnet-subnet-nsg';
import appgwHttpsListeners from './appgw-https-listeners';
import appgwMinTls from './appgw-min-tls';
import appgwStrongCiphers from './appgw-strong-ciphers';
import appgwWafEnabled from './appgw-waf-enabled';
import appgwWafPreventionMode from './appgw-waf-prevention-mode';
import frontdoorMinTls from './frontdoor-min-tls';
import frontdoorWafEnabled from './frontdoor-waf-enabled';
import frontdoorWafPreventionMode from './frontdoor-waf-prevention-mode';
import firewallThreatIntelDeny from './firewall-threat-intel-deny';
import networkWatcherFlowLogRetention from './network-watcher-flow-log-retention';
import aksApiServerRestricted from './aks-api-server-restricted';
import aksAutoUpgrade from './aks-auto-upgrade';
import aksAzurePolicyAddon from './aks-azure-policy-addon';
import aksEncryptionAtHost from './aks-encryption-at-host';
import aksHttpApplicationRoutingDisabled from './aks-http-application-routing-disabled';
import aksLocalAccountsDisabled from './aks-local-accounts-disabled';
import aksNetworkPolicy from './aks-network-policy';
import aksNodePublicIpDisabled from './aks-node-public-ip-disabled';
import aksSecretStoreRotation from './aks-secret-store-rotation';
import diskNetworkAccessRestricted from './disk-network-access-restricted';
import batchAccountPublicAccess from './batch-account-public-access';
import kustoDiskEncryption from './kusto-disk-encryption';
import apiManagementBackendHttps from './api-management-backend-https';
import apiManagementProtocols from './api-management-protocols';
import containerGroupSecureEnvVars from './container-group-secure-env-vars';
import appServiceSecretSettings from './app-service-secret-settings';
// gate-net (issue 15): network, compute, monitoring and automation controls
import appInsightsPublicNetworkAccessDisabled from './app-insights-public-network-access-disabled';
import appgwWafLog4j from './appgw-waf-log4j';
import automationAccountLocalAuthDisabled from './automation-account-local-auth-disabled';
import automationAccountPublicNetworkAccessDisabled from './automation-account-public-network-access-disabled';
import automationCredentialSecure from './automation-credential-secure';
import diskCustomerManagedKey from './disk-customer-managed-key';
import frontdoorWafLog4j from './frontdoor-waf-log4j';
import logAnalyticsPublicNetworkAccessDisabled from './log-analytics-public-network-access-disabled';
import nicNoPublicIp from './nic-no-public-ip';
import nsgHttpInternet from './nsg-http-internet';
import nsgRiskyPortsInternet from './nsg-risky-ports-internet';
import nsgUdpInternet from './nsg-udp-internet';
import vmCustomDataNoSecrets from './vm-custom-data-no-secrets';
import vmWindowsAutomaticUpdates from './vm-windows-automatic-updates';
import vnetDdosProtection from './vnet-ddos-protection';
import vpnConnectionIpsecStrong from './vpn-connection-ipsec-strong';
import vpnConnectionSharedKeySecure from './vpn-connection-shared-key-secure';
import vpnGatewayLegacySku from './vpn-gateway-legacy-sku';
import vpnGatewayP2sEntraAuth from './vpn-gateway-p2s-entra-auth';
import templateNoSecretsInOutputs from './template-no-secrets-in-outputs';
import templateSecureParameterNoDefault from './template-secure-parameter-no-default';
import templateSecureParameters from './template-secure-parameters';
// gate-breadth (issue 15): controls for the remaining Checkov ARM types and checks
import apiManagementPublicNetworkAccessDisabled from './api-management-public-network-access-disabled';
import appConfigurationLocalAuthDisabled from './app-configuration-local-auth-disabled';
import appConfigurationPublicNetworkAccessDisabled from './app-configuration-public-network-access-disabled';
import appServiceBasicAuthDisabled from './app-service-basic-auth-disabled';
import batchAccountCustomerManagedKey from './batch-account-customer-managed-key';
import containerRegistryExportPolicyDisabled from './container-registry-export-policy-disabled';
import containerRegistryZoneRedundant from './container-registry-zone-redundant';
import cosmosDbCustomerManagedKey from './cosmos-db-customer-managed-key';
import deploymentScriptSecureEnvironment from './deployment-script-secure-environment';
import eventHubPublicNetworkAccessDisabled from './event-hub-public-network-access-disabled';
import hdinsightEncryptionInTransit from './hdinsight-encryption-in-transit';
import iotHubLocalAuthDisabled from './iot-hub-local-auth-disabled';
import iotHubMinTlsVersion from './iot-hub-min-tls-version';
import kustoDoubleEncryption from './kusto-double-encryption';
import kustoPublicNetworkAccessDisabled from './kusto-public-network-access-disabled';
import machineLearningComputeLocalAuthDisabled from './machine-learning-compute-local-auth-disabled';
import mysqlInfrastructureEncryption from './mysql-infrastructure-encryption';
import postgresqlInfrastructureEncryption from './postgresql-infrastructure-encryption';
import recoveryServicesVaultImmutable from './recovery-services-vault-immutable';
import recoveryServicesVaultSoftDelete from './recovery-services-vault-soft-delete';
import redisEntraIdAuthentication from './redis-entra-id-authentication';
import serviceBusPublicNetworkAccessDisabled from './service-bus-public-network-access-disabled';
import storageCrossTenantReplicationDisabled from './storage-cross-tenant-replication-disabled';
import synapseEntraOnlyAuth from './synapse-entra-only-auth';
// end gate-breadth

export const controls: readonly Control[] = Object.freeze([
  // AppService
  appServiceAlwaysOn,
  appServiceCorsNoCredentials,
  appServiceCorsNoWildcard,
  appServiceDotnetFrameworkVersion,
  appServiceEntraIdAuthentication,
  appServiceFtpsDisabled,
  appServiceHttpsOnly,
  appServiceLoggingEnabled,
  appServiceManagedIdentity,
  appServiceMinTlsVersion,
  appServicePlanMultipleInstances,
  appServiceRemoteDebuggingDisabled,
  appServiceWebSocketsDisabled,
  appServiceSecretSettings,
  // Storage
  storageBlobSoftDelete,
  storageContainerNoPublicAccess,
  storageDefaultNetworkDeny,
  storageHttpsOnly,
  storageMinTlsVersion,
  storageNoPublicBlobAccess,
  storagePublicNetworkAccessDisabled,
  storageQueueLogging,
  storageSharedKeyAccessDisabled,
  // SqlServer
  sqlDatabaseLongTermBackup,
  sqlDatabaseTde,
  sqlDatabaseThreatDetection,
  sqlFirewallNoAnyIp,
  sqlServerAuditingEnabled,
  sqlServerAuditingRetention,
  sqlServerEntraAdmin,
  sqlServerEntraOnlyAuth,
  sqlServerMinTlsVersion,
  sqlServerPublicNetworkAccessDisabled,
  sqlServerThreatDetection,
  // CosmosDb
  cosmosDbAutomaticFailover,
  cosmosDbConsistencyNotEventual,
  cosmosDbFirewallEnabled,
  cosmosDbGeoReplication,
  cosmosDbIpRangeRestricted,
  cosmosDbKeyBasedMetadataWriteDisabled,
  cosmosDbLocalAuthDisabled,
  cosmosDbMinTlsVersion,
  cosmosDbPublicNetworkAccessDisabled,
  // KubernetesService
  aksEntraIdIntegration,
  aksMonitoringEnabled,
  aksRbacEnabled,
  aksSupportedKubernetesVersion,
  aksApiServerRestricted,
  aksAutoUpgrade,
  aksAzurePolicyAddon,
  aksEncryptionAtHost,
  aksHttpApplicationRoutingDisabled,
  aksLocalAccountsDisabled,
  aksNetworkPolicy,
  aksNodePublicIpDisabled,
  aksSecretStoreRotation,
  // KeyVault
  keyVaultAdvancedAccessPolicies,
  keyVaultKeyExpiry,
  keyVaultKeyHsmBacked,
  keyVaultMinAccessPolicies,
  keyVaultNetworkDefaultDeny,
  keyVaultPurgeProtection,
  keyVaultRbacAuthorization,
  keyVaultSecretExpiry,
  keyVaultSoftDelete,
  // ContainerRegistry
  containerRegistryAdminDisabled,
  containerRegistryAnonymousPullDisabled,
  containerRegistryContentTrust,
  containerRegistryPublicNetworkAccessDisabled,
  containerRegistryQuarantine,
  // APIManagement
  apiManagementApiHttpsOnly,
  apiManagementManagedIdentity,
  apiManagementVirtualNetwork,
  apiManagementBackendHttps,
  apiManagementProtocols,
  // RedisCache
  redisMinTlsVersion,
  redisNonSslPortDisabled,
  redisPublicNetworkAccessDisabled,
  redisRdbBackup,
  // LogicApps
  logicAppContentsIpRestriction,
  logicAppTriggerIpRestriction,
  // Search
  searchLocalAuthDisabled,
  searchManagedIdentity,
  searchPublicNetworkAccessDisabled,
  searchThreeReplicas,
  // DBforPostgreSQL
  postgresqlConnectionLogging,
  postgresqlConnectionThrottling,
  postgresqlFirewallNoAnyIp,
  postgresqlFirewallNoAzureServices,
  postgresqlGeoRedundantBackup,
  postgresqlMinTlsVersion,
  postgresqlPublicNetworkAccessDisabled,
  postgresqlSslEnforced,
  // DBforMySQL
  mysqlFirewallNoAnyIp,
  mysqlFirewallNoAzureServices,
  mysqlGeoRedundantBackup,
  mysqlMinTlsVersion,
  mysqlPublicNetworkAccessDisabled,
  mysqlSslEnforced,
  // VirtualMachineScaleSet
  vmssAntimalware,
  vmssAutomaticOsUpgrade,
  vmssNoPublicIp,
  vmssNsgConfigured,
  // ServiceFabric
  serviceFabricAutomaticUpgrade,
  serviceFabricEncryptAndSign,
  serviceFabricEntraIdClientAuth,
  // DataBricks
  databricksNoPublicIp,
  databricksPremiumTier,
  databricksPublicNetworkAccessDisabled,
  // DataLakeStore
  dataLakeStoreEncryption,
  // TrafficManager
  trafficManagerHttpsMonitoring,
  // EventHub
  eventHubAuthorizationRuleLeastPrivilege,
  eventHubLocalAuthDisabled,
  eventHubMinTlsVersion,
  // HDInsight
  hdinsightSupportedVersion,
  // CDN
  cdnEndpointHttpsOnly,
  // VirtualNetworkInterface
  nicIpForwardingDisabled,
  nicNsgAttached,
  // VirtualNetwork
  vnetPeeringReviewed,
  vnetDnsPrivate,
  vnetSubnetNsg,
  // ContainerInstances
  containerGroupNoPublicIp,
  containerGroupSingleContainer,
  containerGroupSecureEnvVars,
  // AnalysisService
  analysisServicesBackup,
  analysisServicesMinAdmins,
  // ApplicationInsights
  appInsightsLocalAuthDisabled,
  appInsightsWorkspaceBased,
  // Automation
  automationAccountManagedIdentity,
  automationContentHttps,
  automationVariableEncrypted,
  // CognitiveServices
  cognitiveServicesLocalAuthDisabled,
  cognitiveServicesManagedIdentity,
  cognitiveServicesPublicNetworkAccessDisabled,
  // Authorization
  customRoleNoWildcardActions,
  roleAssignmentNotPrivileged,
  // DataFactory
  dataFactoryGitRepository,
  dataFactoryPublicNetworkAccessDisabled,
  // DefenderForCloud
  defenderPlanStandard,
  securityContactAlertNotifications,
  // Monitor
  diagnosticSettingLogsEnabled,
  monitorLogProfileCategories,
  monitorLogProfileRetention,
  // EventGrid
  eventGridLocalAuthDisabled,
  eventGridManagedIdentity,
  eventGridPublicNetworkAccessDisabled,
  // LogAnalytics
  logAnalyticsLocalAuthDisabled,
  logAnalyticsRetention,
  // MachineLearning
  machineLearningWorkspacePublicNetworkAccessDisabled,
  // DBforMariaDB
  mariadbPublicNetworkAccessDisabled,
  mariadbSslEnforced,
  // ServiceBus
  serviceBusLocalAuthDisabled,
  serviceBusMinTlsVersion,
  // SpringApps
  springAppsVnetInjection,
  // Synapse
  synapseDataExfiltrationProtection,
  synapseFirewallNoAnyIp,
  synapseManagedVirtualNetwork,
  synapsePublicNetworkAccessDisabled,
  synapseSparkPoolIsolatedCompute,
  synapseSqlPoolAuditing,
  synapseVulnerabilityAssessment,
  // NetworkSecurityGroup
  nsgAllPortsInternet,
  nsgDatabasePortsInternet,
  nsgRdpInternet,
  nsgSshInternet,
  nsgWinrmInternet,
  // VirtualMachine
  vmBootDiagnostics,
  vmEncryptionAtHost,
  vmExtensionScriptSource,
  vmExtensionSecretsProtected,
  vmLinuxPasswordAuthDisabled,
  vmManagedDisks,
  // PublicIP
  publicIpStandardSku,
  // LoadBalancer
  lbNatManagementPorts,
  lbStandardSku,
  // ApplicationGateway
  appgwHttpsListeners,
  appgwMinTls,
  appgwStrongCiphers,
  appgwWafEnabled,
  appgwWafPreventionMode,
  // FrontDoor
  frontdoorMinTls,
  frontdoorWafEnabled,
  frontdoorWafPreventionMode,
  // AzureFirewall
  firewallThreatIntelDeny,
  // NetworkWatcher
  networkWatcherFlowLogRetention,
  // ManagedDisk
  diskNetworkAccessRestricted,
  // Batch
  batchAccountPublicAccess,
  // DataExplorer
  kustoDiskEncryption,
  // gate-net (issue 15): network, compute, monitoring and automation controls
  appInsightsPublicNetworkAccessDisabled,
  appgwWafLog4j,
  automationAccountLocalAuthDisabled,
  automationAccountPublicNetworkAccessDisabled,
  automationCredentialSecure,
  diskCustomerManagedKey,
  frontdoorWafLog4j,
  logAnalyticsPublicNetworkAccessDisabled,
  nicNoPublicIp,
  nsgHttpInternet,
  nsgRiskyPortsInternet,
  nsgUdpInternet,
  vmCustomDataNoSecrets,
  vmWindowsAutomaticUpdates,
  vnetDdosProtection,
  vpnConnectionIpsecStrong,
  vpnConnectionSharedKeySecure,
  vpnGatewayLegacySku,
  vpnGatewayP2sEntraAuth,
  // gate-breadth (issue 15), by feature set
  apiManagementPublicNetworkAccessDisabled,
  appConfigurationLocalAuthDisabled,
  appConfigurationPublicNetworkAccessDisabled,
  appServiceBasicAuthDisabled,
  batchAccountCustomerManagedKey,
  containerRegistryExportPolicyDisabled,
  containerRegistryZoneRedundant,
  cosmosDbCustomerManagedKey,
  deploymentScriptSecureEnvironment,
  eventHubPublicNetworkAccessDisabled,
  hdinsightEncryptionInTransit,
  iotHubLocalAuthDisabled,
  iotHubMinTlsVersion,
  kustoDoubleEncryption,
  kustoPublicNetworkAccessDisabled,
  machineLearningComputeLocalAuthDisabled,
  mysqlInfrastructureEncryption,
  postgresqlInfrastructureEncryption,
  recoveryServicesVaultImmutable,
  recoveryServicesVaultSoftDelete,
  redisEntraIdAuthentication,
  serviceBusPublicNetworkAccessDisabled,
  storageCrossTenantReplicationDisabled,
  synapseEntraOnlyAuth,
  // end gate-breadth
  // Template
  templateNoSecretsInOutputs,
  templateSecureParameterNoDefault,
  templateSecureParameters,
]);

const byId = new Map<string, Control>(controls.map((c) => [c.meta.id.toLowerCase(), c]));

/** Case-insensitive lookup by stable id. */
export function findControl(id: string): Control | undefined {
  return byId.get(id.trim().toLowerCase());
}

export { createCheckContext } from './context';
