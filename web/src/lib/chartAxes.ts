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

/**
 * A y-axis title, turned, at the outer edge of an axis 80 px wide: room for a compact tick
 * ("$350K", "93.5%") between it and the axis line (a test checks no title touches a tick).
 */
export const yAxisLabel = (value: string) =>
  ({ value, angle: -90, position: 'insideLeft', style: { textAnchor: 'middle', fill: '#5b6b78' } }) as const;

export const GRID_STROKE = '#e3e9ee';

/**
 * Light graphics (sample-size bars, interval bands) keep a pale fill so the data lines stay on top,
 * and get an edge in this grey: 3.5:1 on white, the 3:1 WCAG asks of graphics a reader needs
 * (1.4.11). A browser test measures every chart's marks against their background.
 */
export const EDGE_GREY = '#7b8a97';

/** One colour per series (groups of a breakdown, channels of the mix), in order. */
export const SERIES_COLOURS = ['#0b3d5c', '#2f7ebc', '#9a6700', '#6941c6', '#1b7f3b', '#b42318', '#5b6b78'];

/**
 * Tooltip text in the page's ink: Recharts colours each item like its series, and light series
 * (the grey n bars, the naive-difference points) then read at 1.2–1.8:1. The item's name says which.
 */
export const READABLE_TOOLTIP = {
  itemStyle: { color: '#14212b' },
  labelStyle: { color: '#14212b' },
} as const;
