// One queryOptions factory per resource; keys come only from here.
import { queryOptions } from '@tanstack/react-query';
import { api, json } from './api.ts';

export const keys = {
  health: ['health'] as const,
};

export const healthQuery = () =>
  queryOptions({
    queryKey: keys.health,
    queryFn: () => json(api.health.$get()),
  });
