import type { mixQuery } from '../../lib/queries.ts';

export type Mix = Awaited<ReturnType<NonNullable<ReturnType<typeof mixQuery>['queryFn']>>>;
export type MixChannel = Mix['channels'][number];

export const ratio = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
export const ratioRange = (ci: [number, number] | null) => (ci ? `${ratio(ci[0])}–${ratio(ci[1])}` : '—');
