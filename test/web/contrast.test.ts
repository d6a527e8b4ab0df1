// Non-text contrast (WCAG 1.4.11), measured in a real browser: every mark a reader needs on a chart
// (lines, bars, points, bands, reference lines, legend keys, sparklines, note markers) reaches 3:1
// against the background it is drawn on. axe checks text only; this checks the graphics. A mark
// counts by its most visible part: its edge (stroke) or its inside (fill), each with its opacity
// laid over the background. Grid lines are decoration and left out.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAndServer } from '../helpers/browser.ts';

const live = browserAndServer();

/** What the page measures; runs in the browser. */
function measureMarks(): Array<{ mark: string; ratio: number; colour: string }> {
  const MARKS: Record<string, string> = {
    line: '.recharts-line-curve',
    'line dot': '.recharts-line-dot, .recharts-dot',
    bar: '.recharts-bar-rectangle .recharts-rectangle',
    point: '.recharts-scatter-symbol .recharts-symbols',
    'reference line': '.recharts-reference-line-line',
    'shaded range': '.recharts-reference-area-rect',
    'band edge': '.recharts-area-curve',
    'legend key': '.recharts-legend-item .recharts-surface > :not(title):not(desc)',
    sparkline: '.sparkline svg path, .sparkline svg line',
    'note marker': '.annotation-marker circle',
  };
  const rgba = (css: string): [number, number, number, number] | null => {
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) return null;
    const p = m[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [p[0]!, p[1]!, p[2]!, p[3] ?? 1];
  };
  const luminance = ([r, g, b]: number[]) => {
    const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  };
  const contrast = (a: number[], b: number[]) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };
  const background = (el: Element): number[] => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      if (e instanceof SVGElement) continue;
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const opacity = (el: Element) => {
    let o = 1;
    for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const over = (c: number[], alpha: number, bg: number[]) =>
    c.slice(0, 3).map((v, i) => v * alpha + bg[i]! * (1 - alpha));
  const out: Array<{ mark: string; ratio: number; colour: string }> = [];
  for (const [mark, selector] of Object.entries(MARKS))
    for (const el of document.querySelectorAll(selector)) {
      if (el.closest('.recharts-cartesian-grid')) continue;
      const style = getComputedStyle(el);
      const bg = background(el);
      const o = opacity(el);
      const parts: Array<[string, number]> = [];
      const stroke = rgba(style.stroke);
      if (stroke && Number.parseFloat(style.strokeWidth) > 0)
        parts.push([style.stroke, contrast(over(stroke, stroke[3] * Number(style.strokeOpacity) * o, bg), bg)]);
      const fill = rgba(style.fill);
      if (fill) parts.push([style.fill, contrast(over(fill, fill[3] * Number(style.fillOpacity) * o, bg), bg)]);
      const best = parts.sort((a, b) => b[1] - a[1])[0] ?? ['none', 1];
      out.push({ mark, ratio: Math.round(best[1] * 100) / 100, colour: best[0] });
    }
  return out;
}

async function marksOn(page: Page, path: string, drawn: string) {
  await page.goto(`${live.server.url}${path}`);
  await page.waitForSelector(drawn, { state: 'attached', timeout: 60_000 });
  return page.evaluate(measureMarks);
}

const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

describe('non-text contrast of chart marks', () => {
  for (const size of SIZES)
    it(`${size.name}: every mark a reader needs reaches 3:1 on its background`, async () => {
      const goals = (await live.server.call('GET', '/api/goals')).body.goals as Array<{ id: string }>;
      const note = await live.server.call('POST', '/api/annotations', {
        role: 'analyst',
        body: { date: '2026-03-10', text: `Spring campaign (${size.name})`, metric: 'revenue' },
      });
      expect(note.status).toBe(201);
      const context = await live.browser.newContext({ viewport: size });
      const page = await context.newPage();
      try {
        const views: Array<[string, string]> = [
          ['/', '.sparkline svg path.spark-line'],
          // On a phone the row-count bars are not drawn (their axis is not): wait for the line there.
          [
            '/metrics/revenue?compare=previous&from=2026-01-01',
            size.width < 600 ? '.recharts-line-curve' : '.recharts-bar-rectangle .recharts-rectangle',
          ],
          ['/metrics/retention_90d?by=segment', '.recharts-line-curve'],
          [`/goals/${goals[0]!.id}`, '.recharts-line-curve'],
          ['/channels', '.recharts-scatter-symbol'],
          ['/mix', '[data-testid="mix-curves"] .recharts-line-curve'],
        ];
        const seen = new Set<string>();
        const weak = new Set<string>();
        for (const [path, drawn] of views) {
          for (const m of await marksOn(page, path, drawn)) {
            seen.add(m.mark);
            if (m.ratio < 3) weak.add(`${path}: ${m.mark} ${m.colour} at ${m.ratio}:1`);
          }
        }
        expect([...weak]).toEqual([]);
        // The check reached every kind of mark it names (a selector that matched nothing would pass silently).
        expect([...seen].sort()).toEqual(
          [
            'band edge',
            'bar',
            'legend key',
            'line',
            'line dot',
            'note marker',
            'point',
            'reference line',
            'shaded range',
            'sparkline',
          ].sort(),
        );
      } finally {
        await context.close();
      }
    }, 120_000);
});
