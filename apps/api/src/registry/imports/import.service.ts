import { createHash } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  HOUSEHOLD_TEMPLATE_HEADERS,
  HouseholdImportField,
  ImportKind,
  PlotImportField,
  type FarmingSystem,
  RowVerdict,
  type ImportJobDetailDto,
  type ImportJobDto,
  type ImportListQuery,
  type ImportRowDto,
  type ImportRowsQuery,
  type Page,
  type UpdateImportDto,
} from '@huuco/domain';
import ExcelJS from 'exceljs';
import type { Polygon } from 'geojson';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { DomainError, fieldError, notFound } from '../../platform/http/domain-error.js';
import { HouseholdService } from '../households/household.service.js';
import { PlotService } from '../plots/plot.service.js';
import { resolveCrs } from './crs.js';
import { CrsProblem, readPlotFile, type FileFeature } from './plot-file.js';
import {
  guessPlotMapping,
  PlotFileChecker,
  isIdNumber,
  propertyNames,
  type CheckedPlot,
} from './plot-rows.js';
import { IdNumberCipher } from '../households/id-number.cipher.js';
import {
  checkHouseholds,
  HOUSEHOLD_HEADER_VARIANTS,
  readHouseholdRows,
  type CheckedHousehold,
  type HouseholdMatch,
} from './household-rows.js';
import { importRepository, type CheckedRow, type ImportRow } from './import.repository.js';
import { cellText, findHeader, FileUnreadable, readTable, type Cell } from './table-file.js';

const ROWS_PER_WRITE = 1_000;
/** Features checked together: their lookups share queries, their memory is released after. */
const PLOT_CHUNK = 2_000;
/** Planned plots written together in the commit's transaction. */
const PLOTS_PER_WRITE = 5_000;

/** Why a whole file cannot be taken: the job fails with this, for the user to read. */
class FileRefused extends Error {
  constructor(
    readonly code:
      | 'IMPORT_FILE_UNREADABLE'
      | 'IMPORT_NO_HEADER'
      | 'IMPORT_EMPTY'
      | 'IMPORT_CRS_NEEDED'
      | 'IMPORT_CRS_UNSUPPORTED',
    message: string,
  ) {
    super(message);
  }
}

interface ReadHouseholds {
  format: string;
  sheet: string | null;
  headerRow: number;
  header: Cell[];
  columns: string[];
  mapping: Record<string, string | null>;
  rows: Cell[][];
}

/**
 * Files brought in for a cooperative: received, checked in the background row by row, shown
 * as a preview, then committed all or nothing. A commit re-checks against the registry as it
 * is then, so a preview that went stale is never applied.
 */
