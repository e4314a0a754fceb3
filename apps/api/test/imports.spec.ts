import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { maskIdNumber } from '@huuco/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCommune, newCooperative, randomIdNumber } from './support/factories.js';
import { checked, settled, upload } from './support/imports.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({ env: { IMPORT_MAX_BYTES: '300000' } });
});
afterAll(() => api.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('DS hộ');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function readWorkbook(content: ArrayBuffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content);
  const rows: string[][] = [];
  book.worksheets[0]!.eachRow((row) => {
    rows.push(
      (row.values as unknown[])
        .slice(1)
        .map((v) => (v === null || v === undefined ? '' : String(v))),
    );
  });
  return rows;
}

async function cooperativeWithManager() {
  const commune = await newCommune(api, `Xã Nhập ${randomInt(1e9)}`);
  const cooperative = await newCooperative(api, commune.id);
  const manager = await api.newUser('coop_manager', { cooperativeId: cooperative.id });
  return { commune, cooperative, manager };
}

describe('importing households from a sheet', () => {
  it('reads a hand-made workbook, reports each mistake on its row, and commits the fixed file once', async () => {
    const { cooperative, manager } = await cooperativeWithManager();
    const ids = [randomIdNumber(), randomIdNumber(), randomIdNumber()];
    // What a cooperative's own list looks like: a title, a blank line, its own headers, an ID
    // number typed as a number (Excel dropped its leading zero), a duplicate, a bad phone.
    const file = await workbook([
      ['DANH SÁCH HỘ THÀNH VIÊN HTX NÔNG NGHIỆP'],
      [],
      ['STT', 'Chủ hộ', 'Số CCCD', 'SĐT', 'Thôn/Xóm', 'Ngày tham gia'],
      [1, 'Nguyễn Văn An', Number(ids[0]), '0912 345 678', 'Thôn Đông', '05/03/2019'],
      [2, 'Trần Thị Bình', ids[1], '091234', 'Thôn Tây', new Date(Date.UTC(2020, 0, 15))],
      [3, 'Lê Văn Cường', ids[0], '0987654321', 'Thôn Đông', '01/02/2021'],
      [],
      [4, '', ids[2], '', '', '31/02/2021'],
    ]);
    const started = await upload(
      manager,
      { kind: 'households', cooperativeId: cooperative.id },
      file,
      'ds-ho.xlsx',
    );
    expect(started.status).toBe(202);
    const job = await settled(manager, started.body.id);
    expect(job).toMatchObject({
      status: 'ready',
      format: 'xlsx',
      sheet: 'DS hộ',
      headerRow: 3,
      mapping: {
        headName: 'Chủ hộ',
        idNumber: 'Số CCCD',
        phone: 'SĐT',
        village: 'Thôn/Xóm',
        joinedOn: 'Ngày tham gia',
        code: null,
      },
      progress: { read: 4, checked: 4, total: 4 },
      counts: { new: 1, update: 0, unchanged: 0, error: 3 },
    });
    const rows = job.preview.items;
    expect(rows.map((r: any) => [r.number, r.verdict])).toEqual([
      [4, 'new'],
      [5, 'error'],
      [6, 'error'],
      [8, 'error'],
    ]);
    expect(rows[0].values).toMatchObject({
      headName: 'Nguyễn Văn An',
      phone: '0912345678',
      joinedOn: '2019-03-05',
      // Typed as a number, the ID lost its leading zero in Excel: it is back.
      idNumberMasked: maskIdNumber(ids[0]!),
    });
    const fields = (n: number) =>
      rows.find((r: any) => r.number === n).errors.map((e: any) => [e.field, e.code]);
    expect(fields(5)).toEqual([['phone', 'VALIDATION_FAILED']]);
    expect(fields(6)).toEqual([['idNumber', 'IMPORT_ROW_DUPLICATE']]);
    expect(fields(8)).toEqual([
      ['headName', 'VALIDATION_FAILED'],
      ['joinedOn', 'VALIDATION_FAILED'],
    ]);
    expect(JSON.stringify(job)).not.toContain(ids[0]);

    const refused = await manager.post(`/imports/${job.id}/commit`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('IMPORT_HAS_ERRORS');

    const errors = await manager.raw(`/imports/${job.id}/errors.xlsx`, { method: 'GET' });
    expect(errors.status).toBe(200);
    expect(errors.headers.get('content-type')).toContain(XLSX);
    const sheet = await readWorkbook(
      await (
        await fetch(`${api.url}/api/v1/imports/${job.id}/errors.xlsx`, {
          headers: { authorization: `Bearer ${manager.token}` },
        })
      ).arrayBuffer(),
    );
    expect(sheet[0]).toEqual([
      'STT',
      'Chủ hộ',
      'Số CCCD',
      'SĐT',
      'Thôn/Xóm',
      'Ngày tham gia',
      'Lỗi',
    ]);
    expect(sheet.slice(1).map((r) => r[0])).toEqual(['2', '3', '4']);
    expect(sheet[1]![6]).toContain('phone');

    // Fixed, as a CSV with semicolons this time; the household already registered is not twice.
    const csv = [
      'Họ và tên chủ hộ;Số CCCD;Số điện thoại;Thôn/Xóm;Ngày vào HTX',
      `Nguyễn Văn An;${ids[0]};0912345678;Thôn Đông;05/03/2019`,
      `Trần Thị Bình;${ids[1]};0912345670;Thôn Tây;15/01/2020`,
      `Phạm Văn Dũng;${ids[2]};;Thôn Bắc;1/2/2021`,
    ].join('\r\n');
    const again = await upload(
      manager,
      { kind: 'households', cooperativeId: cooperative.id },
      Buffer.from(`\uFEFF${csv}`),
      'ds-ho.csv',
    );
    const fixed = await settled(manager, again.body.id);
    expect(fixed).toMatchObject({ status: 'ready', format: 'csv', headerRow: 1 });
    expect(fixed.counts).toEqual({ new: 3, update: 0, unchanged: 0, error: 0 });
    const committed = await manager.post(`/imports/${fixed.id}/commit`, {});
    expect(committed.status).toBe(200);
    expect(committed.body.status).toBe('committed');
    const twice = await manager.post(`/imports/${fixed.id}/commit`, {});
    expect(twice.status).toBe(200);
    const listed = await manager.get(`/households?cooperativeId=${cooperative.id}&pageSize=50`);
    expect(listed.body.items.map((h: any) => h.headName).sort()).toEqual([
      'Nguyễn Văn An',
      'Phạm Văn Dũng',
      'Trần Thị Bình',
    ]);
    expect(listed.body.items.every((h: any) => /^H\d{4}$/.test(h.code))).toBe(true);

    // The same file again: nothing new, nothing to change. A corrected phone is an update.
    const repeat = await checked(
      manager,
      'households',
      cooperative.id,
      Buffer.from(csv),
      'ds-ho.csv',
    );
    expect(repeat.counts).toEqual({ new: 0, update: 0, unchanged: 3, error: 0 });
    const edited = csv.replace('0912345670', '0912345671');
    const update = await checked(
      manager,
      'households',
      cooperative.id,
      Buffer.from(edited),
      'ds-ho.csv',
    );
    expect(update.counts).toEqual({ new: 0, update: 1, unchanged: 2, error: 0 });
    expect(update.preview.items.find((r: any) => r.verdict === 'update').values.changes).toEqual([
      'phone',
    ]);
    // The registry moved on since the first file was checked: its commit is refused, not applied.
    expect((await manager.post(`/imports/${update.id}/commit`, {})).status).toBe(200);
    const stale = await manager.post(`/imports/${repeat.id}/commit`, {});
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('IMPORT_CHANGED');
    const after = await manager.get(`/households?cooperativeId=${cooperative.id}&pageSize=50`);
    expect(after.body.total).toBe(3);
  });

  it('lets the user correct a column the mapping missed, and check again', async () => {
    const { cooperative, manager } = await cooperativeWithManager();
    const csv = [
      'Họ tên;CCCD;Liên lạc;Ngày vào',
      `Hoàng Văn Em;${randomIdNumber()};0901234567;02/01/2022`,
    ].join('\n');
    const job = await checked(manager, 'households', cooperative.id, Buffer.from(csv), 'a.csv');
    expect(job.mapping.phone).toBeNull();
    expect(job.columns).toEqual(['Họ tên', 'CCCD', 'Liên lạc', 'Ngày vào']);
    const wrong = await manager.patch(`/imports/${job.id}`, { mapping: { phone: 'Điện thoại' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe('mapping.phone');
    const corrected = await manager.patch(`/imports/${job.id}`, { mapping: { phone: 'Liên lạc' } });
    expect(corrected.status).toBe(202);
    const rechecked = await settled(manager, job.id);
    expect(rechecked.mapping.phone).toBe('Liên lạc');
    expect(rechecked.preview.items[0].values.phone).toBe('0901234567');
  });

  it('gives a template with the headers it reads', async () => {
    const { manager } = await cooperativeWithManager();
    const response = await fetch(`${api.url}/api/v1/imports/templates/households.xlsx`, {
      headers: { authorization: `Bearer ${manager.token}` },
    });
    expect(response.status).toBe(200);
    const rows = await readWorkbook(await response.arrayBuffer());
    expect(rows[1]).toEqual([
      'Mã hộ',
      'Họ và tên chủ hộ',
      'Số CCCD',
      'Số điện thoại',
      'Thôn/Xóm',
      'Xã',
      'Ngày vào HTX',
    ]);
  });
});

describe('bad files', () => {
  it('fails the job with its reason, or answers 4xx, and imports nothing', async () => {
    const { cooperative, manager } = await cooperativeWithManager();
    const send = (file: Buffer, name: string) =>
      upload(manager, { kind: 'households', cooperativeId: cooperative.id }, file, name);
    const failure = async (file: Buffer, name: string) => {
      const started = await send(file, name);
      expect(started.status).toBe(202);
      return (await settled(manager, started.body.id)).failure;
    };
    expect(await failure(Buffer.from('%PDF-1.7\n\u0000\u0001binary'), 'ds.pdf')).toMatchObject({
      code: 'IMPORT_FILE_UNREADABLE',
    });
    expect(await failure(Buffer.from('a,b,c\n1,2,3\n'), 'ds.csv')).toMatchObject({
      code: 'IMPORT_NO_HEADER',
    });
    const corrupt = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    expect(await failure(corrupt, 'ds.xlsx')).toMatchObject({ code: 'IMPORT_FILE_UNREADABLE' });
    // A zip bomb: 128 MB of zeros in about a hundred kilobytes.
    const bomb = new JSZip();
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    bomb.file('xl/worksheets/sheet1.xml', zeros, { compression: 'DEFLATE' });
    bomb.file('xl/media/1.bin', zeros, { compression: 'DEFLATE' });
    const bombFile = await bomb.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      compressionOptions: { level: 9 },
    });
    expect(bombFile.length).toBeLessThan(300_000);
    const exploded = await failure(bombFile, 'ds.xlsx');
    expect(exploded).toMatchObject({ code: 'IMPORT_FILE_UNREADABLE' });
    expect(exploded.message).toMatch(/more than/);
    expect(await failure(Buffer.from('Chủ hộ;Số CCCD\n'), 'ds.csv')).toMatchObject({
      code: 'IMPORT_EMPTY',
    });

    const large = await send(Buffer.alloc(400_000, 65), 'ds.csv');
    expect(large.status).toBe(413);
    expect(large.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', errors: [{ path: 'file' }] });
    const noFile = await manager.raw('/imports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'households' }),
    });
    expect(noFile.status).toBe(400);
    const badKind = await upload(
      manager,
      { kind: 'cattle', cooperativeId: cooperative.id },
      Buffer.from('x'),
      'a.csv',
    );
    expect(badKind.body.errors[0].path).toBe('kind');
    const listed = await manager.get(`/households?cooperativeId=${cooperative.id}`);
    expect(listed.body.total).toBe(0);
  });
});

describe('who may import', () => {
  it('keeps each job to its cooperative, and imports away from other roles', async () => {
    const mine = await cooperativeWithManager();
    const other = await cooperativeWithManager();
    const started = await upload(
      mine.manager,
      { kind: 'households', cooperativeId: mine.cooperative.id },
      Buffer.from(`Chủ hộ;Số CCCD;Ngày vào HTX\nA;${randomIdNumber()};01/01/2020`),
      'a.csv',
    );
    const job = await settled(mine.manager, started.body.id);
    expect((await other.manager.get(`/imports/${job.id}`)).status).toBe(404);
    expect((await other.manager.post(`/imports/${job.id}/commit`, {})).status).toBe(404);
    expect(
      (await other.manager.patch(`/imports/${job.id}`, { mapping: { phone: null } })).status,
    ).toBe(404);
    expect((await other.manager.get(`/imports/${job.id}/errors.xlsx`)).status).toBe(404);
    expect((await other.manager.get('/imports')).body.items.some((j: any) => j.id === job.id)).toBe(
      false,
    );
    const intoOther = await upload(
      mine.manager,
      { kind: 'households', cooperativeId: other.cooperative.id },
      Buffer.from('x'),
      'a.csv',
    );
    expect(intoOther.status).toBe(422);
    expect(intoOther.body.errors[0].path).toBe('cooperativeId');
    const inspector = await api.newUser('inspector');
    expect((await inspector.get(`/imports/${job.id}`)).status).toBe(403);
    const member = await api.newUser('coop_member', { cooperativeId: mine.cooperative.id });
    expect((await member.get(`/imports/${job.id}`)).status).toBe(403);
  });
});
