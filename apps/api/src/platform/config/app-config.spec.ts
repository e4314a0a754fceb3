import { describe, expect, it } from 'vitest';
import { loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to port 3000 and the embedded database', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseKind).toBe('embedded');
    expect(config.conversionMonths).toBe(12);
  });

  it('names PORT when it is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: must be between 0 and 65535/);
  });

  it('names DATABASE_URL when it is not a postgres URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://localhost/db' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('asks for an ID encryption key with a server database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/huuco' })).toThrow(
      /ID_ENCRYPTION_KEY/,
    );
    expect(() => loadConfig({ ID_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /ID_ENCRYPTION_KEY: must be 32 bytes/,
    );
  });
});
