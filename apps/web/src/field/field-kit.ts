import {
  can,
  type HouseholdDto,
  type MeDto,
  type Page,
  type PlotDto,
  type ZoneDto,
} from '@huuco/domain';
import { useQuery } from '@tanstack/react-query';
import { apiGet, OfflineError } from '../api';
import { queryClient } from '../app/query';
import { snapshots } from './outbox';

/** What the field keeps of a household: enough to tell whose plot it is. */
export type KeptHousehold = Pick<HouseholdDto, 'id' | 'code' | 'headName' | 'village'>;

const PAGE = 500;

async function everyPage<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await apiGet<Page<T>>(`${path}&pageSize=${PAGE}&page=${page}`, signal);
    items.push(...answer.items);
    if (page * PAGE >= answer.total) return items;
  }
}

/**
 * Read from the server and kept on the device under `name`; with no signal, what was kept last.
 * Only "no signal" falls back: a refusal (the role lost the right) is shown as one.
 */
async function keptRead<T>(userId: string, name: string, read: () => Promise<T>): Promise<T> {
  try {
    const fresh = await read();
    await snapshots.save(userId, name, fresh);
    return fresh;
  } catch (error) {
    const kept = error instanceof OfflineError && (await snapshots.read<T>(userId, name));
    if (kept) return kept;
    throw error;
  }
}

/**
 * The user's field kit: what the harvest screen, the map and a plot's panel need with no signal —
 * every plot still farmed that the user may see (codes, outlines, revision, status), the zones,
 * and, where the role may read households, who farms each plot.
 */
const kit = {
  plots: (userId: string, signal?: AbortSignal) =>
    keptRead(userId, 'plots', () => everyPage<PlotDto>('/plots?sort=code&retired=false', signal)),
  zones: (userId: string, signal?: AbortSignal) =>
    keptRead(userId, 'zones', () => everyPage<ZoneDto>('/zones?sort=name', signal)),
  households: (userId: string, signal?: AbortSignal) =>
    keptRead(userId, 'households', async () =>
      (await everyPage<HouseholdDto>('/households?sort=code', signal)).map(
        ({ id, code, headName, village }): KeptHousehold => ({ id, code, headName, village }),
      ),
    ),
};

const FIVE_MINUTES = 5 * 60_000;

function kitQuery<K extends keyof typeof kit>(name: K, userId: string | undefined) {
  return {
    queryKey: ['field-kit', name, userId],
    queryFn: ({ signal }: { signal?: AbortSignal }) =>
      kit[name](userId!, signal) as ReturnType<(typeof kit)[K]>,
    staleTime: FIVE_MINUTES,
  };
}

export function useFieldPlots(userId: string | undefined) {
  return useQuery({ ...kitQuery('plots', userId), enabled: userId !== undefined });
}

export function useFieldZones(userId: string | undefined) {
  return useQuery({ ...kitQuery('zones', userId), enabled: userId !== undefined });
}

/** Who farms each plot, by household id; empty for roles that may not read households. */
export function useFieldHouseholds(user: MeDto | null) {
  const query = useQuery({
    ...kitQuery('households', user?.id),
    enabled: user !== null && can(user.role, 'households.read'),
  });
  return new Map((query.data ?? []).map((household) => [household.id, household]));
}

/** The kit as last read: from the cache, the server, or (no signal) the device. */
export function fieldPlots(userId: string): Promise<PlotDto[]> {
  return queryClient.fetchQuery(kitQuery('plots', userId));
}
export async function fieldPlot(userId: string, id: string): Promise<PlotDto | undefined> {
  return (await fieldPlots(userId)).find((plot) => plot.id === id);
}
export function fieldZones(userId: string): Promise<ZoneDto[]> {
  return queryClient.fetchQuery(kitQuery('zones', userId));
}
export async function fieldHousehold(
  userId: string,
  id: string,
): Promise<KeptHousehold | undefined> {
  return (await queryClient.fetchQuery(kitQuery('households', userId))).find((h) => h.id === id);
}

/** Who goes to the field: those who record harvests or inspections there. */
export function worksInTheField(user: MeDto): boolean {
  return can(user.role, 'harvests.write') || user.role === 'inspector';
}

/**
 * Filled as soon as a field worker opens the app with signal, whatever screen they open: one
 * online visit is enough to open the harvest screen, the map and the season and product lists
 * with no network. Seasons and products are read through the service worker, which keeps them.
 */
export function prefetchFieldKit(user: MeDto): void {
  if (!worksInTheField(user)) return;
  void queryClient.prefetchQuery(kitQuery('plots', user.id));
  void queryClient.prefetchQuery(kitQuery('zones', user.id));
  if (can(user.role, 'households.read'))
    void queryClient.prefetchQuery(kitQuery('households', user.id));
  for (const path of ['/seasons', '/products'])
    void queryClient.prefetchQuery({ queryKey: [path], queryFn: () => apiGet(path) });
}
