import type { PlotDto } from '@huuco/domain';
import { useApi } from '../app/query';
import { useAuth } from '../auth';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { traceErrorText } from '../trace/trace-errors';
import { outbox, sendWaiting, useOutbox, type Outgoing, type SeenPlot } from './outbox';

/**
 * What this user entered on this device and where each record stands: waiting, sent, or refused
 * with the server's reason. Waiting and refused records can be corrected or dropped before they go.
 */
export function OutboxPanel({
  kind,
  onEdit,
}: {
  kind: Outgoing['kind'];
  onEdit: (item: Outgoing) => void;
}) {
  const { t } = useI18n();
  const { user } = useAuth();
  const items = useOutbox(user?.id).filter((item) => item.kind === kind);
  if (!user || items.length === 0) return null;
  const waiting = items.filter((item) => item.state === 'waiting').length;
  return (
    <section className="outbox" aria-label={t('field.outbox')}>
      <h2>{t('field.outbox')}</h2>
      <div className="outbox-actions">
        {waiting > 0 && <span>{t('field.waiting', { count: waiting })}</span>}
        {waiting > 0 && (
          <button type="button" onClick={() => void sendWaiting(user.id)}>
            {t('field.sendNow')}
          </button>
        )}
        {items.some((item) => item.state === 'sent') && (
          <button
            type="button"
            className="secondary"
            onClick={() => void outbox.clearSent(user.id)}
          >
            {t('field.clearSent')}
          </button>
        )}
      </div>
      <ul className="outbox-list">
        {items.map((item) => (
          <li key={item.id} className={`outbox-item outbox-${item.state}`}>
            <span className={`badge outbox-state-${item.state}`}>
              {t(`field.state.${item.state}`)}
            </span>{' '}
            {item.summary}{' '}
            <small>
              {t('field.enteredAt', { time: new Date(item.enteredAt).toLocaleString() })}
            </small>
            {item.refusal && <p className="form-error">{traceErrorText(item.refusal)}</p>}
            {item.refusal?.code === 'PLOT_CHANGED' && item.seen && (
              <PlotConflict item={item} seen={item.seen} userId={user.id} />
            )}
            {item.state !== 'sent' && (
              <div className="outbox-item-actions">
                <button type="button" className="secondary" onClick={() => onEdit(item)}>
                  {t('field.edit')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    if (window.confirm(t('field.dropConfirm'))) void outbox.drop(item.id);
                  }}
                >
                  {t('field.drop')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The plot as the device saw it beside the plot as it is now; the user decides. */
function PlotConflict({ item, seen, userId }: { item: Outgoing; seen: SeenPlot; userId: string }) {
  const { t, locale } = useI18n();
  const now = useApi<PlotDto>(`/plots/${String(item.body['plotId'])}`).data;
  const describe = (plot: SeenPlot) =>
    t('field.conflict.plot', {
      code: plot.code,
      revision: plot.revision,
      area: formatNumber(plot.areaSao, locale),
      status: t(`status.${plot.status}` as 'status.certified'),
    });
  const current: SeenPlot | null = now
    ? {
        code: now.code,
        revision: now.revision,
        areaSao: now.area.sao,
        status: now.organicStatus.status,
      }
    : null;
  return (
    <div className="conflict">
      <h3>{t('field.conflict.title')}</h3>
      <dl>
        <dt>{t('field.conflict.seen')}</dt>
        <dd>{describe(seen)}</dd>
        <dt>{t('field.conflict.now')}</dt>
        <dd>{current ? describe(current) : t('common.loading')}</dd>
      </dl>
      {current && (
        <button
          type="button"
          onClick={() =>
            void outbox
              .update(item.id, {
                body: { ...item.body, plotRevision: current.revision },
                summary: item.summary,
                seen: current,
              })
              .then(() => sendWaiting(userId))
          }
        >
          {t('field.conflict.sendAnyway')}
        </button>
      )}
    </div>
  );
}
