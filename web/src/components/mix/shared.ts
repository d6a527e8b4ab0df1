import type { mixQuery } from '../../lib/queries.ts';

export type Mix = Awaited<ReturnType<NonNullable<ReturnType<typeof mixQuery>['queryFn']>>>;
export type MixChannel = Mix['channels'][number];

export const COLORS = ['#2f7ebc', '#d9822b', '#3f9c5a', '#9b59b6', '#c0392b', '#16a085', '#7f8c8d', '#b7950b'];

export const ratio = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
export const ratioRange = (ci: [number, number] | null) => (ci ? `${ratio(ci[0])}–${ratio(ci[1])}` : '—');
