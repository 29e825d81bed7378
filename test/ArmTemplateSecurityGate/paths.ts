import * as path from 'node:path';
import { toolRoot } from '../../scripts/paths';

export const repoRoot = (): string => toolRoot();
export const fixtures = (...parts: string[]): string => path.join(toolRoot(), 'test', 'ArmTemplateSecurityGate', 'fixtures', ...parts);
