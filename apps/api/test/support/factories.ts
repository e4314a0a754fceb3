import { randomInt } from 'node:crypto';
import type { Polygon, Position } from 'geojson';
import type { Client, TestApp } from './test-app.js';

const METRES_PER_DEGREE_LAT = 110_700;

/** A spot of land nobody else in this run is likely to use: tests share the server database. */
export function randomSpot(): [number, number] {
  return [104 + randomInt(0, 4_000_000) / 1_000_000, 10 + randomInt(0, 12_000_000) / 1_000_000];
}

export function metresToDegrees(lat: number, dx: number, dy: number): [number, number] {
  return [
    dx / (METRES_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180)),
    dy / METRES_PER_DEGREE_LAT,
  ];
}

/** A rectangle of `widthM` × `heightM` metres whose south-west corner is at `origin`. */
export function rectangle(origin: [number, number], widthM: number, heightM: number): Polygon {
  const [lng, lat] = origin;
  const [dLng, dLat] = metresToDegrees(lat, widthM, heightM);
  const ring: Position[] = [
    [lng, lat],
    [lng + dLng, lat],
    [lng + dLng, lat + dLat],
    [lng, lat + dLat],
    [lng, lat],
  ];
  return { type: 'Polygon', coordinates: [ring.map(([x, y]) => [round(x!), round(y!)])] };
}

/** Moves a point by metres east and north. */
export function offset(origin: [number, number], eastM: number, northM: number): [number, number] {
  const [dLng, dLat] = metresToDegrees(origin[1], eastM, northM);
  return [origin[0] + dLng, origin[1] + dLat];
}

function round(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

export function uniqueCode(prefix: string): string {
  return `${prefix}-${randomInt(0, 2 ** 40)
    .toString(36)
    .toUpperCase()}`;
}

export function uniqueDate(): string {
  return `19${randomInt(91, 99)}-0${randomInt(1, 9)}-1${randomInt(0, 9)}`;
}

/** A commune inside the test administrator's province. */
export async function newCommune(
  api: TestApp,
  name = 'Xã Thử',
  parentId = api.rootUnitId,
): Promise<{ id: string }> {
  const commune = await api.post('/admin-units', {
    code: String(randomInt(10_000, 99_999)),
    name,
    level: 'commune',
    parentId,
    validFrom: uniqueDate(),
  });
  if (commune.status !== 201) throw new Error(`commune: ${JSON.stringify(commune.body)}`);
  return commune.body;
}

export async function newCooperative(api: Client, communeId: string, status = 'active') {
  const response = await api.post('/cooperatives', {
    name: 'HTX Thử nghiệm',
    registrationNumber: uniqueCode('HTX'),
    communeId,
    status,
  });
  if (response.status !== 201) throw new Error(`cooperative: ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}

export function randomIdNumber(): string {
  return `030${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}

export async function newHousehold(
  api: Client,
  communeId: string,
  cooperativeId: string,
  idNumber = randomIdNumber(),
) {
  const response = await api.post('/households', {
    headName: 'Nguyễn Văn Thử',
    idNumber,
    phone: '0912345678',
    communeId,
    cooperativeId,
    joinedOn: '2020-03-01',
  });
  if (response.status !== 201) throw new Error(`household: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; idNumberMasked: string };
}

export async function newZone(
  api: TestApp,
  communeId: string,
  geometry: Polygon,
  extra: object = {},
) {
  const response = await api.post('/zones', {
    code: uniqueCode('Z'),
    name: 'Vùng thử',
    kind: 'organic',
    geometry,
    communeIds: [communeId],
    ...extra,
  });
  if (response.status !== 201) throw new Error(`zone: ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}

/** A commune, an active cooperative, a household and a 500 m × 500 m organic zone at a fresh spot. */
export async function newFarm(api: TestApp) {
  const origin = randomSpot();
  const commune = await newCommune(api);
  const cooperative = await newCooperative(api, commune.id);
  const household = await newHousehold(api, commune.id, cooperative.id);
  const zone = await newZone(api, commune.id, rectangle(origin, 500, 500));
  return { origin, commune, cooperative, household, zone };
}

export function plotBody(householdId: string, geometry: Polygon, extra: object = {}) {
  return {
    code: uniqueCode('P'),
    householdId,
    geometry,
    farmingSystem: 'organic_rice',
    ...extra,
  };
}
