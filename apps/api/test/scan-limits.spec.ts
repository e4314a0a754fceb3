import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, certifiedFarm, harvest } from './support/trace-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;
let signedPath: string;

beforeAll(async () => {
  api = await startTestApp({
    env: { PUBLIC_RATE_LIMIT_PER_MINUTE: '5', PUBLIC_SIGNED_RATE_LIMIT_PER_MINUTE: '1000' },
  });
  const farm = await certifiedFarm(api, 1);
  const harvested = await harvest(farm, 0, 300);
  const [lot] = (await aggregate(farm, [{ harvestId: harvested.id, quantityKg: 300 }])).body as {
    provenanceUrl: string;
  }[];
  signedPath = lot!.provenanceUrl.replace(/^https?:\/\/[^/]+/, '');
});
afterAll(() => api.close());

const statuses = async (path: string, times: number) => {
  const answers: number[] = [];
  for (let n = 0; n < times; n++) answers.push((await fetch(`${api.url}${path}`)).status);
  return answers;
};

describe('the public rate limit, from one address (a shop’s Wi-Fi, a carrier’s NAT)', () => {
  it('lets a campaign’s scans of a genuine label through, far beyond the budget for the rest', async () => {
    expect(await statuses(signedPath, 30)).toEqual(Array(30).fill(200));
  });

  it('turns away forged signatures and unsigned codes once their own small budget is spent', async () => {
    const forged = signedPath.replace(/s=[^&]+/, 's=AAAAAAAAAAAAAAAA');
    const answers = await statuses(forged, 8);
    expect(answers.slice(0, 5)).toEqual(Array(5).fill(200));
    expect(answers.slice(5)).toEqual([429, 429, 429]);
    // The genuine label still opens for the same address.
    expect(await statuses(signedPath, 3)).toEqual([200, 200, 200]);
  });
});
