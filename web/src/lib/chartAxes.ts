// What every time-series chart's axes share: time on x, labelled months, and the y-axis title's
// look. Spread into Recharts' own axis elements (which must stay direct children of the chart).
import { formatDate } from './format.ts';

export const TIME_AXIS = {
  dataKey: 't',
  type: 'number',
  scale: 'time',
  domain: ['dataMin', 'dataMax'],
  tickFormatter: (t: number) => formatDate(new Date(t).toISOString(), 'month'),
} as const;

/** The y-axis title, written along the axis. */
export const yAxisLabel = (value: string) =>
  ({ value, angle: -90, position: 'insideLeft', style: { textAnchor: 'middle', fill: '#5b6b78' } }) as const;

export const GRID_STROKE = '#e3e9ee';
