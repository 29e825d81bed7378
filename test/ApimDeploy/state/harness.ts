/** The declared-state core against the APIM emulator in process (real SDK client and ARM gateway), for the v2 unit tests. */
import * as assert from 'node:assert/strict';
import { createStateGateway } from '../../../tasks/ApimDeploy/core/state/arm-state-gateway';
import type { StateGateway } from '../../../tasks/ApimDeploy/core/state/live';
import type { StateRunSettings } from '../../../tasks/ApimDeploy/core/state/model';
import { runDeclaredState, type StateRunOutcome } from '../../../tasks/ApimDeploy/core/state/run';
import type { ApimServiceOptions } from '../../emulators/apim';
import { createInProcessApim, type InProcessApim } from '../../emulators/apim/in-process';
import { MemoryFileSystem } from '../../helpers/memory-file-system';
import { watchRequests } from '../spec-watch';
import { memoryLogger } from '../helpers';
import { sampleState } from './fixture';

function under(folder: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, t]) => [`${folder}/${p}`, t]));
}

export class Harness {
  readonly emu: InProcessApim;
  gateway: StateGateway;
  files: Record<string, string> = sampleState();
  log = memoryLogger();
  secrets: string[] = [];

  constructor(service: ApimServiceOptions = {}) {
    this.emu = createInProcessApim({ gatewayUrl: 'https://svc.azure-api.net', ...service });
    this.gateway = createStateGateway(this.emu.gatewayOptions());
    // Every request v2 makes in this test is checked against the 2024-05-01 specification.
    watchRequests(this.emu.apim);
  }

  async run(o: Partial<StateRunSettings> = {}): Promise<StateRunOutcome & { writeRequests: number }> {
    const before = this.emu.apim.writeRequests;
    this.log = memoryLogger();
    const settings: StateRunSettings = { stateFolder: 'state', environmentFile: 'state/environments.yaml', environment: 'prod', dryRun: false, prune: [], parallelism: 4, ...o };
    const out = await runDeclaredState(settings, 'svc', { gateway: this.gateway, fs: new MemoryFileSystem(under('state', this.files)), logger: this.log, registerSecret: (v) => this.secrets.push(v) });
    return { ...out, writeRequests: this.emu.apim.writeRequests - before };
  }

  get state() {
    return this.emu.state();
  }

  async seed(subPath: string, properties: Record<string, unknown>): Promise<void> {
    const r = await this.emu.apim.invoke(this.emu.serviceName, 'PUT', subPath, { properties });
    assert.ok(r.status < 300, `${subPath}: ${JSON.stringify(r.body)}`);
  }
}

export const actions = (o: StateRunOutcome) => o.plan.changes.map((c) => `${c.action} ${c.kind} ${c.id}${c.differs.length && c.action === 'update' ? `: ${c.differs.join(', ')}` : ''}`).sort();

