import {
  createTargetSchema,
  Indicator,
  type AdminUnitDto,
  type Page,
  type TargetDto,
} from '@huuco/domain';
import { useState } from 'react';
import type { z } from 'zod';
import { apiPost } from '../api';
import { emptyToNull, Field, showSaveError, useSchemaForm } from '../app/forms';
import { useApi, useApiMutation } from '../app/query';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';

type Input = z.input<typeof createTargetSchema>;
type Output = z.output<typeof createTargetSchema>;

/** A target per unit, year and indicator (next year's by default), for district staff. */
export function TargetForm({ year, onYear }: { year: number; onYear: (year: number) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const units = useApi<Page<AdminUnitDto>>(open ? '/admin-units?pageSize=500&sort=name' : null);
  // Staff set targets for their own units and the communes below them.
  const mine = new Set(user?.adminUnitIds ?? []);
  const choices = (units.data?.items ?? []).filter(
    (u) => mine.has(u.id) || (u.parentId !== null && mine.has(u.parentId)),
  );
  const form = useSchemaForm<Input, Output>(createTargetSchema, {
    adminUnitId: user?.adminUnitIds[0] ?? '',
    year: new Date().getFullYear() + 1,
    indicator: 'organic_ha',
    note: null,
  });
  const indicator = form.watch('indicator');
  const create = useApiMutation((dto: Output) => apiPost<TargetDto>('/targets', dto));
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      const saved = await create.mutateAsync(dto);
      setMessage(
        t('targets.saved', {
          indicator: t(`indicator.${saved.indicator}`),
          year: saved.year,
          unit: saved.adminUnitName,
        }),
      );
      form.reset({ ...dto, targetValue: undefined as never, note: null });
      if (saved.year !== year) onYear(saved.year);
    } catch (error) {
      setMessage(
        showSaveError(t, form, error, ['adminUnitId', 'year', 'indicator', 'targetValue', 'note']),
      );
    }
  });
  if (!open)
    return (
      <p>
        <button type="button" className="button primary" onClick={() => setOpen(true)}>
          {t('targets.new')}
        </button>
        {message && <span role="status"> {message}</span>}
      </p>
    );
  return (
    <form
      className="record-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={t('targets.new')}
    >
      <h3>{t('targets.new')}</h3>
      <Field form={form} name="adminUnitId" label={t('targets.unit')}>
        <select {...form.register('adminUnitId')}>
          {choices.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </Field>
      <Field form={form} name="year" label={t('targets.year')}>
        <input type="number" {...form.register('year', { valueAsNumber: true })} />
      </Field>
      <Field form={form} name="indicator" label={t('targets.indicator')}>
        <select {...form.register('indicator')}>
          {Indicator.map((i) => (
            <option key={i} value={i}>
              {t(`indicator.${i}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        form={form}
        name="targetValue"
        label={t('targets.value')}
        hint={indicator === 'contract_share' ? t('targets.valueHint.contract_share') : undefined}
      >
        <input
          type="number"
          step="any"
          inputMode="decimal"
          {...form.register('targetValue', { valueAsNumber: true })}
        />
      </Field>
      <Field form={form} name="note" label={t('targets.note')}>
        <input {...form.register('note', { setValueAs: emptyToNull })} />
      </Field>
      {message && (
        <p role="status" className="form-message">
          {message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={form.formState.isSubmitting}>
          {t('common.save')}
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
