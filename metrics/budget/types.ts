// The budget's answers (GET /api/budget, POST /api/budget/plan, `bearing budget`), shared by the
// API's schemas, the CLI and the web app.
import type { Unit } from '../definition.ts';
import type { EvidenceMethod } from './evidence.ts';
import type { Plan } from './plan.ts';

export interface BudgetEvidence {
  method: EvidenceMethod;
  /** KPI per unit of spend, and its 95% interval. */
  value: number;
  ci: [number, number];
  /** Set when this evidence is already inside another (a lift test that calibrated the mix): shown, not pooled. */
  counted_in?: EvidenceMethod;
}

export interface BudgetChannel {
  channel: string;
  /** customer: spend in the `spend` table, measured customer by customer; aggregate: the `media` table. */
  kind: 'customer' | 'aggregate';
  /** Where kpi_per_unit came from: one method, "pooled: a + b", or null when nothing measures it. */
  method: string | null;
  /** Spend over the period. */
  spend: number;
  kpi_per_unit: number | null;
  kpi_per_unit_ci: [number, number] | null;
  /** kpi_per_unit × spend: the KPI the channel's spend over the period brought. */
  contribution: number | null;
  contribution_ci: [number, number] | null;
  /**
   * What the next unit of spend would bring at today's level: the mix model's marginal return where
   * it fitted the channel, else the return per unit × the assumed elasticity (0.5).
   */
  kpi_per_extra_unit: number | null;
  kpi_per_extra_unit_ci: [number, number] | null;
  share_of_spend: number;
  share_of_effect: number | null;
  evidence: BudgetEvidence[];
  notes: string[];
  /** One sentence for finance. */
  sentence: string;
}

export interface BudgetAnswer {
  kpi: string;
  label: string;
  unit: Unit;
  currency: string;
  period: { from: string; to: string };
  channels: BudgetChannel[];
  /** The KPI over the period, and what no channel's spend explains (the KPI less every contribution). */
  kpi_total: number;
  baseline: number;
  method: string;
  warnings: string[];
}

export interface BudgetPlan extends Omit<Plan, 'total_current'> {
  kpi: string;
  label: string;
  unit: Unit;
  currency: string;
  period: { from: string; to: string; days: number; label: string };
  total_current: number;
  /** What the plan's current figures come from, and what it assumes. */
  assumptions: string[];
  sentences: string[];
}
