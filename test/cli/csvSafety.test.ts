// `bearing query --csv` through the real binary: a value that starts like a spreadsheet formula
// (from an imported column) comes out inert, text quoted, numbers as numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

let ws: TestWorkspace;
beforeAll(() => {
  ws = makeWorkspace();
  ws.write(
    'customers.csv',
    'customer_id,signup_date,segment\n' +
      'c1,2026-01-05,"=HYPERLINK(""http://evil.example"",""x"")"\nc2,2026-01-06,@SUM(A1)\n' +
      'c3,2026-01-07,smb\n',
  );
});
afterAll(() => ws.cleanup());

describe('bearing query --csv', () => {
  it('makes formula-like text inert and keeps numbers plain', () => {
    expect(ws.bearing('import', '--db', ws.db, `${ws.dir}/customers.csv`).status).toBe(0);
    const r = ws.bearing(
      'query',
      'active_customers',
      '--db',
      ws.db,
      '--metrics',
      SHIPPED_METRICS_DIR,
      '--by',
      'segment',
      '--grain',
      'month',
      '--csv',
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('period,group,value,n,complete');
    expect(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`))).toBe(true);
    expect(lines.some((l) => l.includes(`"'@SUM(A1)"`))).toBe(true);
    expect(lines).toContain(`"2026-01-01","smb",1,1,false`);
    expect(lines.every((l) => !/(^|,)[=@+]/.test(l))).toBe(true);
  });
});
