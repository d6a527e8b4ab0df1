// zod validation failures become the one error shape, naming each offending field.
import { BearingError } from '../data/errors.ts';

interface HookResult {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string; code?: string; keys?: string[] }> };
  target?: string;
}

export function validationHook(result: HookResult): void {
  if (result.success) return;
  // JSON bodies are strict objects: an unknown key is named as the field, never silently dropped.
  const issues = (result.error?.issues ?? []).flatMap((i) =>
    i.code === 'unrecognized_keys' && i.keys?.length
      ? i.keys.map((key) => ({
          field: [...i.path.map(String), key].join('.'),
          message: 'unknown field (check the spelling; see /api/openapi.json)',
        }))
      : [{ field: i.path.map(String).join('.') || '(body)', message: i.message }],
  );
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new BearingError('invalid-request', `invalid ${result.target ?? 'request'}: ${summary}`, { issues });
}
