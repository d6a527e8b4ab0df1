// A retention window shorter than the inactivity rule can never see a churn: bearing check says so
// (through the real binary), and the shipped 90-day retention is fine without the rule.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import type { Definition } from '../../metrics/definition.ts';
import { windowWarnings } from '../../metrics/lifecycleWarnings.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const retention = parse(readFileSync(join(SHIPPED_METRICS_DIR, 'retention_90d.yaml'), 'utf8')) as Definition;

describe('windows shorter than the inactivity rule', () => {
  it('are named, and only when the rule makes them blind', () => {
    expect(windowWarnings([retention], 180)[0]?.message).toMatch(/its 90-day window is shorter than churn/);
    expect(windowWarnings([retention], 60)).toEqual([]);
    expect(windowWarnings([retention], undefined)).toEqual([]);
    const revenue = parse(readFileSync(join(SHIPPED_METRICS_DIR, 'revenue.yaml'), 'utf8')) as Definition;
    expect(windowWarnings([revenue], 180)).toEqual([]);
  });

  it('are warned about by bearing check, which still passes', () => {
    const ws = makeWorkspace('churn:\n  inactive_after_days: 180\n');
    try {
      copyFileSync(
        join(SHIPPED_METRICS_DIR, 'retention_90d.yaml'),
        join(ws.dir, 'metrics/definitions/retention_90d.yaml'),
      );
      const r = ws.bearing('check', '--metrics', join(ws.dir, 'metrics/definitions'));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /warning: .*retention_90d\.yaml: its 90-day window is shorter than churn\.inactive_after_days \(180\)/,
      );
    } finally {
      ws.cleanup();
    }
  });
});
