// zod validation failures become the one error shape, naming each offending field.
import { BearingError } from '../data/errors.ts';

interface HookResult {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
  target?: string;
}

export function validationHook(result: HookResult): void {
  if (result.success) return;
  const issues = (result.error?.issues ?? []).map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new BearingError('invalid-request', `invalid ${result.target ?? 'request'}: ${summary}`, 400, { issues });
}
