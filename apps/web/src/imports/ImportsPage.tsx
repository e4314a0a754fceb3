import {
  HouseholdImportField,
  PlotImportField,
  type CooperativeDto,
  type ImportFieldError,
  type ImportJobDetailDto,
  type ImportKind,
  type Page,
  type RowVerdict,
} from '@huuco/domain';
import { useEffect, useState, type DragEvent } from 'react';
import { ApiError, apiDownload, apiGet, apiPatch, apiPost, apiUpload } from '../api';
import { useAuth } from '../auth';
import { errorInWords, lookup, type Translate, useI18n } from '../i18n';
import { ImportMap } from './ImportMap';

const PAGE_SIZE = 50;

/** An error in words: the user's language for what huuco names, the server's detail otherwise. */
function rowError(error: ImportFieldError): string {
  const field = lookup(`import.field.${error.field}`) ?? error.field;
  const specific =
    error.code === 'VALIDATION_FAILED'
      ? lookup(`import.invalid.${error.field}`)
      : lookup(`import.error.${error.code}`);
  return `${field}: ${specific ?? error.message}`;
}

function failureText(t: Translate, error: unknown): string {
  return error instanceof ApiError ? errorInWords(error.body) : t('common.error');
}

/** Households from a sheet, plots from a GIS file: upload, check, correct, preview, commit. */
export function ImportsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [kind, setKind] = useState<ImportKind>('households');
  const [cooperatives, setCooperatives] = useState<CooperativeDto[]>([]);
  const [cooperativeId, setCooperativeId] = useState(user?.cooperativeId ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJobDetailDto | null>(null);
  const [page, setPage] = useState(1);
  const [verdict, setVerdict] = useState<RowVerdict | ''>('');
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [crs, setCrs] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (user?.cooperativeId) return;
    apiGet<Page<CooperativeDto>>('/cooperatives?pageSize=500&sort=name')
      .then((list) => {
        setCooperatives(list.items);
        setCooperativeId((current) => current || list.items[0]?.id || '');
      })
      .catch((error: unknown) => setProblem(failureText(t, error)));
  }, [user?.cooperativeId]);

  // While the file is being checked, its page is read again every half second.
  const query = `?page=${page}&pageSize=${PAGE_SIZE}${verdict ? `&verdict=${verdict}` : ''}`;
  useEffect(() => {
    if (!job) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await apiGet<ImportJobDetailDto>(`/imports/${job.id}${query}`);
        if (stopped) return;
        setJob(next);
        setMapping(next.mapping);
        if (next.status === 'checking') timer = setTimeout(() => void load(), 500);
      } catch (error) {
        if (!stopped) setProblem(failureText(t, error));
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job?.id, job?.status, query]);

  const start = async () => {
    if (!file || !cooperativeId) return;
    setBusy(true);
    setProblem(null);
    try {
      const form = new FormData();
      form.append('kind', kind);
      form.append('cooperativeId', cooperativeId);
      form.append('file', file, file.name);
      setPage(1);
      setVerdict('');
      setJob(await apiUpload<ImportJobDetailDto>('/imports', form));
    } catch (error) {
      setProblem(failureText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const recheck = async () => {
    if (!job) return;
    setProblem(null);
    try {
      setJob(
        await apiPatch<ImportJobDetailDto>(`/imports/${job.id}`, {
          mapping,
          ...(crs.trim() && { crs: crs.trim() }),
        }),
      );
    } catch (error) {
      setProblem(failureText(t, error));
    }
  };

  const commit = async () => {
    if (!job) return;
    setBusy(true);
    setProblem(null);
    try {
      setJob(await apiPost<ImportJobDetailDto>(`/imports/${job.id}/commit`, {}));
    } catch (error) {
      setProblem(failureText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const download = async (path: string, name: string) => {
    try {
      await apiDownload(path, name);
    } catch (error) {
      setProblem(failureText(t, error));
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const dropped = event.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };

  const fields: readonly string[] = job?.kind === 'plots' ? PlotImportField : HouseholdImportField;
  const total = job?.progress.total ?? 0;
  const rows = job?.preview.items ?? [];
  const pages = Math.max(1, Math.ceil((job?.preview.total ?? 0) / PAGE_SIZE));

  return (
    <div className="registry imports">
      <h2>{t('import.title')}</h2>
      <form
        className="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          {t('import.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
            <option value="households">{t('import.kind.households')}</option>
            <option value="plots">{t('import.kind.plots')}</option>
          </select>
        </label>
        {!user?.cooperativeId && (
          <label>
            {t('import.cooperative')}
            <select value={cooperativeId} onChange={(e) => setCooperativeId(e.target.value)}>
              {cooperatives.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <div
          className="drop-zone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={onDrop}
          data-testid="drop-zone"
        >
          <p>
            {file
              ? file.name
              : t(kind === 'plots' ? 'import.drop.plots' : 'import.drop.households')}
          </p>
          <label className="file-button">
            {t('import.choose')}
            <input
              type="file"
              accept={kind === 'plots' ? '.geojson,.json,.kml,.kmz,.zip' : '.xlsx,.csv,text/csv'}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
        </div>
        <div className="actions">
          <button type="submit" disabled={!file || !cooperativeId || busy}>
            {t('import.upload')}
          </button>
          {kind === 'households' && (
            <button
              type="button"
              onClick={() =>
                void download('/imports/templates/households.xlsx', 'mau-ho-thanh-vien.xlsx')
              }
            >
              {t('import.template')}
            </button>
          )}
        </div>
      </form>

      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}

      {job && (
        <section className="import-job" aria-label={t('import.job')}>
          <h3>
            {job.fileName} · {t(`import.status.${job.status}`)}
          </h3>
          {job.status === 'checking' && (
            <progress
              max={total || 1}
              value={job.progress.checked}
              aria-label={t('import.progress')}
            />
          )}
          <dl className="import-facts">
            {job.format && (
              <>
                <dt>{t('import.format')}</dt>
                <dd>{job.format}</dd>
              </>
            )}
            {job.sheet && (
              <>
                <dt>{t('import.sheet')}</dt>
                <dd>{job.sheet}</dd>
              </>
            )}
            {job.headerRow !== null && (
              <>
                <dt>{t('import.headerRow')}</dt>
                <dd>{job.headerRow}</dd>
              </>
            )}
            {job.kind === 'plots' && (
              <>
                <dt>{t('import.crs')}</dt>
                <dd>{job.crs ?? '—'}</dd>
              </>
            )}
          </dl>
          {job.failure && (
            <p className="error" role="alert">
              {errorInWords(job.failure)}
            </p>
          )}

          {job.status !== 'committed' && job.columns.length > 0 && (
            <fieldset className="import-mapping">
              <legend>{t('import.mapping')}</legend>
              {fields.map((field) => (
                <label key={field}>
                  {lookup(`import.field.${field}`) ?? field}
                  <select
                    value={mapping[field] ?? ''}
                    onChange={(e) => setMapping({ ...mapping, [field]: e.target.value || null })}
                  >
                    <option value="">{t('import.notInFile')}</option>
                    {job.columns.map((column) => (
                      <option key={column} value={column}>
                        {column}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
              {job.kind === 'plots' && (
                <label>
                  {t('import.crs')}
                  <input
                    value={crs}
                    placeholder="EPSG:9209"
                    onChange={(e) => setCrs(e.target.value)}
                  />
                </label>
              )}
              <button
                type="button"
                disabled={job.status === 'checking'}
                onClick={() => void recheck()}
              >
                {t('import.recheck')}
              </button>
            </fieldset>
          )}

          {job.status !== 'checking' && !job.failure && (
            <>
              <p className="import-counts">
                {t('import.counts', {
                  new: job.counts.new ?? 0,
                  update: job.counts.update ?? 0,
                  unchanged: job.counts.unchanged ?? 0,
                  error: job.counts.error ?? 0,
                })}
              </p>
              <div className="actions">
                {(job.counts.error ?? 0) > 0 && (
                  <button
                    type="button"
                    onClick={() => void download(`/imports/${job.id}/errors.xlsx`, `loi-nhap.xlsx`)}
                  >
                    {t('import.errorsSheet')}
                  </button>
                )}
                {job.status === 'ready' && (
                  <button
                    type="button"
                    className="primary"
                    disabled={busy || (job.counts.error ?? 0) > 0}
                    onClick={() => void commit()}
                  >
                    {t('import.commit')}
                  </button>
                )}
                {job.status === 'committed' && <span role="status">{t('import.committed')}</span>}
              </div>
              <label>
                {t('import.show')}
                <select
                  value={verdict}
                  onChange={(e) => {
                    setPage(1);
                    setVerdict(e.target.value as RowVerdict | '');
                  }}
                >
                  <option value="">{t('import.show.all')}</option>
                  <option value="error">{t('import.verdict.error')}</option>
                  <option value="new">{t('import.verdict.new')}</option>
                  <option value="update">{t('import.verdict.update')}</option>
                  <option value="unchanged">{t('import.verdict.unchanged')}</option>
                </select>
              </label>
              {job.kind === 'plots' && <ImportMap rows={rows} />}
              <div className="table-scroll">
                <table className="import-preview">
                  <thead>
                    <tr>
                      <th>{t(job.kind === 'plots' ? 'import.feature' : 'import.row')}</th>
                      <th>{t('import.verdict')}</th>
                      <th>{t('import.values')}</th>
                      <th>{t('import.errors')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.number} className={`verdict-${row.verdict}`}>
                        <td className="num">{row.number}</td>
                        <td>{t(`import.verdict.${row.verdict}`)}</td>
                        <td>
                          {fields
                            .filter((f) => row.values[f] !== null && row.values[f] !== undefined)
                            .map((f) => String(row.values[f]))
                            .join(' · ')}
                          {row.values['idNumberMasked']
                            ? ` · ${String(row.values['idNumberMasked'])}`
                            : ''}
                        </td>
                        <td>
                          {row.errors.map((e, i) => (
                            <div key={i}>{rowError(e)}</div>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {pages > 1 && (
                <div className="pager">
                  <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                    ‹
                  </button>
                  <span>
                    {page} / {pages}
                  </span>
                  <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                    ›
                  </button>
                </div>
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
}
