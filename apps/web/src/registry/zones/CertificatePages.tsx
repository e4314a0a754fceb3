import {
  can,
  CERTIFICATE_TRANSITIONS,
  certificateDecisionSchema,
  todayIso,
  type CertificateDecisionDto,
  type CertificationDto,
  type ZoneDto,
} from '@huuco/domain';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { apiBlobUrl, apiPost, apiPutFile } from '../../api';
import { Field, showSaveError, useSchemaForm } from '../../app/forms';
import { apiErrorInWords, Loaded, useApi, useApiMutation } from '../../app/query';
import { useAuth } from '../../auth';
import { formatDate } from '../../format';
import { useI18n } from '../../i18n';

/** A certificate at its own address: its facts, the body's paper, and the body's decisions. */
export function CertificationPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { user } = useAuth();
  const certificate = useApi<CertificationDto>(`/certifications/${id}`);
  const zone = useApi<ZoneDto>(certificate.data ? `/zones/${certificate.data.zoneId}` : null);
  const writable = !!user && can(user.role, 'certifications.write');
  return (
    <div className="record">
      {zone.data ? (
        <Link to={`/zones/${zone.data.id}`}>
          {t('common.back')} · {zone.data.name}
        </Link>
      ) : (
        <Link to="/registry">{t('common.back')}</Link>
      )}
      <Loaded query={certificate}>
        {(c) => (
          <>
            <h1>{t('cert.title', { number: c.certificateNumber })}</h1>
            <ul className="cert-list">
              <Certificate certificate={c} writable={writable} />
            </ul>
          </>
        )}
      </Loaded>
    </div>
  );
}

export function Certificate({
  certificate: c,
  writable,
}: {
  certificate: CertificationDto;
  writable: boolean;
}) {
  const { t } = useI18n();
  const [message, setMessage] = useState<string | null>(null);
  const attach = useApiMutation((file: File) =>
    apiPutFile<CertificationDto>(`/certifications/${c.id}/document`, file),
  );
  const open = async () => {
    try {
      window.open(await apiBlobUrl(`/certifications/${c.id}/document`), '_blank');
    } catch (error) {
      setMessage(apiErrorInWords(t, error));
    }
  };
  return (
    <li className="cert-card">
      <Link to={`/certifications/${c.id}`}>
        <strong>{c.certificateNumber}</strong>
      </Link>{' '}
      · <span className={`badge standing-${c.standing}`}>{t(`cert.standing.${c.standing}`)}</span>
      <div>
        {c.body} · {c.standard} · {t(`cert.guarantee.${c.guaranteeType}`)}
      </div>
      <div>
        {formatDate(c.validFrom)} – {formatDate(c.validTo)}
      </div>
      <div>
        {c.document ? (
          <button type="button" className="link" onClick={() => void open()}>
            {t('cert.openDocument')} ({c.document.filename})
          </button>
        ) : (
          <span className="muted">{t('cert.noDocument')}</span>
        )}
        {writable && (
          <label className="file-button">
            {t('cert.attach')}
            <input
              type="file"
              accept="application/pdf,image/jpeg,image/png"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file)
                  attach.mutate(file, {
                    onError: (error) => setMessage(apiErrorInWords(t, error)),
                    onSuccess: () => setMessage(t('common.saved')),
                  });
              }}
            />
          </label>
        )}
      </div>
      {message && (
        <p role="status" className="form-message">
          {message}
        </p>
      )}
      <Decisions certificate={c} writable={writable} />
    </li>
  );
}

function Decisions({
  certificate: c,
  writable,
}: {
  certificate: CertificationDto;
  writable: boolean;
}) {
  const { t } = useI18n();
  const path = `/certifications/${c.id}/status-changes`;
  const decisions = useApi<CertificateDecisionDto[]>(path);
  const last = decisions.data?.at(-1)?.status;
  const next = CERTIFICATE_TRANSITIONS[last ?? 'in_force'];
  const form = useSchemaForm<
    z.input<typeof certificateDecisionSchema>,
    z.output<typeof certificateDecisionSchema>
  >(certificateDecisionSchema, {
    status: 'suspended',
    effectiveOn: todayIso(),
    reason: '',
    documentRef: '',
  });
  const [message, setMessage] = useState<string | null>(null);
  const decide = useApiMutation((dto: z.output<typeof certificateDecisionSchema>) =>
    apiPost<CertificateDecisionDto>(path, dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await decide.mutateAsync(dto);
      form.reset();
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['status', 'effectiveOn', 'reason', 'documentRef']));
    }
  });
  return (
    <>
      {decisions.data && decisions.data.length > 0 && (
        <ol className="timeline">
          {decisions.data.map((d) => (
            <li key={d.id}>
              {t(`cert.decision.${d.status}`)} · {formatDate(d.effectiveOn)} · {d.reason} ·{' '}
              {d.documentRef}
            </li>
          ))}
        </ol>
      )}
      {writable && next.length > 0 && (
        <details>
          <summary>{t('cert.decide')}</summary>
          <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
            <Field form={form} name="status" label={t('cert.decision')}>
              <select {...form.register('status')}>
                {next.map((s) => (
                  <option key={s} value={s}>
                    {t(`cert.decision.${s}`)}
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
            <Field form={form} name="documentRef" label={t('cert.documentRef')}>
              <input {...form.register('documentRef')} />
            </Field>
            {message && (
              <p role="alert" className="form-error">
                {message}
              </p>
            )}
            <button type="submit">{t('zones.record')}</button>
          </form>
        </details>
      )}
    </>
  );
}
