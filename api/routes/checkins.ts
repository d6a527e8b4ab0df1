// Check-ins on goals: GET/POST /goals/:id/checkins, and GET /checkins (every goal's latest, for the cards).
import { createRoute, z } from '@hono/zod-openapi';
import { createCheckin, listCheckins } from '../../data/checkins.ts';
import { BearingError } from '../../data/errors.ts';
import { whoOf } from '../caller.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { ErrorBody, json } from '../schemas.ts';
import { serverGoals } from '../goalsFile.ts';

export const CheckinSchema = z
  .object({
    id: z.number().int(),
    goal: z.string(),
    confidence: z.number().int(),
    text: z.string(),
    author: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Checkin');

export const CheckinInput = z.strictObject({
  confidence: z
    .number()
    .int('expected a whole number from 0 to 100')
    .min(0, 'expected a whole number from 0 to 100')
    .max(100, 'expected a whole number from 0 to 100')
    .openapi({ description: 'How likely the owner thinks the goal is to be met, in percent' }),
  text: z.string().trim().min(1, 'say what you are doing about it').max(1000),
});

const IdParam = z.object({ id: z.string().max(80) });
const Checkins = z.object({ checkins: z.array(CheckinSchema) });

const listRoute = createRoute({
  method: 'get',
  path: '/goals/{id}/checkins',
  summary: 'A goal’s check-ins, newest first',
  request: { params: IdParam },
  responses: { 200: json(Checkins, 'Check-ins'), 404: json(ErrorBody, 'Unknown goal') },
});
const createRouteDef = createRoute({
  method: 'post',
  path: '/goals/{id}/checkins',
  summary: 'Add a check-in to a goal (signed by the token)',
  request: { params: IdParam, body: { content: { 'application/json': { schema: CheckinInput } } } },
  responses: {
    201: json(CheckinSchema, 'Created'),
    404: json(ErrorBody, 'Unknown goal'),
    422: json(ErrorBody, 'Invalid check-in'),
  },
});
const latestRoute = createRoute({
  method: 'get',
  path: '/checkins',
  summary: 'Every goal’s latest check-in',
  responses: { 200: json(Checkins, 'The latest check-in of each goal that has one') },
});

async function knownGoal(deps: AppDeps, id: string): Promise<void> {
  if (!(await serverGoals(deps)).goals.some((g) => g.id === id))
    throw new BearingError('unknown-goal', `no goal with id "${id}"`);
}

export const checkinRoutes = (deps: AppDeps) =>
  router()
    .openapi(listRoute, async (c) => {
      const { id } = c.req.valid('param');
      await knownGoal(deps, id);
      return c.json({ checkins: await listCheckins(deps.db, { goal: id }) }, 200);
    })
    // Signed by the token that wrote it, like a note: nobody checks in as someone else.
    .openapi(createRouteDef, async (c) => {
      const { id } = c.req.valid('param');
      await knownGoal(deps, id);
      const body = c.req.valid('json');
      return c.json(await createCheckin(deps.db, { goal: id, ...body, author: whoOf(c, deps.auth.tokens) }), 201);
    })
    .openapi(latestRoute, async (c) => c.json({ checkins: await listCheckins(deps.db, { latest: true }) }, 200));
