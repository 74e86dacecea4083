// How the bench's commands end: the exit code their main returns; a usage error's message and exit 4; a crash's stack.
import { ConfigError } from '../../scripts/config/errors.ts';

export function exitWith(main: () => Promise<number>, name: string, crashCode: number): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof ConfigError) {
        console.error(e.message);
        process.exit(e.exitCode);
      }
      console.error(`${name} failed: ${(e as Error).stack ?? String(e)}`);
      process.exit(crashCode);
    },
  );
}
