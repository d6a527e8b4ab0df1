import { InvalidArgumentError } from 'commander';
import { isIsoDate } from '../../data/dates.ts';

/** A commander parser for whole numbers with a lower bound, naming the flag when it fails. */
export function integer(flag: string, min = Number.MIN_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(
        `${flag} expects a whole number${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''} (got "${value}")`,
      );
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
