import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Logger } from '../../tasks/common/log/logger';
import type { ApiSettings } from '../../tasks/ApimDeploy/core/model';
import type { DeployDeps } from '../../tasks/ApimDeploy/core/sources';
import { MemoryFileSystem } from '../helpers/memory-file-system';
import { ApimHarness } from './apim-harness';

export const PETS_V3 = `openapi: 3.0.1
info:
  title: Pets from spec
  description: Description from spec
servers:
  - url: https://spec-backend.example.com/v1
paths:
  /pets:
    get:
      operationId: listPets
      responses: { '200': { description: ok } }
    post:
      operationId: createPet
      responses: { '201': { description: created } }
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: ok } }
`;

export const POLICY = `<policies>
  <inbound>
    <base />
    <set-header name="x-env" exists-action="override"><value>test</value></set-header>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
`;

export interface MemoryLog extends Logger {
  lines: string[];
}

export function memoryLogger(): MemoryLog {
  const lines: string[] = [];
  return {
    lines,
    debug: () => {},
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

const MESSAGES = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../tasks/ApimDeploy/v1/task.json'), 'utf8')) as { messages: Record<string, string> }).messages;

/** task.json messages formatted as the agent's loc does; an unknown key fails the test as it would print garbage at run time. */
export function loc(key: string, ...args: Array<string | number>): string {
  if (!(key in MESSAGES)) throw new Error(`loc key '${key}' is not in task.json messages`);
  return format(MESSAGES[key], ...args);
}

/** Deps over an in-memory file system ("folder/name" keys) and the APIM emulator, in process. */
export function fakeDeps(files: Record<string, string>, apim = new ApimHarness(), urls: Record<string, string> = {}) {
  const logger = memoryLogger();
  const deps: DeployDeps = {
    gateway: apim.gateway,
    logger,
    fs: new MemoryFileSystem(files),
    fetchText: async (url) => {
      if (!(url in urls)) throw new Error(`GET ${url}: 404`);
      return urls[url];
    },
    now: () => new Date('2026-11-23T10:00:00Z'),
    loc,
  };
  return { deps, apim, logger };
}

export function apiSettings(over: Partial<ApiSettings> = {}): ApiSettings {
  return {
    apiId: 'pets',
    spec: { kind: 'file', path: 'specs/pets.yaml' },
    specFormat: 'auto',
    path: 'pets',
    tags: [],
    revisionMode: 'update',
    retire: { action: 'none', keep: 1 },
    products: [],
    policy: { kind: 'none' },
    operationPolicies: { files: [] },
    ...over,
  };
}
