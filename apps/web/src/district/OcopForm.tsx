import {
  createOcopProductSchema,
  type CooperativeDto,
  type OcopProductDto,
  type Page,
  type ProductDto,
} from '@huuco/domain';
import { useState } from 'react';
import type { z } from 'zod';
import { apiPost } from '../api';
import { Field, SaveRow, showSaveError, useSchemaForm } from '../app/forms';
import { useApi, useApiMutation } from '../app/query';
import { useI18n } from '../i18n';

type Input = z.input<typeof createOcopProductSchema>;
type Output = z.output<typeof createOcopProductSchema>;

/** An OCOP product as the council scored it: the stars follow from the score. */
export function OcopForm() {
  const { t, language } = useI18n();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const cooperatives = useApi<Page<CooperativeDto>>(
    open ? '/cooperatives?pageSize=200&sort=name' : null,
  );
  const products = useApi<ProductDto[]>(open ? '/products' : null);
  const form = useSchemaForm<Input, Output>(createOcopProductSchema, {
    productId: null,
    level: 'district',
  });
  const create = useApiMutation((dto: Output) => apiPost<OcopProductDto>('/ocop-products', dto));
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      const saved = await create.mutateAsync(dto);
      setOpen(false);
      setMessage(t('ocop.saved', { name: saved.name, stars: saved.stars }));
      form.reset();
    } catch (error) {
      setMessage(showSaveError(t, form, error, Object.keys(createOcopProductSchema.shape)));
    }
  });
  if (!open)
    return (
      <p>
        <button type="button" className="button" onClick={() => setOpen(true)}>
          {t('ocop.new')}
        </button>
        {message && <span role="status"> {message}</span>}
      </p>
    );
  return (
    <form
      className="record-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={t('ocop.new')}
    >
      <h3>{t('ocop.new')}</h3>
      <Field form={form} name="name" label={t('ocop.name')}>
        <input {...form.register('name')} />
      </Field>
      <Field form={form} name="cooperativeId" label={t('ocop.cooperative')}>
        <select {...form.register('cooperativeId')}>
          <option value="">—</option>
          {cooperatives.data?.items.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field form={form} name="productId" label={t('ocop.product')}>
        <select {...form.register('productId', { setValueAs: (v: string) => v || null })}>
          <option value="">—</option>
          {products.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {language === 'vi' ? p.nameVi : p.nameEn}
            </option>
          ))}
        </select>
      </Field>
      <Field form={form} name="score" label={t('ocop.score')}>
        <input type="number" {...form.register('score', { valueAsNumber: true })} />
      </Field>
      <Field form={form} name="level" label={t('ocop.level')}>
        <select {...form.register('level')}>
          {(['district', 'province', 'national'] as const).map((l) => (
            <option key={l} value={l}>
              {t(`ocop.level.${l}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field form={form} name="certificateNumber" label={t('ocop.certificateNumber')}>
        <input {...form.register('certificateNumber')} />
      </Field>
      <Field form={form} name="certifiedOn" label={t('ocop.certifiedOn')}>
        <input type="date" {...form.register('certifiedOn')} />
      </Field>
      <SaveRow
        message={message}
        busy={form.formState.isSubmitting}
        onCancel={() => setOpen(false)}
      />
    </form>
  );
}
