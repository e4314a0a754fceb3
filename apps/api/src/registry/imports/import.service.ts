import { createHash } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ImportKind,
  type ImportJobDetailDto,
  type ImportJobDto,
  type ImportListQuery,
  type ImportRowDto,
  type ImportRowsQuery,
  type Page,
  type UpdateImportDto,
} from '@huuco/domain';
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { DomainError, fieldError, notFound } from '../../platform/http/domain-error.js';
import { resolveCrs } from './crs.js';
import { HouseholdImport } from './household-import.js';
import { FileRefused, normalizeCounts, type ImportOfKind } from './import-job.js';
import { importRepository, type ImportRow } from './import.repository.js';
import { PlotImport } from './plot-import.js';

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
    private readonly households: HouseholdImport,
    private readonly plots: PlotImport,
    private readonly audit: AuditService,
  ) {}

  private of(job: ImportRow): ImportOfKind {
    return job.kind === 'plots' ? this.plots : this.households;
  }

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
        const fields: readonly string[] = this.of(job).fields;
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
      const applied = await this.of(job).apply(manager, actor, job);
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

  /** The rows in error, with what is wrong with each, to fix and send again. */
  async errorsWorkbook(actor: Actor, id: string): Promise<Buffer> {
    const job = await this.findInScope(this.db.manager, actor, id);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lỗi');
    await this.of(job).errorSheet(
      job,
      await importRepository.errorRows(this.db.manager, id),
      sheet,
    );
    sheet.getRow(1).font = { bold: true };
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  householdTemplate(): Promise<Buffer> {
    return this.households.template();
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
      const counts = await this.of(job).check(job, file);
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

  private async findInScope(
    manager: EntityManager,
    actor: Actor,
    id: string,
    forUpdate = false,
  ): Promise<ImportRow> {
    const job = await importRepository.findFor(manager, actor, id, forUpdate);
    if (!job || !(await cooperativeWritable(manager, actor, job.cooperative_id)))
      throw notFound('Import', id);
    return job;
  }
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
