import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { createToken, ROLES, type Role } from '../auth/tokens.ts';
import { DEFAULT_DB } from '../paths.ts';

export const tokensFileFor = (db: string, explicit?: string) =>
  resolve(explicit ?? process.env.BEARING_TOKENS_FILE ?? join(dirname(resolve(db)), 'tokens.json'));

export function registerToken(program: Command): void {
  const token = program.command('token').description('Manage API bearer tokens (only their hashes are stored).');
  token
    .command('create')
    .description('Create a token for a role and print it once.')
    .addOption(
      new Option(
        '--role <role>',
        'viewer reads; analyst also writes imports, goals, annotations and definitions; admin all',
      )
        .choices(ROLES)
        .makeOptionMandatory(),
    )
    .option('--label <text>', 'who or what the token is for')
    .option('--db <file>', 'database whose tokens file (tokens.json beside it) to use', DEFAULT_DB)
    .option('--tokens <file>', 'tokens file (env BEARING_TOKENS_FILE)')
    .action((opts: { role: Role; label?: string; db: string; tokens?: string }) => {
      const file = tokensFileFor(opts.db, opts.tokens);
      const value = createToken(file, opts.role, opts.label);
      console.log(value);
      console.error(
        `${opts.role} token created in ${file}; it is shown only now. Use it as: Authorization: Bearer <token>`,
      );
    });
  token.commands[0]?.exitOverride();
}
