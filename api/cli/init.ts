// `bearing init [DIR]`: an empty workspace of one's own, with comments saying what goes where.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { PROJECT_ROOT } from '../paths.ts';

const isInside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

const SETTINGS = `# Bearing workspace settings. Every field is optional; \`bearing check\` checks this file.
#
# timezone: local times without a zone are read in it, and days, weeks and months are cut in it.
#   An IANA name (America/Sao_Paulo, Europe/Berlin). Default UTC. Changing it later needs
#   \`bearing sync --full-refresh\`: stored times keep the zone they were read in.
timezone: UTC
# currency: ISO 4217 code used by every money figure in the CLI and the web app. Default USD.
currency: USD
# churn: when your data has no churn dates (e-commerce), a customer no source marks as churned
#   is churned this many days after their last event (a modelling choice, shown on the Data page).
# churn:
#   inactive_after_days: 180
`;

const GOALS = `# Goals: a list, one per metric target. Made here or in the web app (Heading → New goal).
# - id: retention-2027
#   metric: retention_90d
#   target: 0.9
#   due: 2027-06-30
[]
`;

const SOURCES_README = `# Sources

One YAML file per source system (shop.yaml, media.yaml, ...). Paths are relative to the file,
and a source may read only files under this folder. Example:

    timezone: America/Sao_Paulo
    sources:
      - name: shop_customers
        table: customers
        files: exports/customers*.csv
        columns:
          customer_id: customer_unique_id
          region: upper(customer_state)
        keep: [customer_city]

Then: \`bearing sources check --preview 5\`, \`bearing sync\`, \`bearing history\`.
The README's "Your own data in ten minutes" walks through it.
`;

const DEFINITIONS_README = `# Metric definitions

One YAML file per metric. \`bearing check\` checks them against the data contract. Example:

    name: revenue
    label: Revenue
    description: Sum of order amounts.
    unit: currency
    direction: up
    table: orders
    time: ordered_at
    measure: sum(amount)
`;

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Write an empty workspace (bearing.yaml, metrics/, sources/) to start with your own data.')
    .argument('[dir]', 'folder to create it in', '.')
    .action((dir: string) => {
      const root = resolve(dir);
      // A workspace holds someone's customers: inside Bearing's own checkout it would sit among the
      // code (and in its git history) and be used by every command run there.
      if (isInside(PROJECT_ROOT, root))
        throw new BearingError(
          'usage',
          `${root} is inside Bearing's own folder (${PROJECT_ROOT}); make the workspace elsewhere, for example ` +
            '"bearing init ~/shop" (put bearing on your PATH with "npm install -g ." in the Bearing folder); ' +
            'nothing was written',
        );
      if (existsSync(join(root, 'bearing.yaml')))
        throw new BearingError('usage', `${root} already holds a workspace (bearing.yaml); nothing was changed`);
      mkdirSync(join(root, 'metrics', 'definitions'), { recursive: true });
      mkdirSync(join(root, 'sources'), { recursive: true });
      writeFileSync(join(root, 'bearing.yaml'), SETTINGS);
      if (!existsSync(join(root, 'metrics', 'goals.yaml'))) writeFileSync(join(root, 'metrics', 'goals.yaml'), GOALS);
      writeFileSync(join(root, 'sources', 'README.md'), SOURCES_README);
      writeFileSync(join(root, 'metrics', 'definitions', 'README.md'), DEFINITIONS_README);
      console.log(`An empty workspace is ready in ${root}.`);
      console.log(
        `Next: cd ${dir}; add a sources file under sources/; bearing sources check; bearing sync; bearing serve`,
      );
    });
}
