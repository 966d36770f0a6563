import { describeError } from '../../src/errors.js';

/** Runs a command's `main`: exits with its code, or prints "<name> failed: …" and exits 2. */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${name} failed: ${describeError(err)}`);
      process.exit(2);
    },
  );
}
