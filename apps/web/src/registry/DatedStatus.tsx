import { todayIso } from '@huuco/domain';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { apiPost } from '../api';
import { Field, showSaveError, useSchemaForm } from '../app/forms';
import { Loaded, useApi, useApiMutation } from '../app/query';
import { formatDate } from '../format';
import { useI18n } from '../i18n';

interface StatusChange<S extends string> {
  id: string;
  status: S;
  effectiveOn: string;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

type StatusInput<S extends string> = { status: S; effectiveOn: string; reason: string };

/**
 * A record's dated status history (a zone's, a cooperative's), newest first, and the form that
 * changes it from a date with a reason: the past stays as it was, the change applies from then.
 */
export function DatedStatus<S extends string>({
  path,
  schema,
  next,
  label,
  writable,
}: {
  /** The record's `…/status-changes` endpoint. */
  path: string;
  schema: z.ZodType<StatusInput<S>, StatusInput<S>>;
  /** The statuses the record may move to from where it is. */
  next: readonly S[];
  label: (status: S) => string;
  writable: boolean;
}) {
  const { t, locale } = useI18n();
  const history = useApi<StatusChange<S>[]>(path);
  const form = useSchemaForm<StatusInput<string>, StatusInput<string>>(schema as never, {
    status: next[0],
    effectiveOn: todayIso(),
    reason: '',
  });
  // Once the record has moved, the form offers where it may go from there.
  const first = next[0];
  useEffect(() => {
    if (first) form.setValue('status', first);
  }, [first, form]);
  const [message, setMessage] = useState<string | null>(null);
  const change = useApiMutation((dto: StatusInput<string>) => apiPost<StatusChange<S>>(path, dto));
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await change.mutateAsync(dto);
      form.reset({ status: dto.status, effectiveOn: todayIso(), reason: '' });
      setMessage(t('common.saved'));
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['status', 'effectiveOn', 'reason']));
    }
  });
  return (
    <section>
      <h2>{t('zones.statusHistory')}</h2>
      <Loaded query={history}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('common.none')}</p>
          ) : (
            <ol className="timeline">
              {[...list].reverse().map((c) => (
                <li key={c.id}>
                  <strong>{label(c.status)}</strong> · {formatDate(c.effectiveOn)} · {c.reason}
                  <div className="muted">
                    {new Date(c.recordedAt).toLocaleString(locale)} ·{' '}
                    {t('timeline.by', { who: c.recordedBy })}
                  </div>
                </li>
              ))}
            </ol>
          )
        }
      </Loaded>
      {writable && next.length > 0 && (
        <form
          className="record-form"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-label={t('zones.changeStatus')}
        >
          <h3>{t('zones.changeStatus')}</h3>
          <Field form={form} name="status" label={t('zones.newStatus')}>
            <select {...form.register('status')}>
              {next.map((s) => (
                <option key={s} value={s}>
                  {label(s)}
                </option>
              ))}
            </select>
          </Field>
          <Field form={form} name="effectiveOn" label={t('zones.effectiveOn')}>
            <input type="date" {...form.register('effectiveOn')} />
          </Field>
          <Field form={form} name="reason" label={t('zones.reason')}>
            <input {...form.register('reason')} />
          </Field>
          {message && (
            <p role="status" className="form-message">
              {message}
            </p>
          )}
          <button type="submit">{t('zones.record')}</button>
        </form>
      )}
    </section>
  );
}
