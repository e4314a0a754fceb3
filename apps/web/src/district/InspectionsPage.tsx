import { PagedTable } from '../PagedTable';
import { useApi } from '../app/query';
import {
  can,
  todayIso,
  type HouseholdDto,
  type InspectionCoverageDto,
  type InspectionDto,
  type Page,
  type PlotDto,
} from '@huuco/domain';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiGet, apiPost } from '../api';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { OutboxPanel } from '../field/OutboxPanel';
import { formatDate, formatNumber } from '../format';
import { PastDateField } from '../fields';
import { useI18n } from '../i18n';
import { traceErrorText } from '../trace/trace-errors';

const YEAR = new Date().getFullYear();

/** ICS / PGS inspections: coverage of households this year, findings, non-compliances to close. */
export function InspectionsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const coverageQuery = useApi<InspectionCoverageDto>(`/inspections/coverage?year=${YEAR}`);
  const coverage = coverageQuery.data ?? null;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const writes = user ? can(user.role, 'inspections.write') : false;
  const navigate = useNavigate();

  const fail = (error: unknown) =>
    setMessage({
      ok: false,
      text: error instanceof ApiError ? traceErrorText(error.body) : t('login.offline'),
    });

  return (
    <div className="registry">
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {coverage && (
        <section>
          <h2>{t('inspection.coverage', { year: YEAR })}</h2>
          <p className="card-figure">
            <strong>
              {coverage.share === null ? '—' : `${formatNumber(coverage.share * 100, locale, 1)} %`}
            </strong>{' '}
            {t('inspection.coverageText', {
              inspected: coverage.inspected,
              households: coverage.households,
            })}
          </p>
        </section>
      )}
      {writes && (
        <InspectionForm
          onDone={() => {
            setMessage({ ok: true, text: t('inspection.recorded') });
          }}
          onError={fail}
        />
      )}
      {writes && (
        <OutboxPanel
          kind="inspection"
          onEdit={(item) => void navigate(item.path.replace(/\/record$/, ''))}
        />
      )}
      <PagedTable<InspectionDto>
        title={t('nav.inspections')}
        path="/inspections"
        search
        sorts={[
          { value: 'date', label: t('inspection.date') },
          { value: 'household', label: t('inspection.household') },
          { value: 'kind', label: t('inspection.kind') },
        ]}
        defaultOrder="desc"
        rowLink={(i) => `/inspections/${i.id}`}
        exportName="inspections"
        columns={[
          {
            header: t('inspection.date'),
            cell: (i) => (
              <>
                {formatDate(i.inspectedOn ?? i.plannedOn)}
                {!i.inspectedOn && ` (${t('inspection.planned')})`}
              </>
            ),
          },
          { header: t('inspection.kind'), cell: (i) => i.kind },
          {
            header: t('inspection.subject'),
            cell: (i) => [i.householdName, i.plotCode].filter(Boolean).join(' · '),
          },
          { header: t('inspection.findings'), optional: true, cell: (i) => i.findings ?? '—' },
          {
            header: t('inspection.nonCompliances'),
            cell: (i) =>
              i.nonCompliances.map((n) => (
                <div
                  key={n.id}
                  className={n.severity === 'major' && !n.closedOn ? 'nc-open' : undefined}
                >
                  {t(`severity.${n.severity}`)} · {n.plotCode} · {n.description}
                  {n.closedOn
                    ? ` · ${t('inspection.closedOn', { date: formatDate(n.closedOn) })}`
                    : ` · ${t('inspection.deadline', { date: formatDate(n.deadline) })}${n.overdue ? ` (${t('inspection.overdue')})` : ''}`}
                </div>
              )),
          },
        ]}
      />
    </div>
  );
}

