// `bearing`: one command per file, registered here. Exit codes: 0 ok, 1 failed, 2 usage.
import { Command, CommanderError } from 'commander';
import { BearingError } from '../../data/errors.ts';
import type { registerChannels } from './channels.ts';

type Register = typeof registerChannels;

/**
 * Every command, in the order `bearing --help` lists them, each loaded only when asked for: a
 * `bearing query` need not load the server, the mix model and the rest (about 0.3 s a run).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  generate: async () => (await import('./generate.ts')).registerGenerate,
  init: async () => (await import('./init.ts')).registerInit,
  import: async () => (await import('./import.ts')).registerImport,
  sources: async () => (await import('./sources.ts')).registerSources,
  // `bearing sync` and `bearing history` are registered beside `sources` (the same file).
  sync: async () => (await import('./sources.ts')).registerSources,
  history: async () => (await import('./sources.ts')).registerSources,
  serve: async () => (await import('./serve.ts')).registerServe,
  check: async () => (await import('./check.ts')).registerCheck,
  query: async () => (await import('./query.ts')).registerQuery,
  heading: async () => (await import('./heading.ts')).registerHeading,
  drivers: async () => (await import('./drivers.ts')).registerDrivers,
  channels: async () => (await import('./channels.ts')).registerChannels,
  mix: async () => (await import('./mix.ts')).registerMix,
  budget: async () => (await import('./budget.ts')).registerBudget,
  token: async () => (await import('./token.ts')).registerToken,
  alerts: async () => (await import('./alerts.ts')).registerAlerts,
};

/** The program with the named command only, or with every command (help, or a name it does not know). */
export async function buildProgram(name?: string): Promise<Command> {
  const program = new Command('bearing')
    .description(
      'Bearing: business outcomes (retention, satisfaction, revenue) read like a GPS, and every channel compared by ' +
        'one honest method.',
    )
    .showHelpAfterError()
    // Lets a command with subcommands (mix, mix optimize) share option names with them.
    .enablePositionalOptions()
    .exitOverride();
  const loaders = name && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]!] : Object.values(COMMANDS);
  const registered = new Set<Register>();
  for (const load of loaders) {
    const register = await load();
    if (registered.has(register)) continue;
    registered.add(register);
    register(program);
  }
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // What Bearing creates (the database and its WAL, staging/, tokens, the server file) is the
  // owner's alone: it holds customer data and token hashes. A file it rewrites keeps its mode.
  process.umask(0o077);
  try {
    await (await buildProgram(argv[0])).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof BearingError) {
      console.error(`error: ${error.message}`);
      return error.code === 'usage' ? 2 : 1;
    }
    console.error(error);
    return 1;
  }
}
