import { can, type InspectionCoverageDto, type InspectionDto } from '@huuco/domain';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../app/query';
import { useAuth } from '../auth';
import { OutboxPanel } from '../field/OutboxPanel';
import { formatDate, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';
import { InspectionForm } from './InspectionForm';

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
        <InspectionForm onDone={() => setMessage({ ok: true, text: t('inspection.recorded') })} />
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
