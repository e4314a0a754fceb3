import { describe, expect, it } from 'vitest';
import { HeldPages } from './held-pages.js';

const KB = 1024;

function scan(held: HeldPages, code: string, version = 'v1', pageBytes = 6 * KB) {
  const page =
    held.get(code)?.version === version
      ? held.get(code)!
      : held.create(code, { version, lotId: `lot-${code}`, gtin: null, scanWarning: false });
  page.keepAnswer(`vi 2026-12-07 /t/${code}`, Buffer.alloc(pageBytes));
  held.scanned(page);
  return page;
}

describe('pages held within their memory budget', () => {
  it('lets go of the pages scanned longest ago once the budget is full', () => {
    const held = new HeldPages(64 * KB);
    for (let i = 0; i < 20; i++) scan(held, `B${i}`);

    expect(held.heldBytes).toBeLessThanOrEqual(64 * KB);
    expect(held.size).toBeLessThan(20);
    expect(held.get('B19')).toBeDefined();
    expect(held.get('B0')).toBeUndefined();
  });

  it('keeps a page scanned again over pages scanned once since', () => {
    const held = new HeldPages(64 * KB);
    scan(held, 'HOT');
    for (let i = 0; i < 40; i++) {
      scan(held, `B${i}`);
      scan(held, 'HOT');
    }
    expect(held.get('HOT')).toBeDefined();
  });

  it('counts each answer made from a page once, and a newer version in place of the older', () => {
    const held = new HeldPages(1024 * KB);
    const first = scan(held, 'B1');
    const before = held.heldBytes;
    first.keepAnswer('en 2026-12-07 /t/B1', Buffer.alloc(6 * KB));
    first.keepAnswer('en 2026-12-07 /t/B1', Buffer.alloc(6 * KB));
    expect(held.heldBytes).toBe(before + 6 * KB);

    scan(held, 'B1', 'v2');
    expect(held.size).toBe(1);
    expect(held.get('B1')!.version).toBe('v2');
    expect(held.heldBytes).toBe(before);
    // An answer kept on a version let go no longer counts.
    first.keepAnswer('vi 2026-12-08 /t/B1', Buffer.alloc(6 * KB));
    expect(held.heldBytes).toBe(before);
  });

  it('lets go of pages as their answers fill the budget', () => {
    const held = new HeldPages(32 * KB);
    scan(held, 'B1', 'v1', KB);
    const second = scan(held, 'B2', 'v1', KB);
    second.keepAnswer('json', Buffer.alloc(30 * KB));
    expect(held.get('B1')).toBeUndefined();
    expect(held.get('B2')).toBe(second);
    expect(held.heldBytes).toBeLessThanOrEqual(32 * KB);
  });
});
