import type { RecordChangeDto } from '@huuco/domain';
import { lookup, useI18n } from '../i18n';
import { Loaded, useApi } from './query';

/** A record's timeline from the audit trail: who registered and changed it, and when. */
export function RecordChanges({ path }: { path: string }) {
  const { t, locale } = useI18n();
  const changes = useApi<RecordChangeDto[]>(path);
  return (
    <section>
      <h2>{t('changes.title')}</h2>
      <Loaded query={changes}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('common.none')}</p>
          ) : (
            <ol className="timeline">
              {list.map((c) => (
                <li key={c.id}>
                  {new Date(c.at).toLocaleString(locale)} ·{' '}
                  <strong>{lookup(`changes.${c.action}`) ?? c.action}</strong> ·{' '}
                  {c.actorUsername ?? t('changes.system')}
                </li>
              ))}
            </ol>
          )
        }
      </Loaded>
    </section>
  );
}
