// The benches' command lines: `--help` prints what each option does, and a mistyped option or a
// missing value says so in one line beside that text (exit 2), not in a stack trace.
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function benchArgs<O extends Options>(usage: string, options: O) {
  const fail = (message: string): never => {
    console.error(`error: ${message}\n\n${usage}`);
    process.exit(2);
  };
  try {
    const { values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } } });
    if ((values as { help?: boolean }).help) {
      console.log(usage);
      process.exit(0);
    }
    return { values: values as ReturnType<typeof parseArgs<{ options: O }>>['values'], fail };
  } catch (e) {
    return fail((e as Error).message);
  }
}
