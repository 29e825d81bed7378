/**
 * The ApimDeploy core's tests run against the APIM emulator (the one description of APIM's
 * behaviour in this repository) in process: the real ARM gateway over the real SDK client, with
 * seeding and inspection written in the service's own terms (REST bodies, stored state).
 */
import { createArmGateway } from '../../tasks/ApimDeploy/core/arm-gateway';
import type { ApimGateway, BackendFields, KeyVaultReference, PolicyScope } from '../../tasks/ApimDeploy/core/gateway';
import { createInProcessApim, type InProcessApim } from '../emulators/apim/in-process';
import type { ApimServiceOptions, ApimServiceState, Entity } from '../emulators/apim';
import { watchRequests } from './spec-watch';

export class ApimHarness {
  readonly emu: InProcessApim;
  /** What the core is handed; a test may replace a method to inject a failure. */
  readonly gateway: ApimGateway;
  private requestsSeen = 0;

  constructor(options: ApimServiceOptions = {}) {
    this.emu = createInProcessApim({ gatewayUrl: 'https://svc.azure-api.net', ...options });
    // Every request the core makes in this test is checked against the 2024-05-01 specification.
    watchRequests(this.emu.apim);
    this.gateway = createArmGateway(this.emu.gatewayOptions());
  }

  get state(): ApimServiceState {
    return this.emu.state();
  }

  /** Writes that changed the service since the last reset, as `METHOD /path below the service`. */
  get writes(): string[] {
    const below = this.state.id.toLowerCase();
    return this.emu.apim.writeLog.map((w) => `${w.method} ${w.path.slice(w.path.toLowerCase().indexOf(below) + below.length)}`);
  }

  resetWrites(): void {
    this.emu.apim.writeLog.length = 0;
    this.emu.apim.writes = 0;
    this.requestsSeen = this.emu.arm.requests.length;
  }

  /** Requests since the last reset, as `METHOD /path below the service`. */
  get requests(): string[] {
    return this.emu.requests().slice(this.requestsSeen);
  }

  /** Ids of named values whose secret was read (POST …/listValue) since the last reset. */
  get secretReads(): string[] {
    return this.requests.flatMap((r) => /^POST \/namedValues\/([^/]+)\/listValue$/i.exec(r)?.[1] ?? []).map(decodeURIComponent);
  }

  /** Seeds or changes the service the way a portal user would (not counted as the task's writes). */
  async put(subPath: string, properties: Record<string, unknown>): Promise<void> {
    const reply = await this.emu.apim.invoke(this.emu.serviceName, 'PUT', subPath, { properties });
    if (reply.status >= 300) throw new Error(`seeding PUT ${subPath} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  }

  async policy(scope: PolicyScope): Promise<string | undefined> {
    return this.gateway.getPolicy(scope);
  }

  /** The current revision number of an API. */
  current(apiId: string): number | undefined {
    return this.state.apis[apiId.toLowerCase()]?.current;
  }

  revisions(apiId: string): number[] {
    return Object.keys(this.state.apis[apiId.toLowerCase()]?.revisions ?? {}).map(Number).sort((a, b) => a - b);
  }

  /** A named value as stored, secret value included (what listValue would return). */
  namedValue(id: string): { displayName?: string; value?: string; secret?: boolean; tags?: string[]; keyVault?: KeyVaultReference } | undefined {
    return this.state.namedValues[id.toLowerCase()]?.properties;
  }

  backend(id: string): BackendFields | undefined {
    return this.state.backends[id.toLowerCase()]?.properties;
  }

  product(id: string): Entity['properties'] | undefined {
    return this.state.products[id.toLowerCase()]?.properties;
  }

  productGroups(id: string): string[] {
    return [...(this.state.products[id.toLowerCase()]?.groups ?? [])];
  }

  /** Releases of an API, oldest first. */
  releases(apiId: string): Array<Entity['properties']> {
    return Object.values(this.state.apis[apiId.toLowerCase()]?.releases ?? {})
      .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime))
      .map((r) => r.properties);
  }
}
