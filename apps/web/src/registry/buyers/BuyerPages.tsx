import { can, createBuyerSchema, updateBuyerSchema, type BuyerDto } from '@huuco/domain';
import { useState } from 'react';
import { useFieldArray, type UseFormReturn } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { apiPatch, apiPost } from '../../api';
import { emptyToNull, Field, SaveRow, showSaveError, useSchemaForm } from '../../app/forms';
import { Loaded, useApi, useApiMutation } from '../../app/query';
import { RecordChanges } from '../../app/RecordChanges';
import { PagedTable } from '../../PagedTable';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';

const FIELDS = ['name', 'taxCode', 'province', 'address', 'contacts'];

type BuyerInput = z.input<typeof createBuyerSchema>;
type BuyerOutput = z.output<typeof createBuyerSchema>;

/** The buyers the viewer may see, searched by name or tax code. */
export function BuyersPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  return (
    <div className="registry">
      <PagedTable<BuyerDto>
        title={t('registry.buyers')}
        path="/buyers"
        search
        sorts={[
          { value: 'name', label: t('registry.name') },
          { value: 'province', label: t('registry.province') },
        ]}
        rowLink={(b) => `/buyers/${b.id}`}
        actions={
          user &&
          can(user.role, 'buyers.write') && (
            <Link className="button primary" to="/buyers/new">
              {t('registry.newBuyer')}
            </Link>
          )
        }
        columns={[
          { header: t('registry.name'), cell: (b) => b.name },
          { header: t('registry.taxCode'), cell: (b) => b.taxCode },
          { header: t('registry.province'), optional: true, cell: (b) => b.province },
        ]}
      />
    </div>
  );
}

export function BuyerCreatePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const form = useSchemaForm<BuyerInput, BuyerOutput>(createBuyerSchema, {
    address: null,
    contacts: [],
  });
  const [message, setMessage] = useState<string | null>(null);
  const create = useApiMutation((dto: BuyerOutput) => apiPost<BuyerDto>('/buyers', dto));
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      const saved = await create.mutateAsync(dto);
      navigate(`/buyers/${saved.id}`);
    } catch (error) {
      setMessage(showSaveError(t, form, error, FIELDS));
    }
  });
  return (
    <div className="record">
      <Link to="/buyers">{t('common.back')}</Link>
      <h1>{t('registry.newBuyerTitle')}</h1>
      <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
        <BuyerFields form={form} />
        <SaveRow message={message} busy={form.formState.isSubmitting} />
      </form>
    </div>
  );
}

/** A buyer's name, tax code, province and address, and its contacts, as one form. */
function BuyerFields({ form }: { form: UseFormReturn<BuyerInput, unknown, BuyerOutput> }) {
  const { t } = useI18n();
  const contacts = useFieldArray({ control: form.control, name: 'contacts' });
  const contactErrors = form.formState.errors.contacts;
  return (
    <>
      <Field form={form} name="name" label={t('registry.name')}>
        <input {...form.register('name')} />
      </Field>
      <Field form={form} name="taxCode" label={t('registry.taxCode')}>
        <input {...form.register('taxCode')} inputMode="numeric" />
      </Field>
      <Field form={form} name="province" label={t('registry.province')}>
        <input {...form.register('province')} />
      </Field>
      <Field form={form} name="address" label={t('registry.address')}>
        <input {...form.register('address', { setValueAs: emptyToNull })} />
      </Field>
      <fieldset>
        <legend>{t('registry.contacts')}</legend>
        {contacts.fields.map((contact, index) => (
          <div key={contact.id} className="contact-row">
            <label>
              {t('registry.contactName')}
              <input {...form.register(`contacts.${index}.name`)} />
            </label>
            <label>
              {t('registry.contactRole')}
              <input {...form.register(`contacts.${index}.role`, { setValueAs: emptyToNull })} />
            </label>
            <label>
              {t('registry.contactPhone')}
              <input
                {...form.register(`contacts.${index}.phone`, { setValueAs: emptyToNull })}
                inputMode="tel"
              />
            </label>
            <label>
              {t('registry.contactEmail')}
              <input
                {...form.register(`contacts.${index}.email`, { setValueAs: emptyToNull })}
                inputMode="email"
              />
            </label>
            {contactErrors?.[index] && (
              <small className="field-error" role="alert">
                {Object.values(contactErrors[index] ?? {})
                  .map((e) => (e as { message?: string }).message)
                  .filter(Boolean)
                  .join(' · ')}
              </small>
            )}
            <button type="button" onClick={() => contacts.remove(index)}>
              {t('registry.removeContact')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => contacts.append({ name: '', role: null, phone: null, email: null })}
        >
          {t('registry.addContact')}
        </button>
      </fieldset>
    </>
  );
}

export function BuyerPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const buyer = useApi<BuyerDto>(`/buyers/${id}`);
  return (
    <div className="record">
      <Link to="/buyers">{t('common.back')}</Link>
      <Loaded query={buyer}>{(b) => <BuyerRecord buyer={b} />}</Loaded>
    </div>
  );
}

function BuyerRecord({ buyer: b }: { buyer: BuyerDto }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [editing, setEditing] = useState(false);
  if (editing) return <BuyerEdit buyer={b} onDone={() => setEditing(false)} />;
  return (
    <>
      <h1>
        {b.name} <span className="muted">· {b.taxCode}</span>
      </h1>
      <dl className="facts">
        <dt>{t('registry.province')}</dt>
        <dd>{b.province}</dd>
        <dt>{t('registry.address')}</dt>
        <dd>{b.address ?? '—'}</dd>
      </dl>
      <section>
        <h2>{t('registry.contacts')}</h2>
        {b.contacts.length === 0 ? (
          <p className="empty">{t('common.none')}</p>
        ) : (
          <ul className="related">
            {b.contacts.map((c, i) => (
              <li key={i}>
                {c.name}
                {c.role && ` · ${c.role}`}
                {c.phone && ` · ${c.phone}`}
                {c.email && ` · ${c.email}`}
              </li>
            ))}
          </ul>
        )}
      </section>
      {user && can(user.role, 'buyers.write') && (
        <button type="button" onClick={() => setEditing(true)}>
          {t('registry.editBuyer')}
        </button>
      )}
      <RecordChanges path={`/buyers/${b.id}/changes`} />
    </>
  );
}

function BuyerEdit({ buyer: b, onDone }: { buyer: BuyerDto; onDone: () => void }) {
  const { t } = useI18n();
  const form = useSchemaForm<BuyerInput, BuyerOutput>(createBuyerSchema, {
    name: b.name,
    taxCode: b.taxCode,
    province: b.province,
    address: b.address,
    contacts: b.contacts,
  });
  const [message, setMessage] = useState<string | null>(null);
  const save = useApiMutation((dto: z.output<typeof updateBuyerSchema>) =>
    apiPatch<BuyerDto>(`/buyers/${b.id}`, dto),
  );
  const submit = form.handleSubmit(async ({ registeredUnitId: _unit, ...dto }) => {
    try {
      await save.mutateAsync(dto);
      onDone();
    } catch (error) {
      setMessage(showSaveError(t, form, error, FIELDS));
    }
  });
  return (
    <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
      <h1>{t('registry.editBuyer')}</h1>
      <BuyerFields form={form} />
      <SaveRow message={message} busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}
