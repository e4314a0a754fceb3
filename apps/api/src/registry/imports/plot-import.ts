import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PlotImportField, type FarmingSystem, type RowVerdict } from '@huuco/domain';
import type ExcelJS from 'exceljs';
import type { Polygon } from 'geojson';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { DomainError } from '../../platform/http/domain-error.js';
import { IdNumberCipher } from '../households/id-number.cipher.js';
import { PlotService } from '../plots/plot.service.js';
import { resolveCrs } from './crs.js';
import {
  countVerdicts,
  describeErrors,
  describeJob,
  FileRefused,
  householdsNamed,
  importChanged,
  writePreview,
  type ImportOfKind,
} from './import-job.js';
import { importRepository, type CheckedRow, type ImportRow } from './import.repository.js';
import { CrsProblem, readPlotFile, type FileFeature } from './plot-file.js';
import {
  guessPlotMapping,
  isIdNumber,
  PlotFileChecker,
  propertyNames,
  type CheckedPlot,
} from './plot-rows.js';
import { FileUnreadable } from './table-file.js';

/** Features checked together: their lookups share queries, their memory is released after. */
const PLOT_CHUNK = 2_000;
/** Planned plots written together in the commit's transaction. */
const PLOTS_PER_WRITE = 5_000;

/** Plots from a GIS file (GeoJSON, KML, KMZ, zipped Shapefile): new ones, or new revisions by code. */
@Injectable()
export class PlotImport implements ImportOfKind {
  readonly fields = PlotImportField;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plots: PlotService,
    private readonly cipher: IdNumberCipher,
  ) {}

  /**
   * Reads the file and checks it a chunk of features at a time, writing each chunk's preview
   * as it goes. What it found (format, properties, CRS) is recorded before a missing CRS stops
   * it, so the user sees what to correct.
   */
  async check(job: ImportRow, file: Buffer): Promise<Record<RowVerdict, number>> {
    let read;
    try {
      read = await readPlotFile(file, job.file_name);
    } catch (error) {
      throw refusal(error);
    }
    const chunks = inChunks(read.features, PLOT_CHUNK);
    const next = async () => {
      try {
        return (await chunks.next()).value ?? [];
      } catch (error) {
        throw refusal(error);
      }
    };
    const first = await next();
    const columns = propertyNames(first);
    const mapping = { ...guessPlotMapping(columns), ...(job.format ? job.mapping : {}) };
    const crs = job.crs_given ? resolveCrs(job.crs_given) : read.crs;
    await describeJob(this.db, job.id, {
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
    for (let chunk = first; chunk.length; chunk = await next()) {
      const checked = await this.checkChunk(job, checker, mapping, chunk);
      await writePreview(this.db, job.id, checked);
      for (const row of checked) counts[row.verdict]++;
    }
    return counts;
  }

  /**
   * The plots to write, as the check left them in the preview. Creating and revising them runs
   * every rule-1 check again in this transaction; a plot the registry took meanwhile refuses
   * the whole commit.
   */
  async apply(
    manager: EntityManager,
    actor: Actor,
    job: ImportRow,
  ): Promise<{ created: number; revised: number }> {
    const total = { created: 0, revised: 0 };
    for (let after = 0; ;) {
      const rows = await importRepository.rowsToApply(manager, job.id, after, PLOTS_PER_WRITE);
      if (!rows.length) return total;
      after = rows.at(-1)!.number;
      const applied = await this.write(manager, actor, plannedPlots(rows));
      total.created += applied.created;
      total.revised += applied.revised;
    }
  }

  async errorSheet(_job: ImportRow, errors: CheckedRow[], sheet: ExcelJS.Worksheet): Promise<void> {
    sheet.addRow(['Đối tượng', 'Mã thửa', 'Lỗi']);
    for (const row of errors)
      sheet.addRow([row.number, String(row.values['code'] ?? ''), describeErrors(row.errors)]);
  }

  private async checkChunk(
    job: ImportRow,
    checker: PlotFileChecker,
    mapping: Record<string, string | null>,
    features: FileFeature[],
  ): Promise<CheckedPlot[]> {
    const manager = this.db.manager;
    const property = (f: FileFeature, field: string) =>
      String(f.properties[mapping[field] ?? ''] ?? '').trim();
    const references = features.map((f) => property(f, 'household')).filter(Boolean);
    const households = await householdsNamed(manager, this.cipher, job.cooperative_id, {
      idNumbers: references.filter(isIdNumber),
      codes: [...new Set(references.filter((r) => !isIdNumber(r)))],
    });
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
      // A plot names a household of its own cooperative, by code or by the head's ID number.
      household: (reference) => {
        const found = isIdNumber(reference)
          ? households.byIdNumber(reference)
          : households.byCode(reference);
        return found?.cooperativeId === job.cooperative_id ? found : undefined;
      },
      zone: (code) => zones.get(code),
      plot: (code) => plots.get(code),
    });
  }

  /** New plots in one batch through every rule-1 check again; changed ones as new revisions. */
  private async write(
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
