// Planted worlds for the drivers: customers in segments and regions, a 0/1 outcome per customer per
// month (a satisfaction rate), and orders (a revenue total). The truth of what moved is planted.
import { mulberry32 } from '../../metrics/heading/random.ts';
import type { DimensionInput, GroupPoint } from '../../metrics/drivers/decompose.ts';

export interface DriverWorld {
  months: number;
  customersPerMonth: number;
  segments: Array<{ name: string; share: number; rate: number; spend: number }>;
  regions: Array<{ name: string; share: number }>;
  /** In the last month: one segment's rate moved by `delta`, or its share of customers set to `share`. */
  plant?: { segment: string; delta?: number; share?: number };
}

export const BASE_WORLD: DriverWorld = {
  months: 30,
  customersPerMonth: 3000,
  segments: [
    { name: 'smb', share: 0.5, rate: 0.7, spend: 80 },
    { name: 'mid_market', share: 0.3, rate: 0.76, spend: 260 },
    { name: 'enterprise', share: 0.2, rate: 0.82, spend: 900 },
  ],
  regions: [
    { name: 'na', share: 0.4 },
    { name: 'emea', share: 0.3 },
    { name: 'apac', share: 0.2 },
    { name: 'latam', share: 0.1 },
  ],
};

function pick<T extends { share: number }>(items: T[], u: number): T {
  let acc = 0;
  for (const item of items) {
    acc += item.share;
    if (u < acc) return item;
  }
  return items.at(-1)!;
}

interface Cell {
  sum: number;
  n: number;
}

/**
 * One seed of a world, summarised as the product summarises it: per month, the whole and each
 * dimension's groups (value and rows) for the rate (mean) and the spend (sum).
 */
export function drawWorld(world: DriverWorld, seed: number) {
  const rand = mulberry32(seed);
  const months = world.months;
  const rate = { total: [] as Cell[], segment: [] as Map<string, Cell>[], region: [] as Map<string, Cell>[] };
  const spend = { total: [] as Cell[], segment: [] as Map<string, Cell>[], region: [] as Map<string, Cell>[] };
  for (let t = 0; t < months; t++) {
    const last = t === months - 1;
    const segments = world.segments.map((s) => {
      if (!last || !world.plant || world.plant.segment !== s.name) return s;
      return { ...s, rate: s.rate + (world.plant.delta ?? 0) };
    });
    const planted = last && world.plant?.share !== undefined ? world.plant : null;
    const shares = planted
      ? segments.map((s) => ({
          ...s,
          share:
            s.name === planted.segment
              ? planted.share!
              : (s.share * (1 - planted.share!)) / (1 - world.segments.find((x) => x.name === planted.segment)!.share),
        }))
      : segments;
    const cells = [rate, spend].map(() => ({ total: { sum: 0, n: 0 }, seg: new Map<string, Cell>(), reg: new Map() }));
    for (let i = 0; i < world.customersPerMonth; i++) {
      const s = pick(shares, rand());
      const r = pick(world.regions, rand());
      const y = rand() < s.rate ? 1 : 0;
      const money = rand() < 0.4 ? s.spend * (0.5 + rand()) : 0;
      for (const [k, v] of [
        [0, y],
        [1, money],
      ] as const) {
        const c = cells[k]!;
        c.total.sum += v;
        c.total.n++;
        for (const [map, key] of [
          [c.seg, s.name],
          [c.reg, r.name],
        ] as const) {
          const cell = map.get(key) ?? { sum: 0, n: 0 };
          cell.sum += v;
          cell.n++;
          map.set(key, cell);
        }
      }
    }
    rate.total.push(cells[0]!.total);
    rate.segment.push(cells[0]!.seg);
    rate.region.push(cells[0]!.reg);
    spend.total.push(cells[1]!.total);
    spend.segment.push(cells[1]!.seg);
    spend.region.push(cells[1]!.reg);
  }
  const asMean = (c: Cell): GroupPoint[] => [{ group: '(all)', value: c.n ? c.sum / c.n : null, weight: c.n }];
  const asSum = (c: Cell): GroupPoint[] => [{ group: '(all)', value: c.sum, weight: c.n }];
  const dims = (maps: { segment: Map<string, Cell>[]; region: Map<string, Cell>[] }, mean: boolean) =>
    (['segment', 'region'] as const).map(
      (dimension): DimensionInput => ({
        dimension,
        periods: maps[dimension].map((m) =>
          [...m].map(([group, c]) => ({ group, value: mean ? c.sum / c.n : c.sum, weight: c.n })),
        ),
      }),
    );
  return {
    rate: { totals: rate.total.map((c) => asMean(c)[0]), dims: dims(rate, true) },
    spend: { totals: spend.total.map((c) => asSum(c)[0]), dims: dims(spend, false) },
    lastPair: { base: [months - 2], current: [months - 1] },
  };
}
