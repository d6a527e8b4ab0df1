// `bearing`: one command per file, registered here. Exit codes: 0 ok, 1 failed, 2 usage.
import { Command, CommanderError } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { registerChannels } from './channels.ts';
import { registerMix } from './mix.ts';
import { registerBudget } from './budget.ts';
import { registerCheck } from './check.ts';
import { registerGenerate } from './generate.ts';
import { registerHeading } from './heading.ts';
import { registerDrivers } from './drivers.ts';
import { registerImport } from './import.ts';
import { registerQuery } from './query.ts';
import { registerServe } from './serve.ts';
import { registerSources } from './sources.ts';
import { registerAlerts } from './alerts.ts';
import { registerInit } from './init.ts';
import { registerToken } from './token.ts';

export function buildProgram(): Command {
  const program = new Command('bearing')
    .description(
      'Bearing: business outcomes (retention, satisfaction, revenue) read like a GPS, and every channel compared by ' +
        'one honest method.',
    )
    .showHelpAfterError()
    // Lets a command with subcommands (mix, mix optimize) share option names with them.
    .enablePositionalOptions()
    .exitOverride();
  registerGenerate(program);
  registerInit(program);
  registerImport(program);
  registerSources(program);
  registerServe(program);
  registerCheck(program);
  registerQuery(program);
  registerHeading(program);
  registerDrivers(program);
  registerChannels(program);
  registerMix(program);
  registerBudget(program);
  registerToken(program);
  registerAlerts(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // What Bearing creates (the database and its WAL, staging/, tokens, the server file) is the
  // owner's alone: it holds customer data and token hashes. A file it rewrites keeps its mode.
  process.umask(0o077);
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
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
