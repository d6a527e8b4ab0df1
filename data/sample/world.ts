// The planted truth of the sample world: who each channel reaches, what it does to churn and
// satisfaction, and how the business drifts. Tests read the same numbers back from
// sample-truth.json to prove that Bearing's statistics recover them.

export type Segment = 'smb' | 'mid_market' | 'enterprise';

export interface ChannelTruth {
  channel: string;
  /** Probability of a touch in the first 30 days, per segment (smb, mid_market, enterprise): the confounding. */
  reach: [number, number, number];
  /** Multiplier on the daily churn hazard after day 30 for customers the channel reached in their first 30 days. */
  hazard_ratio: number;
  /** Added to P(promoter) after day 30 for reached customers; P(detractor) falls by half as much. */
  promoter_shift: number;
  /** Added to P(CSAT 4–5) after day 30 for reached customers. */
  csat_shift: number;
  /** Mean touches per active month after day 30 (social grows with calendar time, see below). */
  monthly_touches: number;
  /** Monthly budget before seasonality and growth. */
  budget: number;
  activities: string[];
}

export const CHANNELS: ChannelTruth[] = [
  {
    channel: 'social',
    reach: [0.6, 0.4, 0.15],
    hazard_ratio: 0.8,
    promoter_shift: 0.04,
    csat_shift: 0.03,
    monthly_touches: 0.3,
    budget: 42000,
    activities: ['like', 'comment', 'share', 'dm'],
  },
  {
    channel: 'email',
    reach: [0.55, 0.55, 0.55],
    hazard_ratio: 0.9,
    promoter_shift: 0.02,
    csat_shift: 0.02,
    monthly_touches: 1.2,
    budget: 14000,
    activities: ['open', 'click'],
  },
  // paid_search has no effect at all, and reaches mostly smb customers, who churn most.
  {
    channel: 'paid_search',
    reach: [0.5, 0.3, 0.12],
    hazard_ratio: 1.0,
    promoter_shift: 0,
    csat_shift: 0,
    monthly_touches: 0.2,
    budget: 61000,
    activities: ['click'],
  },
  // events reach mostly enterprise customers, who churn least: the naive comparison flatters them.
  {
    channel: 'events',
    reach: [0.05, 0.25, 0.6],
    hazard_ratio: 0.75,
    promoter_shift: 0.05,
    csat_shift: 0.04,
    monthly_touches: 0.05,
    budget: 52000,
    activities: ['attend', 'webinar'],
  },
  {
    channel: 'display',
    reach: [0.35, 0.3, 0.2],
    hazard_ratio: 0.95,
    promoter_shift: 0.01,
    csat_shift: 0.01,
    monthly_touches: 0.6,
    budget: 30000,
    activities: ['impression', 'click'],
  },
  {
    channel: 'referral',
    reach: [0.15, 0.15, 0.15],
    hazard_ratio: 0.8,
    promoter_shift: 0.04,
    csat_shift: 0.03,
    monthly_touches: 0.05,
    budget: 9000,
    activities: ['referral_visit'],
  },
];

export const SEGMENTS: {
  segment: Segment;
  share: number;
  monthly_churn: number;
  promoter: number;
  detractor: number;
  satisfied: number;
  order_rate: number;
  order_mean: number;
}[] = [
  {
    segment: 'smb',
    share: 0.5,
    monthly_churn: 0.05,
    promoter: 0.36,
    detractor: 0.26,
    satisfied: 0.7,
    order_rate: 0.3,
    order_mean: 80,
  },
  {
    segment: 'mid_market',
    share: 0.3,
    monthly_churn: 0.03,
    promoter: 0.42,
    detractor: 0.21,
    satisfied: 0.76,
    order_rate: 0.4,
    order_mean: 260,
  },
  {
    segment: 'enterprise',
    share: 0.2,
    monthly_churn: 0.015,
    promoter: 0.5,
    detractor: 0.15,
    satisfied: 0.82,
    order_rate: 0.5,
    order_mean: 900,
  },
];

export const REGIONS = [
  { region: 'na', share: 0.4 },
  { region: 'emea', share: 0.3 },
  { region: 'apac', share: 0.2 },
  { region: 'latam', share: 0.1 },
];

export const WORLD = {
  months: 36,
  /** Hazard multiplier of the oldest cohort and of the newest (retention slowly improving). */
  cohort_hazard: [1.15, 0.8] as [number, number],
  /** latam's extra multiplier moves from the first to the second value across cohorts (drifting the wrong way). */
  drifting_region: { region: 'latam', hazard: [0.85, 1.6] as [number, number] },
  /** social's monthly touch rate grows by this much across the three years (community growing). */
  social_growth: 0.55,
  /** P(promoter) rises by this much across the three years. */
  promoter_trend: 0.03,
  /**
   * In the world's last months smb's promoters fall and its detractors rise (a support backlog, say):
   * NPS falls, and the drivers name smb's own score as why.
   */
  smb_nps_dip: { segment: 'smb', days: 92, promoter: 0.08, detractor: 0.06 },
  nps_slots: 3,
  nps_response_rate: 0.45,
  csat_slots: 4,
  csat_response_rate: 0.5,
  /** Month-of-year multipliers for spend, January first. */
  seasonality: [0.9, 0.85, 0.95, 1.0, 1.0, 0.9, 0.8, 0.85, 1.0, 1.1, 1.25, 1.3],
  acquisition: ['organic', 'social', 'email', 'paid_search', 'events', 'display', 'referral'],
};