function InspectionForm({
  onDone,
  onError,
}: {
  onDone: () => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [households, setHouseholds] = useState<HouseholdDto[]>([]);
  const [household, setHousehold] = useState<HouseholdDto | null>(null);
  const [plots, setPlots] = useState<PlotDto[]>([]);
  const [kind, setKind] = useState<'ICS' | 'PGS'>('ICS');
  const [inspectedOn, setInspectedOn] = useState(todayIso());
  const [findings, setFindings] = useState('');
  const [ncPlot, setNcPlot] = useState('');
  const [severity, setSeverity] = useState<'minor' | 'major'>('minor');
  const [description, setDescription] = useState('');
  const [deadline, setDeadline] = useState(todayIso());

  useEffect(() => {
    if (query.trim().length < 2) return setHouseholds([]);
    void apiGet<Page<HouseholdDto>>(
      `/households?q=${encodeURIComponent(query.trim())}&pageSize=8`,
    ).then((p) => setHouseholds(p.items));
  }, [query]);
  useEffect(() => {
    if (!household) return setPlots([]);
    void apiGet<Page<PlotDto>>(`/plots?householdId=${household.id}&pageSize=100`).then((p) =>
      setPlots(p.items),
    );
  }, [household]);

  const [planOnly, setPlanOnly] = useState(false);
  const [plannedOn, setPlannedOn] = useState(todayIso());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!household) return;
    try {
      await apiPost(
        '/inspections',
        planOnly
          ? { kind, householdId: household.id, plannedOn }
          : {
              kind,
              householdId: household.id,
              plannedOn: inspectedOn,
              inspectedOn,
              findings,
              nonCompliances: ncPlot
                ? [{ plotId: ncPlot, severity, description, deadline, sanction: null }]
                : [],
            },
      );
      setFindings('');
      setNcPlot('');
      setDescription('');
      onDone();
    } catch (error) {
      onError(error);
    }
  };

  return (
    <form className="trace-form wide" onSubmit={(e) => void submit(e)}>
      <h2>{t('inspection.new')}</h2>
      <label>
        {t('inspection.household')}
        <input
          value={household ? household.headName : query}
          onChange={(e) => {
            setHousehold(null);
            setQuery(e.target.value);
          }}
          placeholder={t('search.placeholder')}
        />
      </label>
      {!household && households.length > 0 && (
        <ul className="picker" role="listbox">
          {households.map((h) => (
            <li key={h.id}>
              <button
                type="button"
                role="option"
                aria-selected={false}
                onClick={() => setHousehold(h)}
              >
                {h.headName} · {h.village ?? ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label>
        {t('inspection.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as 'ICS' | 'PGS')}>
          <option value="ICS">ICS</option>
          <option value="PGS">PGS</option>
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" checked={planOnly} onChange={(e) => setPlanOnly(e.target.checked)} />
        {t('inspection.planOnly')}
      </label>
      {planOnly ? (
        <label>
          {t('inspection.plannedOn')}
          <input
            type="date"
            value={plannedOn}
            min={todayIso()}
            onChange={(e) => setPlannedOn(e.target.value)}
            required
          />
        </label>
      ) : (
        <>
          <PastDateField
            label={t('inspection.date')}
            value={inspectedOn}
            onChange={setInspectedOn}
          />
          <label>
            {t('inspection.findings')}
            <textarea
              value={findings}
              onChange={(e) => setFindings(e.target.value)}
              required
              minLength={2}
            />
          </label>
          <label>
            {t('inspection.ncPlot')}
            <select value={ncPlot} onChange={(e) => setNcPlot(e.target.value)}>
              <option value="">{t('inspection.noNc')}</option>
              {plots.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.code}
                </option>
              ))}
            </select>
          </label>
          {ncPlot && (
            <>
              <label>
                {t('inspection.severity')}
                <select
                  value={severity}
                  onChange={(e) => setSeverity(e.target.value as 'minor' | 'major')}
                >
                  <option value="minor">{t('severity.minor')}</option>
                  <option value="major">{t('severity.major')}</option>
                </select>
              </label>
              <label>
                {t('inspection.description')}
                <input
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                  required
                  minLength={3}
                />
              </label>
              <label>
                {t('inspection.deadlineLabel')}
                <input
                  type="date"
                  value={deadline}
                  min={inspectedOn}
                  onChange={(e) => setDeadline(e.target.value)}
                />
              </label>
            </>
          )}
        </>
      )}
      <button type="submit" disabled={!household}>
        {t('inspection.submit')}
      </button>
    </form>
  );
}
