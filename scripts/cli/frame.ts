// The one frame every command runs in: flags → work → exit code. Configuration errors list every problem (exit 4);
// anything unexpected is never a pass (exit 3). Secrets are redacted from everything it prints.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFlags, type FlagSpec } from '../config/cli.ts';
import { ConfigError, EXIT, type Problem } from '../config/errors.ts';
import { redact } from '../config/redact.ts';

export interface CommandIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
}

type Values<O extends Record<string, FlagSpec>> = { -readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export interface CommandContext {
  readonly io: CommandIO;
  /** Registers secrets (once the env is read), so that anything printed later, errors included, is redacted. */
  useSecrets(secrets: readonly string[]): void;
}

/** How a command failed before it could finish: the verdict uses it to leave an inconclusive verdict.json behind. */
export interface CommandFailure {
  readonly exitCode: typeof EXIT.config | typeof EXIT.inconclusive;
  /** What was printed, redacted. */
  readonly message: string;
}

export interface CommandSpec<O extends Record<string, FlagSpec>> {
  /** How users call it, e.g. `npm run verdict`. */
  readonly name: string;
  readonly help: string;
  readonly options: O;
  /** Checks beyond the flag parser; problems are reported together with the parser's. */
  /** `argv` for commands that read more than the flags (the environment, files) to report every problem together. */
  readonly check?: (values: Values<O>, problems: Problem[], argv: readonly string[]) => void | Promise<void>;
  /** What the problems found before running are about, in the message (default "command line"). */
  readonly inputs?: string;
  readonly run: (values: Values<O>, ctx: CommandContext) => Promise<number>;
  readonly onFailure?: (failure: CommandFailure, values: Values<O>) => void | Promise<void>;
}

/** A failure the command expected and explains in its message (no stack trace): e.g. `allure generate` failed. */
export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT.inconclusive = EXIT.inconclusive,
  ) {
    super(message);
    this.name = 'CommandFailed';
  }
}

export async function runCommand<O extends Record<string, FlagSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  io: CommandIO = process,
): Promise<number> {
  let secrets: readonly string[] = [];
  const fail = async (failure: CommandFailure, values: Values<O>): Promise<number> => {
    io.stderr.write(`${failure.message}\n`);
    try {
      await spec.onFailure?.(failure, values);
    } catch (e) {
      io.stderr.write(`${spec.name}: could not record the failure either: ${redact((e as Error).message, secrets)}\n`);
    }
    return failure.exitCode;
  };
  const { values, problems } = parseFlags(argv, { ...spec.options, help: { type: 'boolean' } } as O & { help: FlagSpec }, spec.name);
  const help = () => (io.stdout.write(spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`), EXIT.ok);
  try {
    // --help with well-formed flags answers at once: it reads no environment or file, and loads nothing a run would.
    if ((values as { help?: boolean }).help && !problems.length) return help();
    await spec.check?.(values as Values<O>, problems, argv);
    if (problems.length) throw new ConfigError(spec.inputs ?? 'command line', problems);
    return await spec.run(values as Values<O>, { io, useSecrets: (s) => (secrets = [...secrets, ...s]) });
  } catch (e) {
    if (e instanceof ConfigError) return fail({ exitCode: EXIT.config, message: redact(e.message, secrets) }, values as Values<O>);
    if (e instanceof CommandFailed)
      return fail({ exitCode: e.exitCode, message: `${spec.name}: ${redact(e.message, secrets)}` }, values as Values<O>);
    // A bug or an environment failure is no finding, and no finding is never a pass.
    const message = `${spec.name}: stopped by an unexpected error: ${redact((e as Error).stack ?? String(e), secrets)}`;
    return fail({ exitCode: EXIT.inconclusive, message }, values as Values<O>);
  }
}

/** True when the module at `url` is the script node was started with (not imported by a test or another command). */
export function isMain(url: string): boolean {
  return !!process.argv[1] && url === pathToFileURL(path.resolve(process.argv[1])).href;
}

/** Runs the command when its module is the entry point, and exits with its code once output is flushed. */
export async function runIfMain<O extends Record<string, FlagSpec>>(url: string, spec: CommandSpec<O>): Promise<void> {
  if (isMain(url)) process.exitCode = await runCommand(spec, process.argv.slice(2));
}
