/** Entry of the CLI bundle (dist/cli/armgate.js); bin/armgate.js loads it. */
import { main } from './main';

export function run(): void {
  // `armgate … | head` closes the pipe early: stop writing instead of dying with an EPIPE stack
  // trace, and still exit with the verdict's code.
  let stdoutClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stdoutClosed = true;
  });
  void main(process.argv.slice(2), {
    stdout: (t) => {
      if (!stdoutClosed) process.stdout.write(t);
    },
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
