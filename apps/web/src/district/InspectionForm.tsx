import {
  createInspectionSchema,
  todayIso,
  type HouseholdDto,
  type InspectionDto,
  type Page,
  type PlotDto,
} from '@huuco/domain';
import { useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import type { z } from 'zod';
import { apiPost } from '../api';
import { emptyToNull, Field, SaveRow, showSaveError, useSchemaForm } from '../app/forms';
import { useApi, useApiMutation } from '../app/query';
import { useI18n } from '../i18n';

type Input = z.input<typeof createInspectionSchema>;
type Output = z.output<typeof createInspectionSchema>;

const FIELDS = ['householdId', 'plannedOn', 'inspectedOn', 'findings', 'nonCompliances'];

const blank = (): Input => ({
  kind: 'ICS',
  householdId: null,
  plotId: null,
  plannedOn: todayIso(),
  inspectedOn: todayIso(),
  findings: '',
  nonCompliances: [],
});

/**
 * An inspection of a household: planned for a date, or recorded with its findings and any
 * non-compliance, checked by the same schema as the server's.
 */
export function InspectionForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const form = useSchemaForm<Input, Output>(createInspectionSchema, blank());
  const { register, setValue, watch } = form;
  const nonCompliances = useFieldArray({ control: form.control, name: 'nonCompliances' });
  const [household, setHousehold] = useState<HouseholdDto | null>(null);
  const [planOnly, setPlanOnly] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const plots = useApi<Page<PlotDto>>(
    household ? `/plots?householdId=${household.id}&pageSize=100` : null,
  );
  const create = useApiMutation((dto: Output) => apiPost<InspectionDto>('/inspections', dto));

  const choosePlanOnly = (checked: boolean) => {
    setPlanOnly(checked);
    setValue('inspectedOn', checked ? null : todayIso());
    setValue('findings', checked ? null : '');
    if (checked) nonCompliances.replace([]);
  };

  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await create.mutateAsync(dto);
      form.reset({
        ...blank(),
        kind: dto.kind,
        ...(planOnly && { inspectedOn: null, findings: null }),
      });
      setHousehold(null);
      onDone();
    } catch (error) {
      setMessage(showSaveError(t, form, error, FIELDS));
    }
  });

  return (
    <form className="trace-form wide" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('inspection.new')}</h2>
      <HouseholdPicker
        chosen={household}
        error={form.formState.errors.householdId ? t('inspection.chooseHousehold') : null}
        onChoose={(h) => {
          setHousehold(h);
          setValue('householdId', h?.id ?? null, { shouldValidate: h !== null });
        }}
      />
      <Field form={form} name="kind" label={t('inspection.kind')}>
        <select {...register('kind')}>
          <option value="ICS">ICS</option>
          <option value="PGS">PGS</option>
        </select>
      </Field>
      <label className="inline">
        <input
          type="checkbox"
          checked={planOnly}
          onChange={(e) => choosePlanOnly(e.target.checked)}
        />
        {t('inspection.planOnly')}
      </label>
      {planOnly ? (
        <Field form={form} name="plannedOn" label={t('inspection.plannedOn')}>
          <input type="date" min={todayIso()} {...register('plannedOn')} />
        </Field>
      ) : (
        <>
          <Field form={form} name="inspectedOn" label={t('inspection.date')}>
            <input
              type="date"
              max={todayIso()}
              {...register('inspectedOn', {
                onChange: (e: { target: { value: string } }) =>
                  setValue('plannedOn', e.target.value),
              })}
            />
          </Field>
          <Field form={form} name="findings" label={t('inspection.findings')}>
            <textarea {...register('findings')} />
          </Field>
          {nonCompliances.fields.map((row, index) => (
            <fieldset key={row.id} className="nc-row">
              <legend>
                {t('inspection.nonCompliances')} {index + 1}
              </legend>
              <Field
                form={form}
                name={`nonCompliances.${index}.plotId`}
                label={t('inspection.ncPlot')}
              >
                <select {...register(`nonCompliances.${index}.plotId`)}>
                  {(plots.data?.items ?? []).map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.code}
                    </option>
                  ))}
                </select>
              </Field>
              <Field
                form={form}
                name={`nonCompliances.${index}.severity`}
                label={t('inspection.severity')}
              >
                <select {...register(`nonCompliances.${index}.severity`)}>
                  <option value="minor">{t('severity.minor')}</option>
                  <option value="major">{t('severity.major')}</option>
                </select>
              </Field>
              <Field
                form={form}
                name={`nonCompliances.${index}.description`}
                label={t('inspection.description')}
              >
                <input {...register(`nonCompliances.${index}.description`)} />
              </Field>
              <Field
                form={form}
                name={`nonCompliances.${index}.sanction`}
                label={t('inspection.sanction')}
              >
                <input
                  {...register(`nonCompliances.${index}.sanction`, { setValueAs: emptyToNull })}
                />
              </Field>
              <Field
                form={form}
                name={`nonCompliances.${index}.deadline`}
                label={t('inspection.deadlineLabel')}
              >
                <input
                  type="date"
                  min={watch('inspectedOn') ?? undefined}
                  {...register(`nonCompliances.${index}.deadline`)}
                />
              </Field>
              <button
                type="button"
                className="secondary"
                onClick={() => nonCompliances.remove(index)}
              >
                {t('inspection.removeNc')}
              </button>
            </fieldset>
          ))}
          {household && (plots.data?.items.length ?? 0) > 0 && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                nonCompliances.append({
                  plotId: plots.data!.items[0]!.id,
                  severity: 'minor',
                  description: '',
                  sanction: null,
                  deadline: watch('inspectedOn') ?? todayIso(),
                })
              }
            >
              {t('inspection.addNc')}
            </button>
          )}
        </>
      )}
      <SaveRow
        message={message}
        busy={form.formState.isSubmitting}
        label={t('inspection.submit')}
      />
    </form>
  );
}

/** Finds a household by its head's name; the one chosen is the inspection's. */
function HouseholdPicker({
  chosen,
  error,
  onChoose,
}: {
  chosen: HouseholdDto | null;
  error: string | null;
  onChoose: (household: HouseholdDto | null) => void;
}) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const search = query.trim();
  const found = useApi<Page<HouseholdDto>>(
    !chosen && search.length >= 2 ? `/households?q=${encodeURIComponent(search)}&pageSize=8` : null,
  );
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label>
        {t('inspection.household')}
        <input
          value={chosen ? chosen.headName : query}
          onChange={(e) => {
            onChoose(null);
            setQuery(e.target.value);
          }}
          placeholder={t('search.placeholder')}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
        />
      </label>
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
      {!chosen && (found.data?.items.length ?? 0) > 0 && (
        <ul className="picker" role="listbox">
          {found.data!.items.map((h) => (
            <li key={h.id}>
              <button type="button" role="option" aria-selected={false} onClick={() => onChoose(h)}>
                {h.headName} · {h.village ?? ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
