import { describe, expect, it } from 'vitest';
import type { ProvenanceDocument } from './provenance.document.js';
import { fillProvenancePage, storedProvenancePage } from './provenance.page.js';

const document = (overrides: Partial<ProvenanceDocument> = {}): ProvenanceDocument => ({
  demo: false,
  lot: {
    code: 'ST25-0001',
    product: { vi: 'Gạo ST25', en: 'ST25 rice', category: 'white_rice' },
    gtin: null,
    quantityKg: 500,
    organic: true,
    status: 'sealed',
    producedOn: '2026-11-02',
    recalledAt: null,
    recallReason: null,
    recalledBecauseOf: null,
  },
  season: null,
  harvest: null,
  cooperative: {
    name: 'HTX <huuco:link> Tân Long',
    registrationNumber: '1',
    commune: 'Xã A',
    province: null,
  },
  zones: [],
  plots: [],
  outlineSvg: null,
  steps: [],
  delivery: null,
  ocop: { stars: 4, validTo: '2027-01-15' },
  updatedAt: '2026-11-02T00:00:00Z',
  ...overrides,
});

/** Filled in on the stored bytes, as a scan is; read back as text. */
const fill = (stored: string, with_: Parameters<typeof fillProvenancePage>[1]) =>
  fillProvenancePage(Buffer.from(stored), with_).toString();

const scan = { lang: 'vi' as const, selfPath: '/t/ST25-0001?k=k1&s=abc', scanWarning: false };

describe('a stored provenance page filled in per scan', () => {
  it('links the other language at the printed address, escaped', () => {
    const page = fill(storedProvenancePage(document(), 'vi'), {
      ...scan,
      today: '2026-12-01',
    });
    expect(page).toContain('href="/t/ST25-0001?k=k1&amp;s=abc&amp;lang=en"');
    expect(page).not.toContain('<huuco:');
  });

  it('cannot be filled in through a lot’s own text', () => {
    const page = fill(storedProvenancePage(document(), 'vi'), {
      ...scan,
      today: '2026-12-01',
    });
    expect(page).toContain('HTX &lt;huuco:link&gt; Tân Long');
  });

  it('shows the OCOP stars until the certificate’s last day, not after', () => {
    const stored = storedProvenancePage(document(), 'en');
    expect(fill(stored, { ...scan, lang: 'en', today: '2027-01-14' })).toContain('★★★★');
    const after = fill(stored, { ...scan, lang: 'en', today: '2027-01-15' });
    expect(after).not.toContain('★');
    expect(after).toContain('Cooperative');
  });

  it('warns of a copied label only on the scans made while the warning stands', () => {
    const stored = storedProvenancePage(document({ ocop: null }), 'vi');
    expect(fill(stored, { ...scan, today: '2026-12-01' })).not.toContain('Cảnh báo');
    expect(fill(stored, { ...scan, scanWarning: true, today: '2026-12-01' })).toContain(
      'Cảnh báo: mã này được quét bất thường',
    );
  });
});
