import { InvalidArgumentError } from 'commander';
import { isIsoDate } from '../../data/dates.ts';

/** A commander parser for whole numbers with a lower bound, naming the flag when it fails. */
export function integer(flag: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  const range =
    max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : '';
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} expects a whole number${range} (got "${value}")`);
    }
    return n;
  };
}

export function isoDate(flag: string) {
  return (value: string): string => {
    if (!isIsoDate(value)) {
      throw new InvalidArgumentError(`${flag} expects a real date YYYY-MM-DD (got "${value}")`);
    }
    return value;
  };
}

/** A number above 0 (an amount of money, a budget). */
export function positive(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0)) throw new InvalidArgumentError(`${flag} expects a positive amount (got "${value}")`);
    return n;
  };
}

/** A repeatable flag's values, in order. */
export const collect = (value: string, all: string[]) => [...all, value];

/** `--bound CHANNEL=MIN:MAX` (either side may be empty), repeatable; channel names as the data store them. */
export function collectBound(
  value: string,
  all: Record<string, { min?: number; max?: number }>,
): Record<string, { min?: number; max?: number }> {
  const m = /^([^=]+)=(\d*\.?\d*):(\d*\.?\d*)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`--bound expects CHANNEL=MIN:MAX, either side may be empty (got "${value}")`);
  const bound = { ...(m[2] ? { min: Number(m[2]) } : {}), ...(m[3] ? { max: Number(m[3]) } : {}) };
  return { ...all, [m[1]!.trim().toLowerCase()]: bound };
}
