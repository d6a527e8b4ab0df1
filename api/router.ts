// Every resource's router: zod-openapi with the one validation hook, so every rejected parameter
// or body answers the same error shape.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { validationHook } from './validation.ts';

export const router = <E extends Env = Env>() => new OpenAPIHono<E>({ defaultHook: validationHook });
