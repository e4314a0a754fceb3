import {
  can,
  closeNonComplianceSchema,
  recordInspectionSchema,
  todayIso,
  type InspectionDto,
  type NonComplianceDto,
  type Page,
} from '@huuco/domain';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { ApiError, apiPost } from '../api';
import { Field, SaveRow, showSaveError, useSchemaForm } from '../app/forms';
import { Loaded, queryClient, useApi, useApiMutation } from '../app/query';
import { useAuth } from '../auth';
import { newDeviceKey } from '../field/device-key';
import { outbox, sendWaiting, useOutbox, type Outgoing } from '../field/outbox';
import { formatDate } from '../format';
import { errorInWords, useI18n } from '../i18n';

/** One inspection: what was planned, what was found, each non-compliance until it is closed. */
export function InspectionPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const inspection = useApi<InspectionDto>(`/inspections/${id}`);
  // Opened in the field with no signal: the list read before holds the same record.
  const listed = inspection.error ? inspectionFromLists(id!) : undefined;
  return (
    <div className="record">
      <Link to="/inspections">{t('common.back')}</Link>
      <Loaded query={listed ? { data: listed, error: null, isPending: false } : inspection}>
        {(i) => <InspectionRecord inspection={i} />}
      </Loaded>
    </div>
  );
}

function inspectionFromLists(id: string): InspectionDto | undefined {
  for (const [, page] of queryClient.getQueriesData<Page<InspectionDto>>({
    predicate: (query) => String(query.queryKey[0]).startsWith('/inspections?'),
  })) {
    const found = page?.items?.find((item) => item.id === id);
    if (found) return found;
  }
  return undefined;
}

function InspectionRecord({ inspection: i }: { inspection: InspectionDto }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const writes = !!user && can(user.role, 'inspections.write');
  const queued = useOutbox(user?.id).find(
    (item) => item.path === `/inspections/${i.id}/record` && item.state !== 'sent',
  );
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
      {writes && queued && <QueuedFindings item={queued} inspection={i} />}
      {!i.inspectedOn && writes && <RecordFindingsForm inspection={i} queued={queued} />}
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

/**
 * A planned inspection that took place: its date and findings. Entered in the field, they go to
 * the device's outbox and are sent from there, at once with signal or when it returns; a record
 * still waiting (or refused) comes back here to be corrected.
 */
function RecordFindingsForm({
  inspection,
  queued,
}: {
  inspection: InspectionDto;
  queued: Outgoing | undefined;
}) {
  const { t } = useI18n();
  const { user } = useAuth();
  const form = useSchemaForm<RecordInput, RecordOutput>(
    recordInspectionSchema,
    (queued?.body as RecordInput | undefined) ?? {
      inspectedOn: todayIso(),
      findings: '',
      nonCompliances: [],
    },
  );
  const [message, setMessage] = useState<string | null>(null);
  // The device's outbox is read after the page opens: its waiting findings fill the form then.
  const { reset } = form;
  const queuedId = queued?.id;
  useEffect(() => {
    if (queuedId) void outbox.get(queuedId).then((item) => item && reset(item.body as RecordInput));
  }, [queuedId, reset]);
  const submit = form.handleSubmit(async (dto) => {
    if (!user) return;
    setMessage(null);
    const summary = [
      t('inspection.title', { kind: inspection.kind }),
      inspection.householdName ?? inspection.plotCode ?? '',
      dto.inspectedOn,
    ].join(' · ');
    const id = queued?.id ?? newDeviceKey();
    if (queued) await outbox.update(id, { body: dto, summary });
    else
      await outbox.add({
        id,
        userId: user.id,
        kind: 'inspection',
        path: `/inspections/${inspection.id}/record`,
        body: dto,
        summary,
      });
    await sendWaiting(user.id);
    const after = await outbox.get(id);
    if (after?.state === 'refused' && after.refusal)
      setMessage(
        showSaveError(t, form, new ApiError(after.refusal.statusCode, after.refusal), [
          'inspectedOn',
          'findings',
        ]),
      );
    else if (after?.state === 'waiting') setMessage(t('field.queuedFindings'));
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

/**
 * Findings entered on this device that have not reached the server as they are: waiting, or
 * refused. Recorded meanwhile by someone else, both are shown and the user decides: drop theirs
 * from this device, or keep them as an inspection of their own.
 */
function QueuedFindings({ item, inspection }: { item: Outgoing; inspection: InspectionDto }) {
  const { t } = useI18n();
  const mine = item.body as RecordOutput;
  const theirs =
    item.refusal?.code === 'INSPECTION_ALREADY_RECORDED' ? item.refusal.errors?.[0] : undefined;
  return (
    <section className="queued" aria-label={t('field.outbox')}>
      <p>
        <span className={`badge outbox-state-${item.state}`}>{t(`field.state.${item.state}`)}</span>{' '}
        {item.summary}
      </p>
      {item.refusal && <p className="form-error">{errorInWords(item.refusal)}</p>}
      {theirs && (
        <div className="conflict">
          <dl>
            <dt>{t('field.conflict.mine')}</dt>
            <dd className="prewrap">
              {formatDate(mine.inspectedOn)} · {mine.findings}
            </dd>
            <dt>{t('field.conflict.recorded')}</dt>
            <dd className="prewrap">
              {formatDate(String(theirs['inspectedOn']))} · {String(theirs['inspector'])} ·{' '}
              {String(theirs['findings'])}
            </dd>
          </dl>
          <button
            type="button"
            onClick={() =>
              void outbox
                .reroute(item.id, '/inspections', {
                  kind: inspection.kind,
                  householdId: inspection.householdId,
                  plotId: inspection.plotId,
                  plannedOn: mine.inspectedOn,
                  ...mine,
                })
                .then(() => sendWaiting(item.userId))
            }
          >
            {t('field.conflict.keepAsNew')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => void outbox.drop(item.id)}>
            {t('field.conflict.dropMine')}
          </button>
        </div>
      )}
    </section>
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
