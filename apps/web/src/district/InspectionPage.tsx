import {
  can,
  closeNonComplianceSchema,
  recordInspectionSchema,
  todayIso,
  type InspectionDto,
  type NonComplianceDto,
} from '@huuco/domain';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { apiPost } from '../api';
import { Field, SaveRow, showSaveError, useSchemaForm } from '../app/forms';
import { Loaded, useApi, useApiMutation } from '../app/query';
import { useAuth } from '../auth';
import { formatDate } from '../format';
import { useI18n } from '../i18n';

/** One inspection: what was planned, what was found, each non-compliance until it is closed. */
export function InspectionPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const inspection = useApi<InspectionDto>(`/inspections/${id}`);
  return (
    <div className="record">
      <Link to="/inspections">{t('common.back')}</Link>
      <Loaded query={inspection}>{(i) => <InspectionRecord inspection={i} />}</Loaded>
    </div>
  );
}

function InspectionRecord({ inspection: i }: { inspection: InspectionDto }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const writes = !!user && can(user.role, 'inspections.write');
  return (
    <>
      <h1>
        {t('inspection.title', { kind: i.kind })}{' '}
        <span className="muted">· {[i.householdName, i.plotCode].filter(Boolean).join(' · ')}</span>
      </h1>
      <dl className="facts">
        <dt>{t('inspection.plannedOn')}</dt>
        <dd>{formatDate(i.plannedOn)}</dd>
        <dt>{t('inspection.date')}</dt>
        <dd>{i.inspectedOn ? formatDate(i.inspectedOn) : t('inspection.planned')}</dd>
        <dt>{t('inspection.inspector')}</dt>
        <dd>{i.inspector}</dd>
        <dt>{t('inspection.findings')}</dt>
        <dd className="prewrap">{i.findings ?? '—'}</dd>
      </dl>
      {!i.inspectedOn && writes && <RecordFindingsForm inspection={i} />}
      <section>
        <h2>{t('inspection.nonCompliances')}</h2>
        {i.nonCompliances.length === 0 ? (
          <p className="muted">{t('inspection.noneFound')}</p>
        ) : (
          <ul className="timeline">
            {i.nonCompliances.map((n) => (
              <NonComplianceItem key={n.id} nonCompliance={n} writes={writes} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

type RecordInput = z.input<typeof recordInspectionSchema>;
type RecordOutput = z.output<typeof recordInspectionSchema>;

/** A planned inspection that took place: its date and findings. */
function RecordFindingsForm({ inspection }: { inspection: InspectionDto }) {
  const { t } = useI18n();
  const form = useSchemaForm<RecordInput, RecordOutput>(recordInspectionSchema, {
    inspectedOn: todayIso(),
    findings: '',
    nonCompliances: [],
  });
  const [message, setMessage] = useState<string | null>(null);
  const record = useApiMutation((dto: RecordOutput) =>
    apiPost<InspectionDto>(`/inspections/${inspection.id}/record`, dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await record.mutateAsync(dto);
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['inspectedOn', 'findings']));
    }
  });
  return (
    <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('inspection.recordPlanned')}</h2>
      <Field form={form} name="inspectedOn" label={t('inspection.date')}>
        <input type="date" max={todayIso()} {...form.register('inspectedOn')} />
      </Field>
      <Field form={form} name="findings" label={t('inspection.findings')}>
        <textarea {...form.register('findings')} />
      </Field>
      <SaveRow message={message} busy={form.formState.isSubmitting} />
    </form>
  );
}

function NonComplianceItem({
  nonCompliance: n,
  writes,
}: {
  nonCompliance: NonComplianceDto;
  writes: boolean;
}) {
  const { t } = useI18n();
  const [closing, setClosing] = useState(false);
  return (
    <li className={n.severity === 'major' && !n.closedOn ? 'nc-open' : undefined}>
      <strong>{t(`severity.${n.severity}`)}</strong> · {n.plotCode} · {n.description}
      <div className="muted">
        {t('inspection.openedOn', { date: formatDate(n.openedOn) })}
        {n.sanction && ` · ${n.sanction}`}
        {n.closedOn
          ? ` · ${t('inspection.closedOn', { date: formatDate(n.closedOn) })}: ${n.closedReason ?? ''}`
          : ` · ${t('inspection.deadline', { date: formatDate(n.deadline) })}${n.overdue ? ` (${t('inspection.overdue')})` : ''}`}
      </div>
      {writes &&
        !n.closedOn &&
        (closing ? (
          <CloseForm nonCompliance={n} onDone={() => setClosing(false)} />
        ) : (
          <button type="button" onClick={() => setClosing(true)}>
            {t('inspection.close')}
          </button>
        ))}
    </li>
  );
}

type CloseInput = z.input<typeof closeNonComplianceSchema>;
type CloseOutput = z.output<typeof closeNonComplianceSchema>;

/** Closing a non-compliance from a date, with how it was put right; the plot is restored then. */
function CloseForm({
  nonCompliance,
  onDone,
}: {
  nonCompliance: NonComplianceDto;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const form = useSchemaForm<CloseInput, CloseOutput>(closeNonComplianceSchema, {
    closedOn: todayIso(),
    reason: '',
  });
  const [message, setMessage] = useState<string | null>(null);
  const close = useApiMutation((dto: CloseOutput) =>
    apiPost<InspectionDto>(`/non-compliances/${nonCompliance.id}/close`, dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await close.mutateAsync(dto);
      onDone();
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['closedOn', 'reason']));
    }
  });
  return (
    <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field form={form} name="closedOn" label={t('inspection.closedOnLabel')}>
        <input type="date" min={nonCompliance.openedOn} {...form.register('closedOn')} />
      </Field>
      <Field form={form} name="reason" label={t('inspection.closeReason')}>
        <textarea {...form.register('reason')} />
      </Field>
      <SaveRow message={message} busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}
