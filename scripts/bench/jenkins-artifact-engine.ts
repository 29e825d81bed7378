/**
 * The baseline of the Jenkins benchmark, run as its own process (as the task it stands for runs):
 * Microsoft's artifact-engine driven the way JenkinsDownloadArtifacts@1 drives it for an item
 * pattern other than `**` (Tasks/JenkinsDownloadArtifactsV1/jenkinsdownloadartifacts.ts): a
 * WebProvider over `{build}/api/json?tree=artifacts[*]` with the engine's own jenkins.handlebars,
 * Basic credentials, a FilesystemProvider, default options (4 in parallel).
 *
 * Usage: node jenkins-artifact-engine.js '<json: {url, job, build, user, token, caFile, dest}>'
 */
import * as path from 'node:path';

interface Args {
  url: string;
  job: string;
  build: number;
  user: string;
  token: string;
  caFile: string;
  dest: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args;
  const engine = require('artifact-engine/Engine');
  const providers = require('artifact-engine/Providers');
  const handlers = require('artifact-engine/Providers/typed-rest-client/Handlers');
  const template = path.join(path.dirname(require.resolve('artifact-engine/Providers/webProvider')), 'jenkins.handlebars');
  const itemsUrl = `${args.url}/job/${args.job}/${args.build}/api/json?tree=artifacts[*]`;
  const variables = { endpoint: { url: args.url }, definition: args.job, version: String(args.build) };
  const handler = new handlers.BasicCredentialHandler(args.user, args.token);
  const web = new providers.WebProvider(itemsUrl, template, variables, handler, { ignoreSslError: false, cert: { caFile: args.caFile } });
  const disk = new providers.FilesystemProvider(args.dest);
  const options = new engine.ArtifactEngineOptions();
  options.itemPattern = '**';
  options.parallelProcessingLimit = 4;
  await new engine.ArtifactEngine().processItems(web, disk, options);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
