/**
 * The check we keep on every ARM request ApimDeploy's tests make: each APIM emulator handed to
 * `watchRequests` has its requests checked against the 2024-05-01 specification
 * (test/emulators/apim/spec-check.ts), and after each test anything invalid fails the run, naming
 * the request and what is wrong with it. Importing this module registers the hook at the root, so
 * it holds for every test file that uses the harness or watches an emulator.
 */
import type { ApimEmulator } from '../emulators/apim';
import { describeFindings } from '../emulators/apim/spec-check';

/** Emulators of the running test (the harness makes one per test) and of whole suites (e2e). */
const perTest = new Set<ApimEmulator>();
const perSuite = new Set<ApimEmulator>();

export function watchRequests(apim: ApimEmulator, scope: 'test' | 'suite' = 'test'): void {
  (scope === 'test' ? perTest : perSuite).add(apim);
}

export function stopWatching(apim: ApimEmulator): void {
  perSuite.delete(apim);
  perTest.delete(apim);
}

afterEach(function specCheck() {
  const watched = [...perTest, ...perSuite];
  perTest.clear();
  const invalid = watched.flatMap((a) => a.takeInvalidRequests());
  if (invalid.length > 0) {
    throw new Error(`ARM requests that break the Microsoft.ApiManagement 2024-05-01 specification (test/emulators/specs/apim-2024-05-01):\n${describeFindings(invalid)}`);
  }
});
