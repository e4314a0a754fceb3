import {
  can,
  createCertificationSchema,
  GuaranteeType,
  OrganicStandard,
  todayIso,
  ZONE_STATUS_TRANSITIONS,
  zoneStatusChangeSchema,
  type CertificationDto,
  type Page,
  type PlotDto,
  type ZoneDto,
  type ZoneStatus,
  type ZoneSummaryDto,
} from '@huuco/domain';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { apiPost, apiPutFile } from '../../api';
import { Field, showSaveError, useSchemaForm } from '../../app/forms';
import { Loaded, RelatedList, useApi, useApiMutation } from '../../app/query';
import { RecordChanges } from '../../app/RecordChanges';
import { useAuth } from '../../auth';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { DatedStatus } from '../DatedStatus';
import { Certificate } from './CertificatePages';
import { ZoneEdit } from './ZoneForm';

/** A zone's record: its facts, plots, certificates and the dated history of its status. */
export function ZonePage() {
  const { id } = useParams();
  const { t } = useI18n();
  const zone = useApi<ZoneDto>(`/zones/${id}`);
  return (
    <div className="record">
      <Link to="/registry">{t('common.back')}</Link>
      <Loaded query={zone}>{(z) => <ZoneRecord zone={z} />}</Loaded>
    </div>
  );
}

function ZoneRecord({ zone }: { zone: ZoneDto }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const certifies = !!user && can(user.role, 'certifications.write');
  const changesZones = !!user && can(user.role, 'zones.write');
  const summary = useApi<ZoneSummaryDto>(`/zones/${zone.id}/summary`);
  const [editing, setEditing] = useState(false);
  const readsPlots = !!user && can(user.role, 'plots.read');
  const plots = useApi<Page<PlotDto>>(
    readsPlots ? `/plots?zoneId=${zone.id}&pageSize=50&sort=code` : null,
  );
  return (
    <>
      <h1>
        {zone.name} <span className="muted">· {zone.code}</span>
      </h1>
      <p>
        <span className={`badge zone-${zone.status}`}>{t(`zoneStatus.${zone.status}`)}</span>{' '}
        <Link to={`/?zone=${zone.id}`}>{t('zones.openOnMap')}</Link>
      </p>
      <dl className="facts">
        <dt>{t('registry.kind')}</dt>
        <dd>{t(`kind.${zone.kind}`)}</dd>
        <dt>{t('zones.communes')}</dt>
        <dd>{zone.communes.map((c) => c.name).join(', ')}</dd>
        <dt>{t('registry.area')}</dt>
        <dd>{formatNumber(zone.area.ha, locale, 2)}</dd>
        <dt>{t('registry.target')}</dt>
        <dd>{zone.targetArea ? formatNumber(zone.targetArea.ha, locale, 2) : '—'}</dd>
        {summary.data && (
          <>
            <dt>{t('zones.households')}</dt>
            <dd>{formatNumber(summary.data.households, locale, 0)}</dd>
          </>
        )}
      </dl>
      {changesZones &&
        (editing ? (
          <ZoneEdit zone={zone} onDone={() => setEditing(false)} />
        ) : (
          <button type="button" onClick={() => setEditing(true)}>
            {t('zones.editOutline')}
          </button>
        ))}
      <Certificates zone={zone} writable={certifies} />
      <DatedStatus<ZoneStatus>
        path={`/zones/${zone.id}/status-changes`}
        schema={zoneStatusChangeSchema}
        next={ZONE_STATUS_TRANSITIONS[zone.status]}
        label={(s) => t(`zoneStatus.${s}`)}
        writable={changesZones}
      />
      {readsPlots && (
        <section>
          <h2>{t('zones.plots')}</h2>
          <RelatedList query={plots} columns>
            {(p) => (
              <>
                <Link to={`/?plot=${p.id}`}>{p.code}</Link> · {formatNumber(p.area.m2, locale, 0)}{' '}
                m²
              </>
            )}
          </RelatedList>
        </section>
      )}
      <RecordChanges path={`/zones/${zone.id}/changes`} />
    </>
  );
}

function Certificates({ zone, writable }: { zone: ZoneDto; writable: boolean }) {
  const { t } = useI18n();
  const certificates = useApi<Page<CertificationDto>>(
    `/certifications?zoneId=${zone.id}&sort=validTo&order=desc&pageSize=50`,
  );
  return (
    <section>
      <h2>{t('zones.certificates')}</h2>
      <Loaded query={certificates}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="empty">{t('common.none')}</p>
          ) : (
            <ul className="cert-list">
              {page.items.map((c) => (
                <Certificate key={c.id} certificate={c} writable={writable} />
              ))}
            </ul>
          )
        }
      </Loaded>
      {writable && <NewCertificate zone={zone} />}
    </section>
  );
}

type NewCertificateInput = z.input<typeof createCertificationSchema>;
type NewCertificateOutput = z.output<typeof createCertificationSchema>;

/** A certificate as the body issued it: its facts, and the paper itself attached in the same step. */
function NewCertificate({ zone }: { zone: ZoneDto }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const year = new Date().getFullYear();
  const defaults: NewCertificateInput = {
    zoneId: zone.id,
    guaranteeType: 'TCVN_THIRD_PARTY',
    standard: 'TCVN 11041-2:2017',
    body: '',
    certificateNumber: '',
    validFrom: todayIso(),
    validTo: `${year + 3}-12-31`,
    scope: 'zone',
    plotIds: [],
    documentUrl: null,
  };
  const form = useSchemaForm<NewCertificateInput, NewCertificateOutput>(
    createCertificationSchema,
    defaults,
  );
  const create = useApiMutation(async (dto: NewCertificateOutput) => {
    const saved = await apiPost<CertificationDto>('/certifications', dto);
    return file
      ? apiPutFile<CertificationDto>(`/certifications/${saved.id}/document`, file)
      : saved;
  });
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await create.mutateAsync(dto);
      form.reset(defaults);
      setFile(null);
      setOpen(false);
    } catch (error) {
      setMessage(showSaveError(t, form, error, Object.keys(createCertificationSchema.shape)));
    }
  });
  if (!open)
    return (
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        {t('cert.new')}
      </button>
    );
  return (
    <form
      className="record-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={t('cert.new')}
    >
      <h3>{t('cert.new')}</h3>
      <Field form={form} name="certificateNumber" label={t('cert.number')}>
        <input {...form.register('certificateNumber')} />
      </Field>
      <Field form={form} name="body" label={t('cert.body')}>
        <input {...form.register('body')} />
      </Field>
      <Field form={form} name="guaranteeType" label={t('cert.guaranteeType')}>
        <select {...form.register('guaranteeType')}>
          {GuaranteeType.map((g) => (
            <option key={g} value={g}>
              {t(`cert.guarantee.${g}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field form={form} name="standard" label={t('cert.standard')}>
        <select {...form.register('standard')}>
          {OrganicStandard.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <Field form={form} name="validFrom" label={t('cert.validFrom')}>
        <input type="date" {...form.register('validFrom')} />
      </Field>
      <Field form={form} name="validTo" label={t('cert.validTo')}>
        <input type="date" {...form.register('validTo')} />
      </Field>
      <label className="field">
        <span>{t('cert.document')}</span>
        <input
          type="file"
          accept="application/pdf,image/jpeg,image/png"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
