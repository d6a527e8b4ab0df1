import { InvalidArgumentError } from 'commander';

/** A commander parser for whole numbers with a lower bound, naming the flag when it fails. */
export function integer(flag: string, min = Number.MIN_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${flag} expects a whole number${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''} (got "${value}")`);
    }
    return n;
  };
}

export function isoDate(flag: string) {
  return (value: string): string => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new InvalidArgumentError(`${flag} expects a date YYYY-MM-DD (got "${value}")`);
    }
    return value;
  };
}
