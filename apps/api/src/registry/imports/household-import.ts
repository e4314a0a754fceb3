import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HOUSEHOLD_TEMPLATE_HEADERS, HouseholdImportField, type RowVerdict } from '@huuco/domain';
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { HouseholdService } from '../households/household.service.js';
import { IdNumberCipher } from '../households/id-number.cipher.js';
import {
  checkHouseholds,
  HOUSEHOLD_HEADER_VARIANTS,
  readHouseholdRows,
  type CheckedHousehold,
} from './household-rows.js';
import {
  countVerdicts,
  describeErrors,
  describeJob,
  FileRefused,
  householdsNamed,
  importChanged,
  normalizeCounts,
  writePreview,
  type ImportOfKind,
} from './import-job.js';
import { importRepository, type CheckedRow, type ImportRow } from './import.repository.js';
import { cellText, findHeader, FileUnreadable, readTable, type Cell } from './table-file.js';

interface ReadHouseholds {
  format: string;
  sheet: string | null;
  headerRow: number;
  header: Cell[];
  columns: string[];
  mapping: Record<string, string | null>;
  rows: Cell[][];
}

/** Households from a cooperative's sheet (XLSX or CSV): registered, or corrected by ID number. */
@Injectable()
export class HouseholdImport implements ImportOfKind {
  readonly fields = HouseholdImportField;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly households: HouseholdService,
    private readonly cipher: IdNumberCipher,
  ) {}

  async check(job: ImportRow, file: Buffer): Promise<Record<RowVerdict, number>> {
    const read = await this.read(job, file);
    const checked = await this.checkRows(this.db.manager, job, read);
    await describeJob(this.db, job.id, {
      format: read.format,
      sheet: read.sheet,
      headerRow: read.headerRow,
      mapping: read.mapping,
      columns: read.columns,
      crs: null,
      total: checked.length,
    });
    await writePreview(
      this.db,
      job.id,
      checked.map((row) => ({ ...row, geometry: null })),
    );
    return countVerdicts(checked);
  }

  /** The file checked again inside the commit (ID numbers are kept only in the file), then written. */
  async apply(
    manager: EntityManager,
    actor: Actor,
    job: ImportRow,
  ): Promise<{ created: number; revised: number }> {
    const file = (await importRepository.file(manager, job.id))!;
    const checked = await this.checkRows(manager, job, await this.read(job, file));
    if (JSON.stringify(countVerdicts(checked)) !== JSON.stringify(normalizeCounts(job.counts)))
      throw importChanged();
    let created = 0;
    let revised = 0;
    for (const row of checked) {
      if (row.plan?.kind === 'register') {
        const c = row.plan.candidate;
        await this.households.register(manager, actor, {
          ...(c.code && { code: c.code }),
          headName: c.headName,
          idNumber: c.idNumber,
          phone: c.phone,
          village: c.village,
          communeId: row.plan.communeId,
          cooperativeId: job.cooperative_id,
          joinedOn: row.plan.joinedOn,
          consentPublicDisplay: false,
        });
        created++;
      } else if (row.plan?.kind === 'correct') {
        await this.households.correct(manager, actor, row.plan.householdId, row.plan.changes);
        revised++;
      }
    }
    return { created, revised };
  }

  /** The rows in error with their cells as sent, under the file's own headers, to fix and re-send. */
  async errorSheet(job: ImportRow, errors: CheckedRow[], sheet: ExcelJS.Worksheet): Promise<void> {
    const file = await importRepository.file(this.db.manager, job.id);
    const read = file && job.header_row ? await this.read(job, file).catch(() => null) : null;
    const header = read ? read.header.map((c) => cellText(c)) : ['Dòng'];
    sheet.addRow([...header, 'Lỗi']);
    for (const row of errors) {
      const cells = read ? (read.rows[row.number - 1] ?? []).map(asCellValue) : [row.number];
      sheet.addRow([
        ...cells,
        ...Array(Math.max(0, header.length - cells.length)).fill(null),
        describeErrors(row.errors),
      ]);
    }
  }

  /** The workbook to fill in: the headers the import expects, ID numbers and dates as text. */
  async template(): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Hộ thành viên');
    sheet.addRow(['Danh sách hộ thành viên hợp tác xã']);
    sheet.addRow(HouseholdImportField.map((f) => HOUSEHOLD_TEMPLATE_HEADERS[f]));
    sheet.getRow(1).font = { bold: true, size: 14 };
    sheet.getRow(2).font = { bold: true };
    HouseholdImportField.forEach((field, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = field === 'headName' ? 28 : 16;
      // Text, so Excel keeps an ID number's leading zeros and writes dates as typed.
      if (field === 'idNumber' || field === 'phone' || field === 'joinedOn' || field === 'code')
        column.numFmt = '@';
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  private async read(job: ImportRow, file: Buffer): Promise<ReadHouseholds> {
    let table;
    try {
      table = await readTable(file, job.file_name);
    } catch (error) {
      if (error instanceof FileUnreadable)
        throw new FileRefused('IMPORT_FILE_UNREADABLE', error.message);
      throw error;
    }
    for (const sheet of table.sheets) {
      const header = findHeader(sheet.rows, HOUSEHOLD_HEADER_VARIANTS);
      if (!header) continue;
      // A mapping the user corrected wins over the one guessed, field by field.
      const mapping = { ...header.mapping, ...(job.header_row ? job.mapping : {}) };
      return {
        format: table.format,
        sheet: sheet.name,
        headerRow: header.row,
        header: sheet.rows[header.row - 1] ?? [],
        columns: header.columns,
        mapping,
        rows: sheet.rows,
      };
    }
    throw new FileRefused(
      'IMPORT_NO_HEADER',
      `No row in the first 30 names the columns (e.g. "${HOUSEHOLD_TEMPLATE_HEADERS.headName}", "${HOUSEHOLD_TEMPLATE_HEADERS.idNumber}"): download the template.`,
    );
  }

  private async checkRows(
    manager: EntityManager,
    job: ImportRow,
    read: ReadHouseholds,
  ): Promise<CheckedHousehold[]> {
    const candidates = readHouseholdRows(read.rows, read.headerRow, read.header, read.mapping);
    const registry = await householdsNamed(manager, this.cipher, job.cooperative_id, {
      idNumbers: candidates.map((c) => c.idNumber),
      codes: candidates.flatMap((c) => (c.code ? [c.code] : [])),
    });
    const { own, communes } = await importRepository.communesOf(manager, job.cooperative_id);
    return checkHouseholds(candidates, {
      cooperativeId: job.cooperative_id,
      defaultCommuneId: own,
      communes,
      ...registry,
    });
  }
}

function asCellValue(cell: Cell): ExcelJS.CellValue {
  return cell instanceof Date ? cellText(cell) : cell;
}
