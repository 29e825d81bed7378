/** Entry of the CLI bundle (dist/cli/armgate.js); bin/armgate.js loads it. */
import { main } from './main';

export function run(): void {
  void main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