@Injectable()
export class ImportService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Imports');
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly households: HouseholdService,
    private readonly plots: PlotService,
    private readonly cipher: IdNumberCipher,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const id of await importRepository.unfinished(this.db.manager)) this.schedule(id);
  }

  async start(
    actor: Actor,
    upload: { kind: string; cooperativeId: string; fileName: string; file: Buffer },
  ): Promise<ImportJobDto> {
    if (!(ImportKind as readonly string[]).includes(upload.kind))
      throw fieldError('VALIDATION_FAILED', 'kind', `One of ${ImportKind.join(', ')}.`);
    if (!(await cooperativeWritable(this.db.manager, actor, upload.cooperativeId)))
      throw fieldError('REFERENCE_NOT_FOUND', 'cooperativeId', 'No cooperative with this id.');
    const id = await this.db.transaction(async (manager) => {
      const jobId = await importRepository.insert(manager, {
        kind: upload.kind as ImportKind,
        cooperativeId: upload.cooperativeId,
        createdBy: actor.id,
        fileName: upload.fileName,
        sha256: createHash('sha256').update(upload.file).digest('hex'),
        file: upload.file,
      });
      await this.audit.record(manager, actor, {
        action: 'import.start',
        entity: 'import',
        entityId: jobId,
        details: { kind: upload.kind, fileName: upload.fileName, bytes: upload.file.length },
      });
      return jobId;
    });
    this.schedule(id);
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<ImportJobDto> {
    return toDto(await this.findInScope(this.db.manager, actor, id));
  }

  async list(actor: Actor, query: ImportListQuery): Promise<Page<ImportJobDto>> {
    const { rows, total } = await importRepository.page(this.db.manager, actor, query);
    return { items: rows.map(toDto), page: query.page, pageSize: query.pageSize, total };
  }

  /** The job, and one page of its preview. */
  async detail(actor: Actor, id: string, query: ImportRowsQuery): Promise<ImportJobDetailDto> {
    const job = await this.findInScope(this.db.manager, actor, id);
    const { rows, total } = await importRepository.rows(this.db.manager, id, query);
    const items = rows.map((r) => ({ ...r, geometry: r.geometry ?? null }) as ImportRowDto);
    return {
      ...toDto(job),
      preview: { items, page: query.page, pageSize: query.pageSize, total },
    };
  }

  /** The user corrected the mapping (or a plot file's CRS): the file is checked again. */
  async update(actor: Actor, id: string, dto: UpdateImportDto): Promise<ImportJobDto> {
    await this.db.transaction(async (manager) => {
      const job = await this.findInScope(manager, actor, id, true);
      if (job.status === 'committed' || job.status === 'checking')
        throw fieldError('IMPORT_NOT_READY', 'status', `The import is ${job.status}.`);
      if (dto.mapping) {
        const fields: readonly string[] =
          job.kind === 'plots' ? PlotImportField : HouseholdImportField;
        const unknown = Object.keys(dto.mapping).find((f) => !fields.includes(f));
        if (unknown)
          throw fieldError('VALIDATION_FAILED', `mapping.${unknown}`, 'Not a field of the import.');
        const column = Object.entries(dto.mapping).find(
          ([, header]) => header !== null && !job.columns.includes(header),
        );
        if (column)
          throw fieldError(
            'VALIDATION_FAILED',
            `mapping.${column[0]}`,
            'The file has no column with this header.',
          );
      }
      if (dto.crs !== undefined && (job.kind !== 'plots' || !resolveCrs(dto.crs)))
        throw fieldError(
          'IMPORT_CRS_UNSUPPORTED',
          'crs',
          'Name a CRS huuco can place: EPSG:9209 (VN-2000 / TM-3 105°30′), "VN-2000 TM-3 105.5", EPSG:4326, EPSG:32648…',
        );
      await importRepository.restart(manager, id, {
        ...(dto.mapping && { mapping: { ...job.mapping, ...dto.mapping } }),
        ...(dto.crs && { crs: dto.crs }),
      });
    });
    this.schedule(id);
    return this.get(actor, id);
  }

  /** Applies every row, all or nothing. A committed job answers as it is: a second commit does nothing. */
  async commit(actor: Actor, id: string): Promise<ImportJobDto> {
    await this.db.transaction(async (manager) => {
      const job = await this.findInScope(manager, actor, id, true);
      if (job.status === 'committed') return;
      if (job.status !== 'ready')
        throw fieldError('IMPORT_NOT_READY', 'status', `The import is ${job.status}.`);
      const errors = job.counts.error ?? 0;
      if (errors > 0)
        throw new DomainError(
          'IMPORT_HAS_ERRORS',
          `${errors} rows have errors: fix them in the file and send it again.`,
          [{ path: 'rows', code: 'IMPORT_HAS_ERRORS', message: `${errors} rows have errors.` }],
        );
      // The registry as it is now, inside this transaction: a stale preview is not applied.
      await manager.query('SELECT id FROM cooperatives WHERE id = $1 FOR UPDATE', [
        job.cooperative_id,
      ]);
      const applied =
        job.kind === 'plots'
          ? await this.applyPlotRows(manager, actor, id)
          : await this.applyHouseholds(
              manager,
              actor,
              job,
              await this.recheckHouseholds(manager, job),
            );
      await importRepository.markCommitted(manager, id);
      await this.audit.record(manager, actor, {
        action: 'import.commit',
        entity: 'import',
        entityId: id,
        details: { kind: job.kind, ...applied },
      });
    });
    return this.get(actor, id);
  }

  /** The households file checked again inside the commit: ID numbers are kept only in the file. */
  private async recheckHouseholds(
    manager: EntityManager,
    job: ImportRow,
  ): Promise<CheckedHousehold[]> {
    const file = (await importRepository.file(manager, job.id))!;
    const checked = await this.checkHouseholds(manager, job, await this.readHouseholds(job, file));
    if (JSON.stringify(countVerdicts(checked)) !== JSON.stringify(normalizeCounts(job.counts)))
      throw importChanged();
    return checked;
  }

  /**
   * The plots to write, as the check left them in the preview. Creating and revising them runs
   * every rule-1 check again in this transaction; a plot the registry took meanwhile refuses
   * the whole commit.
   */
  private async applyPlotRows(
    manager: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<{ created: number; revised: number }> {
    const total = { created: 0, revised: 0 };
    for (let after = 0; ;) {
      const rows = await importRepository.rowsToApply(manager, id, after, PLOTS_PER_WRITE);
      if (!rows.length) return total;
      after = rows.at(-1)!.number;
      const applied = await this.applyPlots(manager, actor, plannedPlots(rows));
      total.created += applied.created;
      total.revised += applied.revised;
    }
  }

  private async applyHouseholds(
    manager: EntityManager,
    actor: Actor,
    job: ImportRow,
    checked: CheckedHousehold[],
  ): Promise<{ created: number; revised: number }> {
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

  /** New plots in one batch through every rule-1 check again; changed ones as new revisions. */
  private async applyPlots(
    manager: EntityManager,
    actor: Actor,
    checked: CheckedPlot[],
  ): Promise<{ created: number; revised: number }> {
    const creates = checked.flatMap((r) => (r.plan?.kind === 'create' ? [r.plan.plot] : []));
    let revised = 0;
    try {
      if (creates.length) await this.plots.importIn(manager, actor, { plots: creates });
      for (const row of checked)
        if (row.plan?.kind === 'revise') {
          await this.plots.revise(manager, actor, row.plan.plotId, row.plan.changes);
          revised++;
        }
    } catch (error) {
      // The registry moved since the check (a code taken, a plot retired, land now drawn).
      if (error instanceof DomainError && error.code !== 'INTERNAL_ERROR')
        throw importChanged(error);
      throw error;
    }
    return { created: creates.length, revised };
  }

  /** The rows in error, with their cells as sent and what is wrong, to fix and send again. */
  async errorsWorkbook(actor: Actor, id: string): Promise<Buffer> {
    const job = await this.findInScope(this.db.manager, actor, id);
    const errors = await importRepository.errorRows(this.db.manager, id);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lỗi');
    if (job.kind === 'plots') {
      sheet.addRow(['Đối tượng', 'Mã thửa', 'Lỗi']);
      for (const row of errors)
        sheet.addRow([row.number, String(row.values['code'] ?? ''), describeErrors(row.errors)]);
      sheet.getRow(1).font = { bold: true };
      return Buffer.from(await workbook.xlsx.writeBuffer());
    }
    const file = await importRepository.file(this.db.manager, id);
    const read =
      file && job.header_row ? await this.readHouseholds(job, file).catch(() => null) : null;
    const header = read ? read.header.map((c) => cellText(c)) : ['Dòng'];
    sheet.addRow([...header, 'Lỗi']);
    for (const row of errors) {
      const cells = read ? (read.rows[row.number - 1] ?? []).map(asCellValue) : [row.number];
      const described = describeErrors(row.errors);
      sheet.addRow([
        ...cells,
        ...Array(Math.max(0, header.length - cells.length)).fill(null),
        described,
      ]);
    }
    sheet.getRow(1).font = { bold: true };
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  /** The workbook to fill in: the headers the import expects, ID numbers and dates as text. */
  async householdTemplate(): Promise<Buffer> {
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

  private schedule(id: string): void {
    if (this.running.has(id)) return;
    const run = new Promise<void>((done) => setImmediate(done))
      .then(() => this.check(id))
      .catch((error: Error) => this.logger.error(`import ${id}: ${error.message}`))
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  /** A check under way finishes before the database closes; one cut short resumes at start. */
  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  /** Resolves once every check under way has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.running.values());
  }

  private async check(id: string): Promise<void> {
    const job = await importRepository.find(this.db.manager, id);
    if (!job || job.status !== 'checking') return;
    const file = await importRepository.file(this.db.manager, id);
    try {
      if (!file) throw new FileRefused('IMPORT_FILE_UNREADABLE', 'The file is no longer kept.');
      const counts =
        job.kind === 'plots'
          ? await this.checkPlotFile(job, file)
          : await this.checkHouseholdFile(job, file);
      if (Object.values(counts).every((n) => n === 0))
        throw new FileRefused('IMPORT_EMPTY', 'The file has no rows or features to import.');
      await importRepository.finish(this.db.manager, id, { counts });
    } catch (error) {
      if (!(error instanceof FileRefused)) throw error;
      await importRepository.finish(this.db.manager, id, {
        failure: { code: error.code, message: error.message },
      });
    }
  }

  private async writeRows(id: string, rows: CheckedRow[]): Promise<void> {
    for (let at = 0; at < rows.length; at += ROWS_PER_WRITE)
      await this.db.transaction((manager) =>
        importRepository.insertRows(manager, id, rows.slice(at, at + ROWS_PER_WRITE)),
      );
  }

  private async checkHouseholdFile(
    job: ImportRow,
    file: Buffer,
  ): Promise<Record<RowVerdict, number>> {
    const read = await this.readHouseholds(job, file);
    const checked = await this.checkHouseholds(this.db.manager, job, read);
    await this.describe(job.id, {
      format: read.format,
      sheet: read.sheet,
      headerRow: read.headerRow,
      mapping: read.mapping,
      columns: read.columns,
      crs: null,
      total: checked.length,
    });
    await this.writeRows(
      job.id,
      checked.map((row) => ({ ...row, geometry: null })),
    );
    return countVerdicts(checked);
  }

  /**
   * Reads a plot file and checks it a chunk of features at a time, writing each chunk's preview
   * as it goes. What it found (format, properties, CRS) is recorded before a missing CRS stops
   * it, so the user sees what to correct.
   */
  private async checkPlotFile(job: ImportRow, file: Buffer): Promise<Record<RowVerdict, number>> {
    let read;
    try {
      read = await readPlotFile(file, job.file_name);
    } catch (error) {
      throw refusal(error);
    }
    const chunks = inChunks(read.features, PLOT_CHUNK);
    let first: FileFeature[];
    try {
      first = (await chunks.next()).value ?? [];
    } catch (error) {
      throw refusal(error);
    }
    const columns = propertyNames(first);
    const mapping = { ...guessPlotMapping(columns), ...(job.format ? job.mapping : {}) };
    const crs = job.crs_given ? resolveCrs(job.crs_given) : read.crs;
    await this.describe(job.id, {
      format: read.format,
      sheet: null,
      headerRow: null,
      mapping,
      columns,
      crs: crs?.name ?? null,
      total: read.total ?? first.length,
      read: first.length,
    });
    if (!crs)
      throw new FileRefused(
        'IMPORT_CRS_NEEDED',
        'The shapefile has no .prj: say which coordinate system it is in (for example EPSG:9209, VN-2000 / TM-3 105°30′) and check it again.',
      );
    const checker = new PlotFileChecker(crs, mapping);
    const counts = countVerdicts([]);
    let chunk = first;
    while (chunk.length) {
      const checked = await this.checkPlotChunk(job, checker, mapping, chunk);
      await this.writeRows(job.id, checked);
      for (const row of checked) counts[row.verdict]++;
      try {
        chunk = (await chunks.next()).value ?? [];
      } catch (error) {
        throw refusal(error);
      }
    }
    return counts;
  }

  private async checkPlotChunk(
    job: ImportRow,
    checker: PlotFileChecker,
    mapping: Record<string, string | null>,
    features: FileFeature[],
  ): Promise<CheckedPlot[]> {
    const manager = this.db.manager;
    const households = await this.householdLookup(manager, job, features, mapping);
    const property = (f: FileFeature, field: string) =>
      String(f.properties[mapping[field] ?? ''] ?? '').trim();
    const codes = features.map((f) => property(f, 'code').toUpperCase()).filter(Boolean);
    const plots = new Map(
      (await importRepository.plotsByCode(manager, codes)).map((p) => [p.code, p]),
    );
    const zoneCodes = features.map((f) => property(f, 'zone')).filter(Boolean);
    const zones = new Map(
      (await importRepository.zonesByCode(manager, zoneCodes)).map((z) => [z.code, z]),
    );
    return checker.check(manager, features, {
      cooperativeId: job.cooperative_id,
      household: households,
      zone: (code) => zones.get(code),
      plot: (code) => plots.get(code),
    });
  }

  /** This cooperative's households that a plot file names, by code or by ID number. */
  private async householdLookup(
    manager: EntityManager,
    job: ImportRow,
    features: { properties: Record<string, unknown> }[],
    mapping: Record<string, string | null>,
  ): Promise<(reference: string) => { id: string } | undefined> {
    const references = [
      ...new Set(
        features.map((f) => String(f.properties[mapping['household'] ?? ''] ?? '').trim()),
      ),
    ].filter(Boolean);
    const byCode = new Map(
      (
        await importRepository.householdsByCode(
          manager,
          job.cooperative_id,
          references.filter((r) => !isIdNumber(r)),
        )
      ).map((h) => [h.code, h]),
    );
    const hashes = new Map(
      references.filter(isIdNumber).map((r) => [r, this.cipher.allHashes(r)] as const),
    );
    const byHash = new Map(
      (await importRepository.householdsByIdHash(manager, [...hashes.values()].flat()))
        .filter((h) => h.cooperativeId === job.cooperative_id)
        .map((h) => [h.idNumberHash.trim(), h]),
    );
    return (reference) =>
      isIdNumber(reference)
        ? (hashes.get(reference) ?? []).map((h) => byHash.get(h)).find(Boolean)
        : byCode.get(reference);
  }

  private async describe(
    id: string,
    found: Parameters<typeof importRepository.describe>[2],
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await importRepository.clearRows(manager, id);
      await importRepository.describe(manager, id, found);
    });
  }

  private async readHouseholds(job: ImportRow, file: Buffer): Promise<ReadHouseholds> {
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

  private async checkHouseholds(
    manager: EntityManager,
    job: ImportRow,
    read: ReadHouseholds,
  ): Promise<CheckedHousehold[]> {
    const candidates = readHouseholdRows(read.rows, read.headerRow, read.header, read.mapping);
    const hashesOf = new Map(
      candidates.map((c) => [c.idNumber, safeHashes(this.cipher, c.idNumber)]),
    );
    const byHash = new Map<string, HouseholdMatch>();
    for (const match of await importRepository.householdsByIdHash(manager, [
      ...new Set([...hashesOf.values()].flat()),
    ]))
      byHash.set(match.idNumberHash.trim(), match);
    const byCode = new Map(
      (
        await importRepository.householdsByCode(
          manager,
          job.cooperative_id,
          candidates.flatMap((c) => (c.code ? [c.code] : [])),
        )
      ).map((h) => [h.code, h]),
    );
    const { own, communes } = await importRepository.communesOf(manager, job.cooperative_id);
    return checkHouseholds(candidates, {
      cooperativeId: job.cooperative_id,
      defaultCommuneId: own,
      communes,
      byIdNumber: (idNumber) =>
        (hashesOf.get(idNumber) ?? []).map((h) => byHash.get(h)).find(Boolean),
      byCode: (code) => byCode.get(code),
    });
  }

  private async findInScope(
    manager: EntityManager,
    actor: Actor,
    id: string,
    forUpdate = false,
  ): Promise<ImportRow> {
    const job = await importRepository.find(manager, id, forUpdate);
    if (!job || !(await cooperativeWritable(manager, actor, job.cooperative_id)))
      throw notFound('Import', id);
    return job;
  }
}

function safeHashes(cipher: IdNumberCipher, idNumber: string): string[] {
  return /^\d{12}$/.test(idNumber) ? cipher.allHashes(idNumber) : [];
}

function countVerdicts(rows: { verdict: RowVerdict }[]): Record<RowVerdict, number> {
  const counts = normalizeCounts({});
  for (const row of rows) counts[row.verdict]++;
  return counts;
}

function normalizeCounts(counts: Partial<Record<RowVerdict, number>>): Record<RowVerdict, number> {
  return Object.fromEntries(RowVerdict.map((v) => [v, counts[v] ?? 0])) as Record<
    RowVerdict,
    number
  >;
}

/** The plots to write, as the check left them in the preview. */
function plannedPlots(rows: CheckedRow[]): CheckedPlot[] {
  return rows.map((row) => {
    const v = row.values;
    const geometry = row.geometry as Polygon;
    const plot = {
      code: v['code'] as string,
      householdId: v['householdId'] as string,
      zoneId: (v['zoneId'] as string | null) ?? null,
      geometry,
      declaredAreaM2: (v['declaredAreaM2'] as number | null) ?? null,
      farmingSystem: v['farmingSystem'] as FarmingSystem,
      conversionStartedOn: (v['conversionStartedOn'] as string | null) ?? null,
    };
    if (row.verdict === 'new')
      return { ...row, geometry, plan: { kind: 'create', plot } } as CheckedPlot;
    const { code: _code, householdId: _household, ...editable } = plot;
    const changes = Object.fromEntries(
      (v['changes'] as string[]).map((field) => [field, editable[field as keyof typeof editable]]),
    );
    return {
      ...row,
      geometry,
      plan: { kind: 'revise', plotId: v['plotId'] as string, changes },
    } as CheckedPlot;
  });
}

/** A file's own fault, as the job's failure. */
function refusal(error: unknown): unknown {
  if (error instanceof FileUnreadable)
    return new FileRefused('IMPORT_FILE_UNREADABLE', error.message);
  if (error instanceof CrsProblem) return new FileRefused(error.code, error.message);
  return error;
}

/** Groups of up to `size` from an async sequence. */
async function* inChunks<T>(
  items: AsyncIterable<T>,
  size: number,
): AsyncGenerator<T[], T[] | undefined> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
  return undefined;
}

function importChanged(cause?: DomainError): DomainError {
  return new DomainError(
    'IMPORT_CHANGED',
    'The registry changed since this file was checked: check it again before committing.',
    [
      { path: 'rows', code: 'IMPORT_CHANGED', message: 'Check the file again.' },
      ...(cause?.errors ?? []).slice(0, 20),
    ],
  );
}

function describeErrors(errors: unknown[]): string {
  return (errors as { field: string; message: string }[])
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
}

function asCellValue(cell: Cell): ExcelJS.CellValue {
  return cell instanceof Date ? cellText(cell) : cell;
}

function toDto(row: ImportRow): ImportJobDto {
  return {
    id: row.id,
    kind: row.kind,
    cooperativeId: row.cooperative_id,
    status: row.status,
    fileName: row.file_name,
    format: row.format,
    sheet: row.sheet,
    headerRow: row.header_row,
    mapping: row.mapping,
    columns: row.columns,
    crs: row.crs,
    progress: { read: row.rows_read, checked: row.rows_checked, total: row.rows_total },
    counts: normalizeCounts(row.counts),
    failure: row.failure,
    createdAt: row.created_at.toISOString(),
    committedAt: row.committed_at?.toISOString() ?? null,
  };
}
