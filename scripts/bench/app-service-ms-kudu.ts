/**
 * Microsoft's Kudu zip deploy, for the app-service benchmark: `Kudu.zipDeploy` of
 * azure-pipelines-tasks-azure-arm-rest (the library behind AzureRmWebAppDeployment and
 * AzureWebApp), run in its own process as a task would run it. A devDependency, never bundled.
 * Usage: node app-service-ms-kudu.js <scmUri> <Authorization header> <package.zip>
 */
import { Kudu } from 'azure-pipelines-tasks-azure-arm-rest/azure-arm-app-service-kudu';

async function main(): Promise<void> {
  const [scmUri, authorization, pkg] = process.argv.slice(2);
  const kudu = new Kudu(scmUri, authorization);
  // The query Microsoft's AzureWebApp sends for an asynchronous zip deploy.
  const result = (await kudu.zipDeploy(pkg, ['isAsync=true', 'deployer=VSTS_ZIP_DEPLOY'])) as { status?: number } | null;
  if (result && result.status !== 4) throw new Error(`zip deploy ended with status ${result.status}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
